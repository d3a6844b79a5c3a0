/** What ffprobe says about a media file, in the units physeval uses everywhere. */
export interface VideoInfo {
  path: string;
  sizeBytes: number;
  /** Display size, after rotation. */
  width: number;
  height: number;
  /** Average frame rate (frames / duration); see `variableFrameRate`. */
  fps: number;
  variableFrameRate: boolean;
  frameCount: number;
  durationS: number;
  rotationDeg: number;
  videoCodec: string;
  /** The decoder's pixel format as ffprobe names it (`yuv420p`, `yuv420p10le`, ...); absent when ffprobe gives none. */
  pixelFormat?: string;
  /** Present when the Y'CbCr is full range ("PC", JPEG): tagged so, or a `yuvj` pixel format; absent means limited range. */
  fullRange?: true;
  /** From the stream's colour tag; absent means untagged, read as BT.601 (as ffmpeg does). */
  colorMatrix?: ColorMatrix;
  hasAudio: boolean;
  audio: AudioStreamInfo | null;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  /** Start of the audio stream relative to the first video frame, seconds. */
  offsetS: number;
}

/**
 * `yuv444p`: three planes of width × height bytes one after the other (Y', Cb, Cr, limited range),
 * the cheapest colour output of ffmpeg's scaler; media/yuv.ts turns it into RGB or grey.
 */
export type PixelFormat = 'gray' | 'rgb24' | 'yuv444p';

/** The Y'CbCr matrix a video was encoded with; ffmpeg reads untagged video as BT.601. */
export type ColorMatrix = 'bt601' | 'bt709' | 'bt2020';

/** One decoded frame. `data` is row-major, `channels` bytes per pixel (interleaved, or three planes for yuv444p). */
export interface Frame {
  index: number;
  /** Presentation time relative to the first frame, seconds. */
  timeS: number;
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Mono PCM; sample 0 is the presentation time of the first video frame. */
export interface AudioTrack {
  sampleRate: number;
  samples: Float32Array;
}

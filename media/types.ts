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

export type PixelFormat = 'gray' | 'rgb24';

/** One decoded frame. `data` is row-major, `channels` bytes per pixel. */
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

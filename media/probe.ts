import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { ffmpegFailure, MediaError } from './errors.js';
import { findFfprobe } from './locate.js';
import { runTool } from './process.js';
import type { AudioStreamInfo, ColorMatrix, VideoInfo } from './types.js';

/** ffprobe reads only headers and packet indexes; this is a guard against a stuck network mount, not a budget. */
const PROBE_TIMEOUT_MS = 60_000;

/** r_frame_rate and avg_frame_rate further apart than this mean a variable frame rate. */
export const VFR_RATE_TOLERANCE = 0.01;

const sideDataSchema = z.object({ side_data_type: z.string().optional(), rotation: z.number().optional() });

const streamSchema = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  start_time: z.string().optional(),
  duration: z.string().optional(),
  nb_frames: z.string().optional(),
  nb_read_packets: z.string().optional(),
  color_space: z.string().optional(),
  pix_fmt: z.string().optional(),
  color_range: z.string().optional(),
  sample_rate: z.string().optional(),
  channels: z.number().optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(sideDataSchema).optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).optional(),
});

type ProbedStream = z.infer<typeof streamSchema>;

/** Parses ffprobe's "num/den" rates; "0/0" (unknown) gives null. */
export function parseRate(text: string | undefined): number | null {
  if (text === undefined) return null;
  const [num, den] = text.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return null;
  const rate = den === undefined ? num : num / den;
  return Number.isFinite(rate) && rate > 0 ? rate : null;
}

function parseNumber(text: string | undefined): number | null {
  if (text === undefined || text === 'N/A') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * Clockwise rotation needed for display, in [0, 360). The `rotate` tag is clockwise; ffprobe's
 * display-matrix `rotation` is counter-clockwise (av_display_rotation_get), hence the negation.
 */
export function rotationDegrees(stream: Pick<ProbedStream, 'tags' | 'side_data_list'>): number {
  const tag = parseNumber(stream.tags?.rotate);
  const matrix = stream.side_data_list?.find((entry) => entry.rotation !== undefined)?.rotation;
  const clockwise = tag ?? (matrix === undefined ? 0 : -matrix);
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

/** Full-range Y'CbCr: tagged `pc` (JPEG) or decoded to a `yuvj` pixel format. */
function isFullRange(stream: ProbedStream): boolean {
  return stream.color_range === 'pc' || (stream.pix_fmt ?? '').startsWith('yuvj');
}

/** The Y'CbCr matrix of ffprobe's `color_space`; null when untagged or unknown (read as BT.601, like ffmpeg). */
export function colorMatrixOf(colorSpace: string | undefined): ColorMatrix | null {
  if (colorSpace === 'bt709') return 'bt709';
  if (colorSpace === 'bt2020nc' || colorSpace === 'bt2020c') return 'bt2020';
  if (colorSpace === 'bt470bg' || colorSpace === 'smpte170m') return 'bt601';
  return null;
}

/** MP4 box types that can open a file; a truncated download still starts with one of them. */
const LEADING_MP4_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip']);

/** True when bytes 4..8 name an MP4 box: tells a cut-off MP4 from a text file named .mp4. */
export async function startsLikeMp4(path: string): Promise<boolean> {
  const header = Buffer.alloc(8);
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(header, 0, 8, 0);
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  return LEADING_MP4_BOXES.has(header.toString('latin1', 4, 8));
}

/** Checks the file exists and is not empty, with typed errors; shared by every reader. */
export async function assertReadableFile(path: string): Promise<number> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new MediaError('not-media', path, 'not a regular file');
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw new MediaError('file-not-found', path, 'file not found', { cause: error });
  }
  if (sizeBytes === 0) throw new MediaError('empty-file', path, 'empty file (0 bytes)');
  return sizeBytes;
}

function audioInfo(audio: ProbedStream | undefined, videoStartS: number): AudioStreamInfo | null {
  if (audio === undefined) return null;
  const audioStartS = parseNumber(audio.start_time) ?? 0;
  return {
    codec: audio.codec_name ?? 'unknown',
    sampleRate: parseNumber(audio.sample_rate) ?? 0,
    channels: audio.channels ?? 0,
    offsetS: audioStartS - videoStartS,
  };
}

/**
 * Describes a video file with one ffprobe run (-show_streams -show_format -count_packets). Counting
 * packets only demuxes (about 10 ms for a 25 MB file) and is how a truncated MP4 whose index sits at
 * the start is caught: its index promises more frames than the file holds.
 *
 * Variable frame rate: r_frame_rate (the rate that explains the timestamps) and avg_frame_rate
 * (frames / duration) differ by more than VFR_RATE_TOLERANCE. Packet durations are not inspected:
 * the two rates already disagree on every VFR file we generate or have seen from generators.
 */
export async function probeVideo(path: string): Promise<VideoInfo> {
  const sizeBytes = await assertReadableFile(path);
  const args = ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', path];
  const run = await runTool(findFfprobe(), args, { timeoutMs: PROBE_TIMEOUT_MS });
  if (run.signal !== null) {
    throw new MediaError('decode-failed', path, `ffprobe was stopped (${run.signal}) after ${PROBE_TIMEOUT_MS / 1000} s`);
  }
  if (run.exitCode !== 0) {
    const context = { tool: 'ffprobe', startsLikeMp4: await startsLikeMp4(path) } as const;
    throw ffmpegFailure(path, run.stderr.lines(), 'not-media', 'ffprobe failed', context);
  }

  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(run.stdout.toString()));
  } catch (error) {
    throw new MediaError('not-media', path, `ffprobe printed unreadable JSON (${String(error)})`, { cause: error });
  }
  // ffmpeg renders text files as ANSI art (the tty demuxer): a video stream, but not a video.
  if (parsed.format?.format_name === 'tty') throw new MediaError('not-media', path, 'not a video file (ffprobe reads it as text)');
  const video = parsed.streams.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  if (video === undefined) throw new MediaError('no-video-stream', path, 'no video stream (audio only or data only)');
  const audio = parsed.streams.find((stream) => stream.codec_type === 'audio');

  const promisedFrames = parseNumber(video.nb_frames);
  const presentFrames = parseNumber(video.nb_read_packets);
  const partial = run.stderr.lines().some((line) => /partial file/i.test(line));
  if (partial || (promisedFrames !== null && presentFrames !== null && presentFrames < promisedFrames)) {
    throw new MediaError(
      'truncated',
      path,
      `truncated file: its index lists ${promisedFrames ?? '?'} video frames but only ${presentFrames ?? '?'} are present`,
    );
  }
  const frameCount = promisedFrames ?? presentFrames ?? 0;
  if (frameCount === 0) throw new MediaError('no-video-stream', path, 'the video stream holds no frames');

  const durationS = parseNumber(video.duration) ?? parseNumber(parsed.format?.duration) ?? 0;
  const avgFps = parseRate(video.avg_frame_rate);
  const realFps = parseRate(video.r_frame_rate);
  const fps = avgFps ?? (durationS > 0 ? frameCount / durationS : realFps ?? 0);
  const variableFrameRate = avgFps !== null && realFps !== null && Math.abs(realFps - avgFps) > VFR_RATE_TOLERANCE * avgFps;

  const rotationDeg = rotationDegrees(video);
  const codedWidth = video.width ?? 0;
  const codedHeight = video.height ?? 0;
  if (!(codedWidth > 0 && codedHeight > 0)) throw new MediaError('not-media', path, 'the video stream has no picture size');
  const swapped = rotationDeg === 90 || rotationDeg === 270;
  const videoStartS = parseNumber(video.start_time) ?? 0;
  const audioStream = audioInfo(audio, videoStartS);
  const colorMatrix = colorMatrixOf(video.color_space);

  return {
    path,
    sizeBytes,
    width: swapped ? codedHeight : codedWidth,
    height: swapped ? codedWidth : codedHeight,
    fps,
    variableFrameRate,
    frameCount,
    durationS,
    rotationDeg,
    videoCodec: video.codec_name ?? 'unknown',
    ...(video.pix_fmt === undefined ? {} : { pixelFormat: video.pix_fmt }),
    ...(isFullRange(video) ? { fullRange: true } : {}),
    ...(colorMatrix === null ? {} : { colorMatrix }),
    hasAudio: audioStream !== null,
    audio: audioStream,
  };
}

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { findFfmpeg } from '../media/locate.js';
import { runTool } from '../media/process.js';
import type { VideoInfo } from '../media/types.js';

/**
 * The ffmpeg work around a video extension: the frame a continuation starts from, the source cut at
 * the boundary (an upload for a provider), and the source's part joined to a continuation that a
 * provider returned alone. Every output is written to a temporary name and renamed, never half there.
 */

export class SourceClipError extends Error {
  override readonly name = 'SourceClipError';
  constructor(
    readonly code: 'boundary-after-end' | 'ffmpeg-failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where a continuation starts in a source clip of `durationS`: the asked time, or the clip's end.
 * A boundary past the end by more than one frame is an error (a shorter clip than the prompt expects).
 */
export function boundaryInClipS(askedS: number | undefined, durationS: number, fps: number): number {
  if (askedS === undefined) return durationS;
  if (askedS > durationS + 1 / fps) {
    throw new SourceClipError('boundary-after-end', `the boundary ${askedS} s is after the end of the source clip (${durationS.toFixed(3)} s)`);
  }
  return Math.min(askedS, durationS);
}

/**
 * The last frame shown before `boundaryS`, as PNG: every frame before the boundary is written over the
 * same file, so the clip's own last frame is found even where its container runs longer than its video.
 */
export async function extractFrameAt(videoPath: string, boundaryS: number, pngPath: string): Promise<void> {
  await ffmpegTo(pngPath, ['-i', videoPath, '-t', boundaryS.toFixed(4), '-an', '-vsync', '0', '-update', '1'], 'extract the frame at the boundary');
}

/** The first `endS` seconds of a clip, re-encoded so the cut is exact (a stream copy cuts at key frames). */
export async function trimClip(videoPath: string, endS: number, outPath: string): Promise<void> {
  await ffmpegTo(outPath, ['-i', videoPath, '-t', endS.toFixed(4), ...H264_AAC], 'cut the source clip at the boundary');
}

/**
 * The source up to `boundaryS` followed by the continuation, at the source's size and frame rate.
 * Audio: both tracks when both have one; a silent track stands in for the side that has none.
 */
export async function joinAtBoundary(source: VideoInfo, boundaryS: number, continuation: VideoInfo, outPath: string): Promise<void> {
  const { width, height } = source;
  const fps = source.fps;
  const video = (input: number, trim: string): string => `[${input}:v]${trim}setpts=PTS-STARTPTS,fps=${fps},scale=${width}:${height},setsar=1,format=yuv420p[v${input}]`;
  const filters = [video(0, `trim=end=${boundaryS.toFixed(4)},`), video(1, '')];
  const withAudio = source.hasAudio || continuation.hasAudio;
  const audio = (info: VideoInfo, input: number, lengthS: number, trim: string): string =>
    info.hasAudio
      ? `[${input}:a]${trim}asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a${input}]`
      : `aevalsrc=0:d=${lengthS.toFixed(4)}:s=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a${input}]`;
  if (withAudio) {
    filters.push(audio(source, 0, boundaryS, `atrim=end=${boundaryS.toFixed(4)},`), audio(continuation, 1, continuation.durationS, ''));
    filters.push('[v0][a0][v1][a1]concat=n=2:v=1:a=1[v][a]');
  } else {
    filters.push('[v0][v1]concat=n=2:v=1:a=0[v]');
  }
  const maps = withAudio ? ['-map', '[v]', '-map', '[a]'] : ['-map', '[v]'];
  await ffmpegTo(outPath, ['-i', source.path, '-i', continuation.path, '-filter_complex', filters.join(';'), ...maps, ...H264_AAC], 'join the source and its continuation');
}

const H264_AAC = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'];

async function ffmpegTo(outPath: string, args: readonly string[], what: string): Promise<void> {
  await mkdir(dirname(outPath), { recursive: true });
  const extension = outPath.slice(outPath.lastIndexOf('.'));
  const temporary = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(4).toString('hex')}${extension}`);
  const run = await runTool(findFfmpeg(), ['-v', 'error', '-y', ...args, temporary], { timeoutMs: 120_000 });
  if (run.exitCode !== 0) {
    await rm(temporary, { force: true });
    throw new SourceClipError('ffmpeg-failed', `${outPath}: could not ${what} (ffmpeg: ${run.stderr.lines().join(' | ') || `exit ${run.exitCode ?? run.signal}`})`);
  }
  try {
    await rename(temporary, outPath);
  } catch {
    throw new SourceClipError('ffmpeg-failed', `${outPath}: could not ${what} (ffmpeg wrote nothing)`);
  }
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { MediaError } from './errors.js';
import { findFfmpeg } from './locate.js';
import { StderrTail, waitForExit } from './process.js';
import type { AudioTrack } from './types.js';

export interface EncodeOptions {
  outPath: string;
  width: number;
  height: number;
  fps: number;
  /** libx264 constant rate factor; lower is better quality. */
  crf?: number;
  preset?: string;
  /** Mono PCM; its sample 0 plays with the first frame. */
  audio?: AudioTrack | null;
}

/** Defaults for `encodeVideo`, in one place. */
export const ENCODE_DEFAULTS = { crf: 23, preset: 'veryfast', audioBitrate: '128k' } as const;

function validate(options: EncodeOptions): void {
  const { outPath, width, height, fps } = options;
  // yuv420p halves both chroma dimensions, so libx264 refuses odd sizes.
  const evenSize = (n: number): boolean => Number.isInteger(n) && n > 0 && n % 2 === 0;
  if (!evenSize(width) || !evenSize(height)) {
    throw new MediaError('invalid-argument', outPath, `frame size ${width}x${height} must be positive even integers`);
  }
  if (!(fps > 0 && Number.isFinite(fps))) throw new MediaError('invalid-argument', outPath, `fps ${fps} must be positive`);
  const audio = options.audio;
  if (audio && !(Number.isInteger(audio.sampleRate) && audio.sampleRate > 0)) {
    throw new MediaError('invalid-argument', outPath, `audio sample rate ${audio.sampleRate} must be a positive integer`);
  }
}

function ffmpegArgs(options: EncodeOptions, partialPath: string, audioPath: string | null): string[] {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y'];
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${options.width}x${options.height}`);
  args.push('-framerate', String(options.fps), '-i', 'pipe:0');
  if (audioPath !== null && options.audio) {
    args.push('-f', 'f32le', '-ar', String(options.audio.sampleRate), '-ac', '1', '-i', audioPath);
  }
  args.push('-map', '0:v:0');
  args.push('-c:v', 'libx264', '-preset', options.preset ?? ENCODE_DEFAULTS.preset);
  args.push('-crf', String(options.crf ?? ENCODE_DEFAULTS.crf), '-pix_fmt', 'yuv420p');
  if (audioPath !== null) {
    // Both inputs start at pts 0; the mp4 edit list hides the AAC priming samples, so audio starts with video.
    args.push('-map', '1:a:0', '-c:a', 'aac', '-b:a', ENCODE_DEFAULTS.audioBitrate);
  }
  args.push('-movflags', '+faststart', '-f', 'mp4', partialPath);
  return args;
}

/** Writes one chunk, waiting for 'drain' when the pipe is full; fails if ffmpeg closed its stdin. */
async function writeWithBackpressure(stdin: Writable, chunk: Uint8Array): Promise<void> {
  if (stdin.destroyed) throw new Error('ffmpeg closed its input early');
  if (stdin.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      stdin.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      stdin.off('drain', onDrain);
      reject(new Error('ffmpeg closed its input early'));
    };
    stdin.once('drain', onDrain);
    stdin.once('close', onClose);
  });
}

/**
 * Encodes RGB24 frames (width*height*3 bytes each) to an H.264 MP4 (yuv420p, +faststart), with
 * optional mono audio as AAC. Frames are streamed to ffmpeg's stdin, never buffered. The file is
 * written next to `outPath` under a temporary name and renamed at the end, so `outPath` is either
 * complete or untouched.
 */
export async function encodeVideo(
  frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: EncodeOptions,
): Promise<void> {
  validate(options);
  const { outPath, width, height } = options;
  const frameBytes = width * height * 3;
  const tempStem = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const partialPath = `${tempStem}.partial.mp4`;
  const audioPath = options.audio ? `${tempStem}.audio.f32` : null;

  const ffmpeg = findFfmpeg();
  const stderr = new StderrTail();
  let child: ReturnType<typeof spawn> | null = null;
  try {
    await mkdir(dirname(outPath), { recursive: true });
    if (audioPath !== null && options.audio) {
      const samples = options.audio.samples;
      // f32le on disk: Node only runs on little-endian hosts we support, so the array's bytes are already f32le.
      await writeFile(audioPath, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    }
    const spawned = spawn(ffmpeg, ffmpegArgs(options, partialPath, audioPath), { stdio: ['pipe', 'ignore', 'pipe'] });
    child = spawned;
    spawned.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // EPIPE when ffmpeg dies early; the exit status below reports it with ffmpeg's own words.
    spawned.stdin.on('error', () => undefined);
    const exited = waitForExit(spawned);

    let frameIndex = 0;
    let pipeClosed = false;
    for await (const frame of frames) {
      if (frame.byteLength !== frameBytes) {
        throw new MediaError(
          'invalid-argument',
          outPath,
          `frame ${frameIndex} has ${frame.byteLength} bytes, expected ${frameBytes} (${width}x${height} RGB24)`,
        );
      }
      try {
        // Copied: the stream may still hold the chunk after write() returns, and callers reuse their buffers.
        await writeWithBackpressure(spawned.stdin, Buffer.from(frame));
      } catch {
        // ffmpeg stopped reading: its exit status and stderr below say why.
        pipeClosed = true;
        break;
      }
      frameIndex += 1;
    }
    if (frameIndex === 0 && !pipeClosed) throw new MediaError('invalid-argument', outPath, 'no frames to encode');
    spawned.stdin.end();
    const status = await exited;
    stderr.end();
    if (status.exitCode !== 0 || pipeClosed) {
      const exit = status.exitCode ?? status.signal;
      const detail = stderr.lines().join(' | ') || '(no stderr output)';
      throw new MediaError('encode-failed', outPath, `ffmpeg exited with ${exit} after ${frameIndex} frames: ${detail}`);
    }
    await rename(partialPath, outPath);
  } catch (error) {
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitForExit(child).catch(() => undefined);
    }
    await rm(partialPath, { force: true });
    if (error instanceof MediaError) throw error;
    throw new MediaError('encode-failed', outPath, `encoding failed: ${String(error)}`, { cause: error });
  } finally {
    if (audioPath !== null) await rm(audioPath, { force: true });
  }
}

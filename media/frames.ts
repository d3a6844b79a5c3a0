import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { ffmpegFailure, MediaError } from './errors.js';
import { findFfmpeg } from './locate.js';
import { probeVideo, startsLikeMp4 } from './probe.js';
import { killAndWait, runTool, StderrTail, waitForExit } from './process.js';
import type { Frame, PixelFormat, VideoInfo } from './types.js';

export interface ReadFramesOptions {
  pixelFormat: PixelFormat;
  /** Output size; when only one is given the other follows the aspect ratio, when neither the display size. */
  width?: number;
  height?: number;
  signal?: AbortSignal;
  /** probeVideo's answer for this file, when the caller already has it: saves a second ffprobe run. */
  info?: VideoInfo;
  /** Yield every frame in the same buffer, overwritten by the next one (for callers that keep no frame). */
  reuseBuffer?: boolean;
}

/** Decoded frames ffmpeg may hold ready beyond the one being read, at most READ_AHEAD_MAX_BYTES of them. */
const READ_AHEAD_FRAMES = 4;
const READ_AHEAD_MAX_BYTES = 16 * 1024 * 1024;

/** One showinfo line per frame: `[Parsed_showinfo_1 @ 0x..] n:   3 pts:   1536 pts_time:0.1 ...`. */
const SHOWINFO_FRAME = /Parsed_showinfo_\d+ @ [^\]]*\]\s+n:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:(\S+)/;
const SHOWINFO_ANY = /Parsed_showinfo_\d+ @/;

/** Rounds to the nearest even integer, at least 2: yuv420p sources and most scalers want even sizes. */
function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

/** A size no wider than `maxWidth`, same aspect ratio, both dimensions even. */
export function analysisSize(width: number, height: number, maxWidth: number): { width: number; height: number } {
  if (!(width > 0 && height > 0 && maxWidth > 0)) {
    throw new MediaError('invalid-argument', `${width}x${height}`, `cannot fit a size into max width ${maxWidth}`);
  }
  if (width <= maxWidth) return { width: even(width), height: even(height) };
  const outWidth = Math.max(2, 2 * Math.floor(maxWidth / 2));
  return { width: outWidth, height: even((height * outWidth) / width) };
}

function outputSize(path: string, info: VideoInfo, options: ReadFramesOptions): { width: number; height: number } {
  const { width, height } = options;
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new MediaError('invalid-argument', path, `${name} ${value} must be a positive integer`);
    }
  }
  if (width !== undefined && height !== undefined) return { width, height };
  if (width !== undefined) return { width, height: even((info.height * width) / info.width) };
  if (height !== undefined) return { width: even((info.width * height) / info.height), height };
  return { width: info.width, height: info.height };
}

/** Timestamps parsed from showinfo, handed to the frame reader in order; it waits when stderr lags stdout. */
class FrameTimes {
  private readonly times: number[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  add(timeS: number): void {
    this.times.push(timeS);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  /** The next frame's pts_time, or null when stderr closed without one. */
  async next(): Promise<number | null> {
    while (this.times.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.times.shift() ?? null;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** Limited-range 8-bit planar Y'CbCr that extractplanes splits into its three planes as they are. */
const PLANAR_YUV_8BIT = new Set(['yuv420p', 'yuv422p', 'yuv444p', 'yuv411p', 'yuv410p']);

/**
 * The filter that brings decoded frames to `width`x`height` in `pixelFormat`. For yuv444p from 8-bit
 * limited-range planar Y'CbCr each plane is scaled on its own (area averaging) and the three merged:
 * byte for byte what `scale` to yuv444p gives (checked on 720p, 768p and 1080p 4:2:0), for a fifth
 * less of ffmpeg's CPU, since a chroma plane already at the output size is passed through untouched.
 */
function scaleFilter(pixelFormat: PixelFormat, width: number, height: number, info: VideoInfo): string {
  // A resizing yuv->rgb24 pass with plain `area` reads flat grey 128 as 126 in this ffmpeg (2018);
  // full_chroma_int takes the accurate path (measured 128) for about 25% more time in RGB mode only.
  if (pixelFormat === 'rgb24') return `scale=${width}:${height}:flags=area+full_chroma_int`;
  const planar = pixelFormat === 'yuv444p' && info.fullRange !== true && PLANAR_YUV_8BIT.has(info.pixelFormat ?? '');
  if (!planar) return `scale=${width}:${height}:flags=area`;
  // Equal ranges: a plane comes out as grey, which the scaler would otherwise expand from a `tv` tag to full range.
  const scale = `scale=${width}:${height}:flags=area:in_range=pc:out_range=pc`;
  return `extractplanes=y+u+v[y][u][v];[y]${scale}[ys];[u]${scale}[us];[v]${scale}[vs];[ys][us][vs]mergeplanes=0x001020:yuv444p`;
}

/**
 * Streams decoded frames as whole rawvideo frames from one ffmpeg process:
 * `-i IN -map 0:v:0 -vf SCALE,showinfo -pix_fmt gray|rgb24|yuv444p -vsync 0 -f rawvideo pipe:1` (SCALE: see scaleFilter),
 * after a probe (typed errors for text, truncated or video-less files, and the display size).
 * ffmpeg applies the rotation tag itself (autorotate). `-vsync 0` passes frames through as decoded,
 * so a variable-frame-rate clip is not padded with duplicates; each frame's time comes from showinfo
 * on stderr. A slow consumer pauses the pipe (ffmpeg waits), so memory stays flat; stopping early
 * kills ffmpeg.
 */
export async function* readFrames(path: string, options: ReadFramesOptions): AsyncGenerator<Frame> {
  const info = options.info ?? (await probeVideo(path));
  const { width, height } = outputSize(path, info, options);
  const channels = options.pixelFormat === 'gray' ? 1 : 3;
  const frameBytes = width * height * channels;
  const signal = options.signal;
  if (signal?.aborted) throw new MediaError('aborted', path, 'frame reading was aborted before it started');

  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-threads', '0', '-i', path];
  const filters = `${scaleFilter(options.pixelFormat, width, height, info)},showinfo=checksum=0`;
  args.push('-map', '0:v:0', '-an', '-sn', '-dn', '-vf', filters);
  args.push('-pix_fmt', options.pixelFormat, '-vsync', '0', '-f', 'rawvideo', 'pipe:1');
  const child = spawn(findFfmpeg(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = waitForExit(child);
  exited.catch(() => undefined);

  const stderr = new StderrTail(12, SHOWINFO_ANY);
  const times = new FrameTimes();
  let sawPartialFile = false;
  const onStderrLines = (lines: readonly string[]): void => {
    for (const line of lines) {
      const match = SHOWINFO_FRAME.exec(line);
      if (match) times.add(Number(match[3]));
      else if (/partial file/i.test(line)) sawPartialFile = true;
    }
  };
  child.stderr.on('data', (chunk: Buffer) => onStderrLines(stderr.push(chunk)));
  child.stderr.on('close', () => {
    onStderrLines(stderr.end());
    times.end();
  });
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    let index = 0;
    let firstTimeS = 0;
    let frame = new Uint8Array(frameBytes);
    let filled = 0;
    // ffmpeg decodes ahead while the caller works on a frame: up to READ_AHEAD_FRAMES wait in this
    // buffer (memory stays bounded), where the pipe alone holds less than one frame and stalls it.
    const readAhead = new PassThrough({ highWaterMark: Math.min(READ_AHEAD_FRAMES * frameBytes, READ_AHEAD_MAX_BYTES) });
    child.stdout.pipe(readAhead);
    for await (const chunk of readAhead as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < frameBytes) break;
        const ptsTimeS = await times.next();
        if (ptsTimeS === null || !Number.isFinite(ptsTimeS)) {
          throw new MediaError('decode-failed', path, `frame ${index} has no timestamp in ffmpeg's showinfo output`);
        }
        if (index === 0) firstTimeS = ptsTimeS;
        yield { index, timeS: ptsTimeS - firstTimeS, width, height, channels, data: frame };
        index += 1;
        if (options.reuseBuffer !== true) frame = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
    const status = await exited;
    if (signal?.aborted) throw new MediaError('aborted', path, `frame reading was aborted after ${index} frames`);
    if (status.exitCode !== 0) {
      const what = `decoding failed after ${index} frames, exit ${status.exitCode ?? status.signal}`;
      throw ffmpegFailure(path, stderr.lines(), 'decode-failed', what, { startsLikeMp4: await startsLikeMp4(path) });
    }
    if (filled !== 0) {
      throw new MediaError('decode-failed', path, `stream ended inside frame ${index} (${filled} of ${frameBytes} bytes) (ffmpeg: ${stderr.lastLine()})`);
    }
    if (sawPartialFile) throw new MediaError('truncated', path, `truncated file: decoding stopped after ${index} frames (ffmpeg: partial file)`);
    if (index === 0) throw new MediaError('decode-failed', path, `no frames decoded (ffmpeg: ${stderr.lastLine()})`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await killAndWait(child);
  }
}

/**
 * Presentation time (pts_time, seconds) of the first frame readFrames would yield, from ffmpeg
 * decoding just that frame (about 0.1 s): the zero of every frame and audio time.
 */
export async function firstFrameTimeS(path: string, signal?: AbortSignal): Promise<number> {
  let timeS: number | null = null;
  const onStderrLine = (line: string): void => {
    const match = timeS === null ? SHOWINFO_FRAME.exec(line) : null;
    if (match) timeS = Number(match[3]);
  };
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-i', path];
  args.push('-map', '0:v:0', '-vf', 'showinfo=checksum=0', '-frames:v', '1', '-f', 'null', '-');
  const run = await runTool(findFfmpeg(), args, { onStderrLine, stderrIgnore: SHOWINFO_ANY, ...(signal ? { signal } : {}) });
  if (signal?.aborted) throw new MediaError('aborted', path, 'reading the first frame was aborted');
  if (run.exitCode !== 0) {
    const what = `decoding the first frame failed, exit ${run.exitCode ?? run.signal}`;
    throw ffmpegFailure(path, run.stderr.lines(), 'decode-failed', what, { startsLikeMp4: await startsLikeMp4(path) });
  }
  const found: number | null = timeS;
  if (found === null || !Number.isFinite(found)) throw new MediaError('decode-failed', path, 'no video frame decoded');
  return found;
}

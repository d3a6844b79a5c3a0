import { ffmpegFailure, MediaError } from './errors.js';
import { findFfmpeg } from './locate.js';
import { firstFrameTimeS } from './frames.js';
import { probeVideo, startsLikeMp4 } from './probe.js';
import { runTool } from './process.js';
import type { AudioTrack, VideoInfo } from './types.js';

export interface ReadAudioOptions {
  /** Output rate in Hz, e.g. 16000 or 48000. */
  sampleRate: number;
  signal?: AbortSignal;
  /** probeVideo's answer for this file, when the caller already has it: saves a second ffprobe run. */
  info?: VideoInfo;
}

/** `[Parsed_ashowinfo_0 @ 0x..] n:0 pts:0 pts_time:0 ...`: the first decoded audio frame. */
const FIRST_AUDIO_FRAME = /Parsed_ashowinfo_\d+ @ [^\]]*\]\s+n:\s*0\s+pts:\s*-?\d+\s+pts_time:(\S+)/;
const ASHOWINFO_ANY = /Parsed_ashowinfo_\d+ @/;

/** Copies f32le bytes into a fresh, aligned Float32Array (ffmpeg's output buffer may sit at any offset). */
function float32FromBytes(bytes: Buffer): Float32Array {
  const samples = new Float32Array(Math.floor(bytes.length / 4));
  new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.length * 4));
  return samples;
}

/**
 * Shifts decoded samples so index 0 is the first video frame: a positive offset (audio starts later)
 * pads zeros in front, a negative one drops the audio heard before the picture.
 */
export function alignToVideo(samples: Float32Array, offsetSamples: number): Float32Array {
  if (offsetSamples === 0) return samples;
  if (offsetSamples < 0) return samples.slice(Math.min(samples.length, -offsetSamples));
  const padded = new Float32Array(samples.length + offsetSamples);
  padded.set(samples, offsetSamples);
  return padded;
}

/**
 * Decodes the first audio stream as mono float32 PCM at `sampleRate` (`-f f32le -ac 1 -ar RATE`);
 * null when the file has no audio. The pts_time of the first audio frame (ashowinfo) and of the
 * first video frame (firstFrameTimeS) set the alignment, so sample 0 is the first video frame's
 * presentation time. The AAC encoder's priming samples never show up: the MP4 edit
 * list makes ffmpeg's decoder drop them and start the audio timestamps after them (tested).
 */
export async function readAudio(path: string, options: ReadAudioOptions): Promise<AudioTrack | null> {
  const { sampleRate } = options;
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) {
    throw new MediaError('invalid-argument', path, `sample rate ${sampleRate} must be a positive integer`);
  }
  const info = options.info ?? (await probeVideo(path));
  if (!info.hasAudio) return null;

  let firstAudioS: number | null = null;
  const onStderrLine = (line: string): void => {
    const match = firstAudioS === null ? FIRST_AUDIO_FRAME.exec(line) : null;
    if (match) firstAudioS = Number(match[1]);
  };
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-i', path];
  args.push('-map', '0:a:0', '-af', 'ashowinfo', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1');
  const signal = options.signal;
  const runOptions = { onStderrLine, stderrIgnore: ASHOWINFO_ANY, ...(signal ? { signal } : {}) };
  // The first video frame is decoded by a second, short ffmpeg run: in one process with two outputs,
  // ffmpeg 2018 kept decoding the whole video after `-frames:v 1` (4.5 s instead of 0.07 s for 10 s of 720p).
  const [run, firstVideoS] = await Promise.all([runTool(findFfmpeg(), args, runOptions), firstFrameTimeS(path, signal)]);
  if (signal?.aborted) throw new MediaError('aborted', path, 'audio decoding was aborted');
  if (run.exitCode !== 0) {
    const what = `audio decoding failed, exit ${run.exitCode ?? run.signal}`;
    throw ffmpegFailure(path, run.stderr.lines(), 'decode-failed', what, { startsLikeMp4: await startsLikeMp4(path) });
  }
  const audioStartS: number | null = firstAudioS;
  if (audioStartS === null || !Number.isFinite(audioStartS)) {
    throw new MediaError('decode-failed', path, "no timestamp for the first audio frame in ffmpeg's output");
  }
  const offsetSamples = Math.round((audioStartS - firstVideoS) * sampleRate);
  return { sampleRate, samples: alignToVideo(float32FromBytes(run.stdout), offsetSamples) };
}

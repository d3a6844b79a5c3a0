import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFfmpeg } from '../../media/locate.js';
import { runTool } from '../../media/process.js';

/** A fresh temporary directory and its cleanup, for one test file's fixtures. */
export function fixtureDir(prefix: string): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `physeval-${prefix}-`));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the located ffmpeg with `-y -loglevel error` and fails loudly with its stderr. */
export async function makeWithFfmpeg(args: readonly string[]): Promise<void> {
  const run = await runTool(findFfmpeg(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { timeoutMs: 30_000 });
  if (run.exitCode !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${run.stderr.lines().join(' | ')}`);
}

/** Silence with a 1 kHz cosine burst from `onsetS` on: a step the onset finder can time to a sample. */
export function burstTrack(sampleRate: number, durationS: number, onsetS: number, burstS = 0.05): Float32Array {
  const samples = new Float32Array(Math.round(sampleRate * durationS));
  const start = Math.round(onsetS * sampleRate);
  const end = Math.min(samples.length, start + Math.round(burstS * sampleRate));
  for (let i = start; i < end; i += 1) samples[i] = 0.8 * Math.cos((2 * Math.PI * 1000 * (i - start)) / sampleRate);
  return samples;
}

/** Time of the first sample whose magnitude exceeds a quarter of the peak: above codec pre-echo and resampler ringing. */
export function firstOnsetS(samples: Float32Array, sampleRate: number): number {
  let peak = 0;
  for (const value of samples) peak = Math.max(peak, Math.abs(value));
  const threshold = peak / 4;
  const index = samples.findIndex((value) => Math.abs(value) > threshold);
  return index / sampleRate;
}

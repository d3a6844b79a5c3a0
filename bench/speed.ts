/**
 * Speed and memory: `npm run bench`.
 * Renders a 10 s 1280x720 30 fps clip with the simulator, then times, in this one run, ffmpeg's bare
 * decode of it against physeval's analysis (each metric family, and all together), and prints the ratios
 * of wall time and, on Linux, of CPU time (this process and its ffmpeg children: on a shared, loaded
 * machine wall time depends on the neighbours, CPU time much less).
 * `--long` adds the peak memory of analysing a 60 s 1080p clip, measured in a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeVideo } from '../metrics/analyze-video.js';
import { METRICS, type MetricId } from '../metrics/registry.js';
import type { Metric } from '../metrics/types.js';
import { findFfmpeg } from '../media/locate.js';
import { getPrompt } from '../prompts/catalog.js';
import { simulateClip } from '../runners/sim/simulate-clip.js';

const REPEATS = 3;
const PROMPT_ID = 'rubber-ball-bounce-concrete';

interface Timing {
  wallS: number;
  /** CPU time of this process and of the children it waited for (ffmpeg); null where /proc is missing. */
  cpuS: number | null;
}

/** User + system CPU of this process and its reaped children, s, from /proc/self/stat (fields 14-17, in clock ticks). */
function cpuSecondsWithChildren(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, the unit of /proc/self/stat times. */
const CLOCK_TICKS_PER_S = 100;

async function bestOf(times: number, task: () => unknown): Promise<Timing> {
  let best: Timing = { wallS: Infinity, cpuS: null };
  for (let i = 0; i < times; i++) {
    const cpuStart = cpuSecondsWithChildren();
    const start = performance.now();
    await task();
    const wallS = (performance.now() - start) / 1000;
    const cpuEnd = cpuSecondsWithChildren();
    if (wallS < best.wallS) best = { wallS, cpuS: cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart };
  }
  return best;
}

/**
 * A metric that reads every frame (at most `frameWidthPx` wide) and, unless `audio` is false, the audio,
 * and does nothing (with `rgb`, it asks each frame for its RGB): the analysis' own decoding, the floor under every row.
 */
function decodeOnly(options: { frameWidthPx?: number; audio?: boolean; rgb?: boolean } = {}): Metric {
  const { frameWidthPx, audio = true, rgb = false } = options;
  return {
    id: 'decode-only',
    version: '0',
    description: 'reads the frames and the audio, measures nothing',
    reference: 'none',
    outputs: {},
    codes: [],
    needs: { frames: true, audio, ...(frameWidthPx === undefined ? {} : { frameWidthPx }) },
    after: [],
    defaultThresholds: {},
    start: () => ({
      onFrame: (frame) => {
        // Reading the getter is what makes the RGB (see analyzeVideo's analysisFrameOf).
        if (rgb) void frame.rgb;
      },
      finish: () => ({ value: {}, failures: [] }),
    }),
  };
}

type Step = MetricId | 'decode-only' | 'decode-only-frames' | 'decode-only-rgb' | 'decode-only-temporal';

function stepMetric(id: Step): Metric {
  if (id === 'decode-only') return decodeOnly();
  if (id === 'decode-only-frames') return decodeOnly({ audio: false });
  if (id === 'decode-only-rgb') return decodeOnly({ audio: false, rgb: true });
  if (id === 'decode-only-temporal') return decodeOnly({ frameWidthPx: METRICS.temporal.needs.frameWidthPx });
  return METRICS[id];
}

async function analysisTiming(path: string, ids: readonly Step[]): Promise<Timing> {
  const prompt = getPrompt(PROMPT_ID);
  const metrics = ids.map(stepMetric);
  for (const metric of metrics) await metric.prepare?.();
  return bestOf(REPEATS, () => analyzeVideo(path, { expect: prompt.expect, metrics }));
}

function cpuRatio(step: Timing, decode: Timing): string {
  return step.cpuS === null || decode.cpuS === null || decode.cpuS === 0 ? 'n/a' : (step.cpuS / decode.cpuS).toFixed(2);
}

/** Peak RSS of analysing `path` in a fresh process, MB. */
function peakMemoryMb(path: string): number {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [self, '--measure-memory', path], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`memory probe failed: ${child.stderr}`);
  return Number(child.stdout.trim());
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure-memory') {
    const path = process.argv[3]!;
    await analyzeVideo(path, { expect: getPrompt(PROMPT_ID).expect, metrics: Object.values(METRICS) });
    process.stdout.write(`${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'physeval-bench-'));
  try {
    const clip = join(dir, 'clip-720p.mp4');
    await simulateClip(getPrompt(PROMPT_ID), clip, { width: 1280, height: 720, fps: 30, durationS: 10 });
    const ffmpeg = findFfmpeg();
    const decode = await bestOf(REPEATS, () => execFileSync(ffmpeg, ['-v', 'error', '-threads', '0', '-i', clip, '-f', 'null', '-']));
    console.log(`10 s 1280x720 30 fps clip, best of ${REPEATS} by wall time`);
    console.log('step | wall s | × bare decode (wall) | CPU s | × bare decode (CPU) | target');
    console.log(`ffmpeg bare decode | ${decode.wallS.toFixed(3)} | 1.00 | ${decode.cpuS?.toFixed(2) ?? 'n/a'} | 1.00 |`);
    const rows: Array<[string, Step[], string]> = [
      ["analysis decode alone (640x360 Y'CbCr 4:4:4 frames and audio, no metric)", ['decode-only'], ''],
      ['analysis decode alone, frames only', ['decode-only-frames'], ''],
      ['... and their RGB (what trajectory reads: its floor)', ['decode-only-rgb'], ''],
      [`analysis decode alone at ${METRICS.temporal.needs.frameWidthPx ?? 'full'} px wide (what temporal + avsync read)`, ['decode-only-temporal'], ''],
      ['trajectory', ['trajectory'], '≤ 2'],
      ['temporal + avsync', ['temporal', 'avsync'], '≤ 3'],
      ['all metrics (trajectory, temporal, avsync)', ['trajectory', 'temporal', 'avsync'], '≤ 3'],
    ];
    for (const [label, ids, target] of rows) {
      const timing = await analysisTiming(clip, ids);
      console.log(`${label} | ${timing.wallS.toFixed(3)} | ${(timing.wallS / decode.wallS).toFixed(2)} | ${timing.cpuS?.toFixed(2) ?? 'n/a'} | ${cpuRatio(timing, decode)} | ${target}`);
    }
    if (process.argv.includes('--long')) {
      const long = join(dir, 'clip-1080p-60s.mp4');
      await simulateClip(getPrompt(PROMPT_ID), long, { width: 1920, height: 1080, fps: 30, durationS: 60 });
      console.log(`peak memory, 60 s 1080p clip, all metrics | ${peakMemoryMb(long)} MB | target < 300 MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

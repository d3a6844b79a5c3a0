/**
 * Speed and memory: `npm run bench`.
 * Renders a 10 s 1280x720 30 fps clip with the simulator, then times, in this one run, ffmpeg's bare
 * decode of it against physeval's analysis (each metric family, and all together), and prints the ratios.
 * `--long` adds the peak memory of analysing a 60 s 1080p clip, measured in a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeVideo } from '../metrics/analyze-video.js';
import { METRICS, type MetricId } from '../metrics/registry.js';
import { findFfmpeg } from '../media/locate.js';
import { getPrompt } from '../prompts/catalog.js';
import { simulateClip } from '../runners/sim/simulate-clip.js';

const REPEATS = 3;
const PROMPT_ID = 'rubber-ball-bounce-concrete';

function bestOf(times: number, task: () => void): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    task();
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

async function bestOfAsync(times: number, task: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await task();
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

async function analysisSeconds(path: string, ids: readonly MetricId[]): Promise<number> {
  const prompt = getPrompt(PROMPT_ID);
  return bestOfAsync(REPEATS, () => analyzeVideo(path, { expect: prompt.expect, metrics: ids.map((id) => METRICS[id]) }));
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
    const decodeS = bestOf(REPEATS, () => execFileSync(ffmpeg, ['-v', 'error', '-threads', '0', '-i', clip, '-f', 'null', '-']));
    console.log(`10 s 1280x720 30 fps clip, best of ${REPEATS}`);
    console.log('step | seconds | × bare decode | target');
    console.log(`ffmpeg bare decode | ${decodeS.toFixed(3)} | 1.00 |`);
    const rows: Array<[string, MetricId[], string]> = [
      ['trajectory', ['trajectory'], '≤ 2'],
      ['all metrics (trajectory, temporal, avsync)', ['trajectory', 'temporal', 'avsync'], '≤ 3'],
    ];
    for (const [label, ids, target] of rows) {
      const seconds = await analysisSeconds(clip, ids);
      console.log(`${label} | ${seconds.toFixed(3)} | ${(seconds / decodeS).toFixed(2)} | ${target}`);
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

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { encodeVideo } from '../../media/encode.js';
import { readFrames } from '../../media/frames.js';
import { findFfmpeg } from '../../media/locate.js';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { temporalMetric, type TemporalValue } from '../../metrics/temporal.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Failure } from '../../prompts/codes.js';
import { simulateClip, type SimOptions } from '../../runners/sim/index.js';

const WIDTH = 320;
const HEIGHT = 180;
const FPS = 30;
const prompt = getPrompt('tennis-ball-bounce-concrete');
const directory = mkdtempSync(join(tmpdir(), 'physeval-temporal-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let clipNumber = 0;
async function simulated(options: SimOptions = {}): Promise<string> {
  const outPath = join(directory, `sim-${clipNumber++}.mp4`);
  await simulateClip(prompt, outPath, { width: WIDTH, height: HEIGHT, fps: FPS, durationS: 2, audio: false, ...options });
  return outPath;
}

async function temporal(path: string): Promise<{ value: TemporalValue; failures: Failure[] }> {
  const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [temporalMetric] });
  expect(result.errors).toEqual({});
  const outcome = result.outcomes['temporal']!;
  return { value: outcome.value as unknown as TemporalValue, failures: outcome.failures };
}

/** Decodes a clip's RGB frames at full size. */
async function decodeAll(path: string): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for await (const frame of readFrames(path, { pixelFormat: 'rgb24' })) frames.push(frame.data);
  return frames;
}

/** Re-encodes frames, after `edit`, as a constant-rate clip. */
async function reencoded(frames: readonly Uint8Array[], name: string): Promise<string> {
  const outPath = join(directory, name);
  await encodeVideo(frames, { outPath, width: WIDTH, height: HEIGHT, fps: FPS });
  return outPath;
}

/** The frame moved by (dx, dy) px, edges repeated: a camera shake. */
function shifted(rgb: Uint8Array, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < HEIGHT; y++) {
    const sy = Math.min(HEIGHT - 1, Math.max(0, y - dy));
    for (let x = 0; x < WIDTH; x++) {
      const sx = Math.min(WIDTH - 1, Math.max(0, x - dx));
      out.set(rgb.subarray(3 * (sy * WIDTH + sx), 3 * (sy * WIDTH + sx) + 3), 3 * (y * WIDTH + x));
    }
  }
  return out;
}

const codes = (failures: Failure[]): string[] => failures.map((f) => f.code);

describe('temporal metric on degenerate input', () => {
  it('judges nothing, and does not throw, with no frame or a single one', async () => {
    await temporalMetric.prepare?.();
    for (const frameCount of [0, 1]) {
      const session = temporalMetric.start({
        video: { path: 'x.mp4', sizeBytes: 0, width: 4, height: 2, fps: 30, variableFrameRate: false, frameCount, durationS: 0, rotationDeg: 0, videoCodec: 'h264', hasAudio: false, audio: null },
        analysisScale: 1,
        analysisWidth: 4,
        analysisHeight: 2,
        expect: prompt.expect,
        thresholds: temporalMetric.defaultThresholds,
      });
      if (frameCount === 1) session.onFrame({ index: 0, timeS: 0, width: 4, height: 2, rgb: new Uint8Array(24).fill(50), gray: new Uint8Array(8).fill(50) });
      const outcome = await session.finish({ audio: null, earlier: {} });
      expect(outcome.failures).toEqual([]);
      expect(outcome.value).toMatchObject({ flickerIndex: null, frozenRuns: [], sceneCutsS: [], lumaSeries: frameCount === 1 ? [50] : [] });
    }
  });
});

describe('temporal metric on simulated clips', () => {
  let exactFrames: Uint8Array[] = [];
  beforeAll(async () => {
    exactFrames = await decodeAll(await simulated());
  });

  it('passes exact clips with noise, texture and watermark, and at 24 and 60 fps', async () => {
    for (const options of [{}, { fps: 24, seed: 5 }, { fps: 60, seed: 7, noiseSigma: 4 }]) {
      const { value, failures } = await temporal(await simulated(options));
      expect(failures).toEqual([]);
      expect(value.flickerIndex!).toBeLessThan(0.002);
      expect(value.sceneCutsS).toEqual([]);
      expect(value.frameIntervalMs.std).toBeLessThan(0.1);
    }
  });

  it('finds the planted flicker, at the default ±25% and at ±8%', async () => {
    for (const strength of [0.25, 0.08]) {
      const { value, failures } = await temporal(await simulated({ defect: { code: 'flicker', value: strength } }));
      expect(codes(failures)).toEqual(['flicker']);
      expect(value.flickerIndex!).toBeGreaterThan(strength / 2);
      expect(value.flickerIndex!).toBeLessThan(strength * 2.5);
      expect(value.sceneCutsS).toEqual([]);
      expect(value.warp.flickerIndex!).toBeGreaterThan(0.02);
    }
  });

  it('reads a clip reduced twice from its Y\'CbCr planes: the exact clip passes, planted flicker (±8%) and a dimming ramp are told apart', async () => {
    // 640x360 read at the metric's 80 px: the frames come as planes, averaged into cells by ffmpeg.
    const large = { width: 640, height: 360, durationS: 1.5 } as const;
    const exact = await temporal(await simulated(large));
    expect(exact.failures).toEqual([]);
    expect(exact.value.flickerIndex!).toBeLessThan(0.002);
    const flicker = await temporal(await simulated({ ...large, seed: 3, defect: { code: 'flicker', value: 0.08 } }));
    expect(codes(flicker.failures)).toEqual(['flicker']);
    expect(flicker.value.flickerIndex!).toBeGreaterThan(0.04);
    const dimming = await temporal(await simulated({ ...large, seed: 4, lightingRamp: -0.35 }));
    expect(dimming.failures).toEqual([]);
  });

  it('does not take a slow lighting ramp (+40% over the clip) for flicker', async () => {
    const ramp = exactFrames.map((rgb, i) => {
      const gain = 0.8 + (0.4 * i) / (exactFrames.length - 1);
      return rgb.map((v) => Math.min(255, Math.round(v * gain)));
    });
    const { value, failures } = await temporal(await reencoded(ramp, 'ramp.mp4'));
    expect(failures).toEqual([]);
    expect(value.flickerIndex!).toBeLessThan(0.005);
    expect(value.lumaSeries.at(-1)! / value.lumaSeries[0]!).toBeGreaterThan(1.3);
    expect(value.warp.flickerIndex!).toBeLessThan(0.01);
  });

  it('does not take camera shake (up to ±4 px a frame) for flicker, and warps the exact clip almost perfectly', async () => {
    const exact = await temporal(await reencoded(exactFrames, 'exact.mp4'));
    expect(exact.value.warp.ssimMean!).toBeGreaterThan(0.8);
    expect(exact.value.warp.errorMean!).toBeLessThan(0.03);
    expect(exact.value.warp.reliableFraction!).toBeGreaterThan(0.8);
    const shaken = exactFrames.map((rgb, i) => shifted(rgb, ((i * 7) % 9) - 4, ((i * 5) % 7) - 3));
    const { value, failures } = await temporal(await reencoded(shaken, 'shake.mp4'));
    expect(failures).toEqual([]);
    expect(value.warp.flickerIndex!).toBeLessThan(0.01);
  });

  it('finds a picture frozen for 8 frames mid-clip', async () => {
    const frozen = exactFrames.map((rgb, i) => (i >= 20 && i < 28 ? exactFrames[20]! : rgb));
    const { value, failures } = await temporal(await reencoded(frozen, 'frozen.mp4'));
    expect(codes(failures)).toEqual(['frozen-frames']);
    expect(value.frozenRuns).toEqual([{ startS: expect.closeTo(20 / FPS, 3), frames: 8, freeze: true }]);
  });

  it('finds a scene cut and nothing else', async () => {
    const cut = exactFrames.map((rgb, i) => (i < 30 ? rgb : rgb.map((v) => 255 - v)));
    const { value, failures } = await temporal(await reencoded(cut, 'cut.mp4'));
    expect(codes(failures)).toEqual(['scene-cut']);
    expect(value.sceneCutsS).toEqual([expect.closeTo(1, 3)]);
  });

  it('finds a dropped frame in the timestamps', async () => {
    const source = await simulated({ seed: 3 });
    const outPath = join(directory, 'dropped.mp4');
    // Drop frame 30 but keep every other frame's timestamp: a 67 ms gap at 1.0 s.
    const ffmpeg = spawnSync(findFfmpeg(), ['-v', 'error', '-y', '-i', source, '-vf', 'select=not(eq(n\\,30))', '-vsync', '0', '-c:v', 'libx264', '-preset', 'veryfast', outPath]);
    expect(ffmpeg.status).toBe(0);
    const { value, failures } = await temporal(outPath);
    expect(codes(failures)).toEqual(['timing-irregular']);
    expect(failures[0]!.atS).toBeCloseTo(31 / FPS, 3);
    expect(value.frameIntervalMs.max).toBeCloseTo(2000 / FPS, 0);
    expect(value.frameIntervalMs.median).toBeCloseTo(1000 / FPS, 1);
  });
});

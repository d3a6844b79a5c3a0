import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeVideo } from '../../media/encode.js';
import { readFrames } from '../../media/frames.js';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { appearanceChanges, deltaE76, srgbToLab } from '../../metrics/appearance.js';
import { discSignature, type AppearanceSample, type ObjectAppearance } from '../../metrics/appearance-signature.js';
import { temporalMetric, type TemporalValue } from '../../metrics/temporal.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Failure } from '../../prompts/codes.js';
import { simulateClip } from '../../runners/sim/simulate-clip.js';
import type { GroundTruth } from '../../runners/sim/truth.js';

describe('colour conversions', () => {
  it('gives the CIE L*a*b* of known sRGB colours', () => {
    const white = srgbToLab(255, 255, 255);
    expect(white[0]).toBeCloseTo(100, 1);
    expect(Math.abs(white[1])).toBeLessThan(0.05);
    expect(Math.abs(white[2])).toBeLessThan(0.05);
    // sRGB red: L* 53.24, a* 80.09, b* 67.20 (D65).
    const red = srgbToLab(255, 0, 0);
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 0);
    expect(red[2]).toBeCloseTo(67.2, 0);
    expect(srgbToLab(0, 0, 0)).toEqual([0, 0, 0]);
    expect(deltaE76([50, 3, 4], [50, 0, 0])).toBe(5);
  });
});

describe('disc signature', () => {
  it('reads the mean colour inside 0.7 of the radius and the texture of its luma', () => {
    const width = 40;
    const height = 30;
    const rgb = new Uint8Array(width * height * 3).fill(20);
    // A disc of radius 10 at (20, 15): inner part striped 100/200 in red, background 20 elsewhere.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((x - 20) ** 2 + (y - 15) ** 2 > 100) continue;
        rgb.set([y % 2 === 0 ? 100 : 200, 50, 50], 3 * (y * width + x));
      }
    }
    const [red, green, blue, variation] = discSignature(rgb, width, height, { xPx: 20, yPx: 15, radiusPx: 10 })!;
    expect(red).toBeGreaterThan(140);
    expect(red).toBeLessThan(160);
    expect([green, blue]).toEqual([50, 50]);
    // Luma 64.9 and 94.8 in equal shares: σ/μ = 14.95 / 79.85 = 0.187.
    expect(variation).toBeGreaterThan(0.17);
    expect(variation).toBeLessThan(0.2);
    expect(discSignature(rgb, width, height, { xPx: 20.5, yPx: 15.5, radiusPx: 0.5 })).toBeNull();
  });
});

/** An object seen in `frames` frames at 30 fps with the colour `colourAt(frame)`. */
function object(frames: number, colourAt: (frame: number) => [number, number, number]): ObjectAppearance {
  const samples = Array.from({ length: frames }, (_, k): AppearanceSample => [k, k / 30, ...colourAt(k), 0.05]);
  return { id: 1, samples };
}

describe('appearance changes of tracked objects', () => {
  const orange: [number, number, number] = [200, 100, 40];
  const flat = (): number => 1;

  it('judges a constant colour under a lighting ramp unchanged once the ramp is divided out', () => {
    const gain = (frame: number): number => 0.8 + (0.4 * frame) / 59;
    const ramped = object(60, (k) => orange.map((c) => c * gain(k)) as [number, number, number]);
    const [judged] = appearanceChanges([ramped], gain);
    expect(judged!.deltaE!).toBeLessThan(0.5);
    expect(judged!.changeAtS).toBeNull();
    // Without the division the same clip's thirds differ by ΔE 19.
    expect(appearanceChanges([ramped], flat)[0]!.deltaE!).toBeGreaterThan(15);
  });

  it('ignores a translucent white overlay passing over a few sightings', () => {
    const veiled = object(60, (k) => (k >= 5 && k < 12 ? (orange.map((c) => c + 0.35 * (255 - c)) as [number, number, number]) : orange));
    expect(appearanceChanges([veiled], flat)[0]!.deltaE!).toBeLessThan(1);
  });

  it('measures a lasting change of colour and says when it began', () => {
    const morph = object(60, (k) => {
      const p = Math.min(1, Math.max(0, (k - 25) / 10));
      return orange.map((c) => c + p * (255 - 2 * c)) as [number, number, number];
    });
    const [judged] = appearanceChanges([morph], flat);
    expect(judged!.deltaE!).toBeGreaterThan(60);
    expect(judged!.changeAtS!).toBeGreaterThan(25 / 30);
    expect(judged!.changeAtS!).toBeLessThan(35 / 30);
  });

  it('does not judge an object seen too few times', () => {
    expect(appearanceChanges([object(11, () => orange)], flat)[0]).toMatchObject({ sightings: 11, deltaE: null, changeAtS: null });
  });
});

describe('appearance-change and motion smoothness on simulated clips (trajectory, then temporal)', () => {
  const prompt = getPrompt('basketball-bounce-hardwood');
  const directory = mkdtempSync(join(tmpdir(), 'physeval-appearance-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const options = { width: 320, height: 180, fps: 24, durationS: 2, audio: false, seed: 4 } as const;
  let exactPath = '';
  let truth: GroundTruth | null = null;
  let changedPath = '';

  beforeAll(async () => {
    exactPath = join(directory, 'exact.mp4');
    changedPath = join(directory, 'changed.mp4');
    await simulateClip(prompt, exactPath, options);
    truth = await simulateClip(prompt, changedPath, { ...options, defect: { code: 'appearance-change' } });
  });

  async function analysed(path: string): Promise<{ value: TemporalValue; failures: Failure[] }> {
    const result = await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric, temporalMetric] });
    expect(result.errors).toEqual({});
    return { value: result.outcomes['temporal']!.value as unknown as TemporalValue, failures: result.failures };
  }

  it('finds the planted colour morph, at the time it was planted, and raises nothing else', async () => {
    const { value, failures } = await analysed(changedPath);
    expect(failures.map((f) => f.code)).toEqual(['appearance-change']);
    expect(value.appearance).toHaveLength(1);
    expect(value.appearance[0]!.deltaE!).toBeGreaterThan(40);
    const planted = truth!.defect!;
    expect(value.appearance[0]!.changeAtS!).toBeGreaterThanOrEqual(planted.atS);
    expect(value.appearance[0]!.changeAtS!).toBeLessThanOrEqual(planted.atS + planted.value);
  });

  it('passes the exact clip, and the same clip under a +40% lighting ramp', async () => {
    const exact = await analysed(exactPath);
    expect(exact.failures).toEqual([]);
    expect(exact.value.appearance[0]!.deltaE!).toBeLessThan(3);
    // The same run gives the motion smoothness of the tracked ball: a ballistic path, jerk within its noise.
    expect(exact.value.motion).toHaveLength(1);
    expect(exact.value.motion[0]!.jerkRatio!).toBeLessThan(1.5);
    expect(exact.value.motion[0]!.accelerationJumpsS).toEqual([]);
    const frames: Uint8Array[] = [];
    for await (const frame of readFrames(exactPath, { pixelFormat: 'rgb24' })) frames.push(frame.data);
    const rampPath = join(directory, 'ramp.mp4');
    const ramp = frames.map((rgb, i) => rgb.map((v) => Math.min(255, Math.round(v * (0.8 + (0.4 * i) / (frames.length - 1))))));
    await encodeVideo(ramp, { outPath: rampPath, width: options.width, height: options.height, fps: options.fps });
    const ramped = await analysed(rampPath);
    expect(ramped.failures).toEqual([]);
    expect(ramped.value.appearance[0]!.deltaE!).toBeLessThan(5);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAudio } from '../../../media/audio.js';
import { readFrames } from '../../../media/frames.js';
import type { Frame } from '../../../media/types.js';
import { promptSchema } from '../../../prompts/schema.js';
import { chooseDefect } from '../../../runners/sim/defects.js';
import { createSimGenerator } from '../../../runners/sim/generator.js';
import type { SimOptions } from '../../../runners/sim/options.js';
import { prepareClip, simulateClip, truthPathFor } from '../../../runners/sim/simulate-clip.js';
import type { GroundTruth, TruthSample } from '../../../runners/sim/truth.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY: SimOptions = { width: 320, height: 180, durationS: 1.5, watermark: false };

const bounce = promptSchema.parse({
  id: 'clip-bounce',
  text: 'a red rubber ball is dropped and bounces on a wooden floor',
  category: 'bounce',
  durationS: 1.5,
  expect: { objects: [{ name: 'ball', colorHint: 'red', diameterM: 0.15, material: 'rubber' }], audibleImpacts: true },
});

async function decodeGray(path: string): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of readFrames(path, { pixelFormat: 'gray' })) frames.push(frame);
  return frames;
}

/**
 * Centroid of the ball in a decoded grey frame: pixels near the truth position that differ from a
 * reference frame (where the ball is elsewhere), each weighted by its difference up to the ball's
 * contrast, so the anti-aliased edge counts by its coverage.
 */
function decodedCentroid(frame: Frame, reference: Frame, sample: TruthSample): { xPx: number; yPx: number } {
  const reach = Math.ceil(sample[3]) + 3;
  const diffs: Array<[number, number, number]> = [];
  for (let j = Math.round(sample[2]) - reach; j <= Math.round(sample[2]) + reach; j += 1) {
    for (let i = Math.round(sample[1]) - reach; i <= Math.round(sample[1]) + reach; i += 1) {
      const k = j * frame.width + i;
      diffs.push([i, j, Math.abs((frame.data[k] ?? 0) - (reference.data[k] ?? 0))]);
    }
  }
  const contrast = Math.max(...diffs.map((d) => d[2])) * 0.6;
  let sum = 0;
  let sumX = 0;
  let sumY = 0;
  for (const [i, j, diff] of diffs) {
    if (diff < 12) continue;
    const weight = Math.min(1, diff / contrast);
    sum += weight;
    sumX += weight * i;
    sumY += weight * j;
  }
  return { xPx: sumX / sum, yPx: sumY / sum };
}

/** First sample within ±50 ms of `aroundS` louder than a quarter of that window's peak, in seconds. */
function onsetS(samples: Float32Array, sampleRate: number, aroundS: number): number {
  const from = Math.max(0, Math.floor((aroundS - 0.05) * sampleRate));
  const to = Math.min(samples.length, Math.floor((aroundS + 0.05) * sampleRate));
  let peak = 0;
  for (let n = from; n < to; n += 1) peak = Math.max(peak, Math.abs(samples[n] ?? 0));
  for (let n = from; n < to; n += 1) if (Math.abs(samples[n] ?? 0) > 0.25 * peak) return n / sampleRate;
  return NaN;
}

describe('an encoded clip', () => {
  const path = join(dir, 'bounce.mp4');
  let truth: GroundTruth;

  it('is written with its truth beside it', async () => {
    truth = await simulateClip(bounce, path, TINY);
    expect(existsSync(path)).toBe(true);
    expect(truthPathFor(path)).toBe(join(dir, 'bounce.truth.json'));
    expect(JSON.parse(readFileSync(truthPathFor(path), 'utf8'))).toEqual(truth);
    expect(truth.frameCount).toBe(45);
    expect(truth.objects[0]!.frames).toHaveLength(45);
  });

  it('shows the ball where the truth says, within 0.5 px, after H.264 and noise', async () => {
    const frames = await decodeGray(path);
    expect(frames).toHaveLength(truth.frameCount);
    const ball = truth.objects[0]!;
    for (const [k, referenceK] of [[3, 14], [8, 0], [14, 0], [20, 5], [30, 10]] as const) {
      const sample = ball.frames[k]!;
      const centroid = decodedCentroid(frames[k]!, frames[referenceK]!, sample);
      expect(Math.abs(centroid.xPx - sample[1])).toBeLessThan(0.5);
      expect(Math.abs(centroid.yPx - sample[2])).toBeLessThan(0.5);
    }
  });

  it('has impact sounds starting at the contact times, within 1 ms', async () => {
    const audio = (await readAudio(path, { sampleRate: 48_000 }))!;
    expect(truth.audio!.offsetMs).toBe(0);
    expect(truth.audio!.impactsS[0]).toBe(truth.objects[0]!.contactsS[0]);
    const contactS = truth.audio!.impactsS[0]!;
    expect(Math.abs(onsetS(audio.samples, audio.sampleRate, contactS) - contactS)).toBeLessThan(0.001);
  });

  it('has them 120 ms late with av-desync=120', async () => {
    const latePath = join(dir, 'late.mp4');
    const late = await simulateClip(bounce, latePath, { ...TINY, defect: { code: 'av-desync', value: 120 } });
    const audio = (await readAudio(latePath, { sampleRate: 48_000 }))!;
    const contactS = late.objects[0]!.contactsS[0]!;
    expect(late.audio!.impactsS[0]).toBeCloseTo(contactS + 0.12, 12);
    expect(Math.abs(onsetS(audio.samples, audio.sampleRate, contactS + 0.12) - (contactS + 0.12))).toBeLessThan(0.001);
  });
});

describe('determinism', () => {
  const digest = (frames: Iterable<Uint8Array>): string => {
    const hash = createHash('sha256');
    for (const frame of frames) hash.update(frame);
    return hash.digest('hex');
  };

  it('gives the same frames, audio and truth for the same prompt, options and seed', () => {
    const a = prepareClip(bounce, { ...TINY, watermark: true, seed: 4 });
    const b = prepareClip(bounce, { ...TINY, watermark: true, seed: 4 });
    expect(b.truth).toEqual(a.truth);
    expect(digest(b.frames())).toBe(digest(a.frames()));
    expect(digest(a.frames())).toBe(digest(a.frames()));
    expect(Buffer.from(b.audio!.samples.buffer).equals(Buffer.from(a.audio!.samples.buffer))).toBe(true);
  });

  it('gives different noise and watermark for another seed, with the same physics', () => {
    const a = prepareClip(bounce, { ...TINY, watermark: true, seed: 4 });
    const c = prepareClip(bounce, { ...TINY, watermark: true, seed: 5 });
    expect(digest(c.frames())).not.toBe(digest(a.frames()));
    expect(c.truth.objects).toEqual(a.truth.objects);
  });
});

describe('the sim generators', () => {
  const fluid = promptSchema.parse({ id: 'pour', text: 'water is poured into a glass', category: 'fluid', durationS: 2, expect: {} });

  it('sim:ideal describes itself, plans ball scenes only and renders a clip with its truth', async () => {
    const generator = createSimGenerator('sim:ideal', TINY);
    expect(generator.info).toMatchObject({ id: 'sim:ideal', modes: ['text-to-video', 'video-extension'], priceUsdPerS: 0, needsKey: false });
    expect(generator.plan(bounce)).toEqual({ supported: true });
    expect(generator.plan(fluid)).toMatchObject({ supported: false });
    const outPath = join(dir, 'ideal.mp4');
    const outcome = await generator.generate({ prompt: bounce, seed: 2, outPath });
    expect(outcome).toEqual({ status: 'ok', videoPath: outPath, groundTruthPath: join(dir, 'ideal.truth.json'), costUsd: 0 });
    const truth = JSON.parse(readFileSync(join(dir, 'ideal.truth.json'), 'utf8')) as GroundTruth;
    expect(truth.seed).toBe(2);
    expect(truth.defect).toBeNull();
  });

  it('sim:flawed plants the defect chooseDefect picks for the prompt and seed', async () => {
    const generator = createSimGenerator('sim:flawed', TINY);
    const outPath = join(dir, 'flawed.mp4');
    const outcome = await generator.generate({ prompt: bounce, seed: 3, outPath });
    expect(outcome.status).toBe('ok');
    const truth = JSON.parse(readFileSync(join(dir, 'flawed.truth.json'), 'utf8')) as GroundTruth;
    expect(truth.defect?.code).toBe(chooseDefect(bounce, 3, TINY)?.code);
  });

  it('returns failures as values, never throws', async () => {
    const generator = createSimGenerator('sim:ideal', TINY);
    const outcome = await generator.generate({ prompt: fluid, seed: 1, outPath: join(dir, 'fluid.mp4') });
    expect(outcome).toMatchObject({ status: 'failed', costUsd: 0 });
    expect(outcome.status === 'failed' && outcome.message).toContain('pour');
    const broken = createSimGenerator('sim:ideal', { ...TINY, width: 321 });
    const bad = await broken.generate({ prompt: bounce, seed: 1, outPath: join(dir, 'odd.mp4') });
    expect(bad.status === 'failed' && bad.message).toMatch(/width 321 must be an even integer/);
  });
});

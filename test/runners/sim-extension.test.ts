import { copyFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../../media/frames.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import { createGenerator, type GeneratorSettings } from '../../runners/registry.js';
import { truthPathFor } from '../../runners/sim/simulate-clip.js';
import type { GroundTruth } from '../../runners/sim/truth.js';
import type { GenerateOutcome, Generator } from '../../runners/types.js';
import { resultsFileSchema } from '../../suites/results.js';
import { run } from '../../suites/run.js';
import { fixtureDir } from '../media/fixtures.js';

const fixture = fixtureDir('sim-extension');
const SEED = 3;
const FPS = 15;
const BOUNDARY_S = 1;
// Source 1.5 s, continuation 1 s of it and 0.8 s more: 23 and 27 frames at 15 fps.
const settings: GeneratorSettings = { width: 320, height: 180, fps: FPS, maxDurationS: 3 };
const source: Prompt = { ...getPrompt('basketball-bounce-hardwood'), durationS: 1.5 };
const continued: Prompt = { ...getPrompt('basketball-bounce-hardwood-continued'), durationS: 0.8 };
const sourcePath = fixture.file('source.mp4');

let ideal: Generator;
let flawed: Generator;
let idealOutcome: GenerateOutcome;
let flawedOutcome: GenerateOutcome;

async function greyFrames(path: string): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for await (const frame of readFrames(path, { pixelFormat: 'gray' })) frames.push(frame.data.slice());
  return frames;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

function truthOf(videoPath: string): GroundTruth {
  return JSON.parse(readFileSync(truthPathFor(videoPath), 'utf8')) as GroundTruth;
}

function pathOf(outcome: GenerateOutcome): string {
  if (outcome.status !== 'ok') throw new Error(`generation failed: ${outcome.message}`);
  return outcome.videoPath;
}

beforeAll(async () => {
  ideal = createGenerator('sim:ideal', settings);
  flawed = createGenerator('sim:flawed', settings);
  expect(await ideal.generate({ prompt: source, seed: SEED, outPath: sourcePath })).toMatchObject({ status: 'ok' });
  // sim:flawed continues a clip sim:ideal rendered; the source part is the ideal scene either way.
  const sourceSource = { videoPath: sourcePath, promptId: source.id };
  [idealOutcome, flawedOutcome] = await Promise.all([
    ideal.generate({ prompt: continued, seed: SEED, outPath: fixture.file('ideal-continued.mp4'), source: sourceSource }),
    flawed.generate({ prompt: continued, seed: SEED, outPath: fixture.file('flawed-continued.mp4'), source: sourceSource }),
  ]);
});

afterAll(() => fixture.remove());

describe('the simulator continues a clip it rendered', () => {
  it('plans an extension of a source prompt and lists the mode', () => {
    expect(ideal.plan(continued)).toEqual({ supported: true });
    expect(ideal.info.modes).toEqual(['text-to-video', 'video-extension']);
    expect(flawed.info.modes).toEqual(['text-to-video', 'video-extension']);
  });

  it('records the boundary and writes a truth covering the whole clip', () => {
    expect(idealOutcome).toEqual({
      status: 'ok',
      videoPath: fixture.file('ideal-continued.mp4'),
      groundTruthPath: fixture.file('ideal-continued.truth.json'),
      costUsd: 0,
      generation: { mode: 'video-extension', via: 'native', boundaryS: BOUNDARY_S },
    });
    const truth = truthOf(pathOf(idealOutcome));
    expect(truth).toMatchObject({ promptId: continued.id, seed: SEED, width: 320, height: 180, fps: FPS, frameCount: 27, durationS: 1.8, defect: null });
    expect(truth.objects[0]?.frames).toHaveLength(27);
  });

  it("goes on with the source's motion: the same camera and every shared frame's position, then the next bounces", () => {
    const sourceTruth = truthOf(sourcePath);
    const truth = truthOf(pathOf(idealOutcome));
    expect(truth.pxPerM).toBe(sourceTruth.pxPerM);
    const sourceFrames = sourceTruth.objects[0]?.frames ?? [];
    const frames = truth.objects[0]?.frames ?? [];
    expect(sourceFrames).toHaveLength(23);
    // Past the boundary too: the source's own later frames are the same scene going on.
    expect(frames.slice(0, sourceFrames.length)).toEqual(sourceFrames);
    const sourceContacts = sourceTruth.objects[0]?.contactsS ?? [];
    expect(truth.objects[0]?.contactsS.slice(0, sourceContacts.length)).toEqual(sourceContacts);
    // After the source's last frame (22, at 1.47 s) the rebound from the contact at 1.40 s flies on: y'' = g, x' constant.
    expect(sourceContacts[sourceContacts.length - 1]).toBeLessThan(21 / FPS);
    for (let k = 22; k <= 25; k += 1) {
      const [before, at, after] = [frames[k - 1], frames[k], frames[k + 1]];
      if (before === undefined || at === undefined || after === undefined) throw new Error(`frame ${k} missing`);
      expect(after[2] - 2 * at[2] + before[2]).toBeCloseTo(truth.gravityPxS2 / FPS ** 2, 6);
      expect(after[1] - at[1]).toBeCloseTo(at[1] - before[1], 6);
    }
  });

  it("shows the source's frames before the boundary, and sim:flawed plants its defect after it", async () => {
    const [sourceFrames, idealFrames, flawedFrames] = await Promise.all([greyFrames(sourcePath), greyFrames(pathOf(idealOutcome)), greyFrames(pathOf(flawedOutcome))]);
    expect(idealFrames).toHaveLength(27);
    const boundaryFrame = BOUNDARY_S * FPS;
    for (let k = 0; k < boundaryFrame; k += 1) {
      expect(meanAbsDiff(idealFrames[k] ?? new Uint8Array(), sourceFrames[k] ?? new Uint8Array())).toBeLessThan(2);
      expect(meanAbsDiff(flawedFrames[k] ?? new Uint8Array(), sourceFrames[k] ?? new Uint8Array())).toBeLessThan(2);
    }
    const defect = truthOf(pathOf(flawedOutcome)).defect;
    expect(defect?.atS).toBeGreaterThanOrEqual(BOUNDARY_S);
    expect(flawedOutcome).toMatchObject({ generation: { mode: 'video-extension', via: 'native', boundaryS: BOUNDARY_S } });
  });

  it('continues a source made before it was created (a resumed run) from the shipped catalog prompt', async () => {
    const fresh = createGenerator('sim:ideal', settings);
    const outPath = fixture.file('resumed-continued.mp4');
    const outcome = await fresh.generate({ prompt: continued, seed: SEED, outPath, source: { videoPath: sourcePath, promptId: source.id } });
    expect(outcome).toMatchObject({ status: 'ok', generation: { boundaryS: BOUNDARY_S } });
    expect(truthOf(outPath)).toEqual(truthOf(pathOf(idealOutcome)));
  });

  it('cannot remix, continue a file, or continue a clip it did not render, and says why', async () => {
    const remix: Prompt = { ...continued, fromClip: { as: 'remix', promptId: source.id } };
    const fromFile: Prompt = { ...continued, fromClip: { as: 'extension', videoPath: sourcePath } };
    expect(ideal.plan(remix)).toEqual({ supported: false, reason: 'sim:ideal continues clips it rendered itself; it cannot remix a clip' });
    expect(flawed.plan(fromFile)).toEqual({
      supported: false,
      reason: `sim:flawed continues only clips it rendered itself (a source prompt of the run), not the file ${sourcePath}`,
    });
    // A clip with no simulator truth beside it.
    const foreign = fixture.file('foreign.mp4');
    copyFileSync(sourcePath, foreign);
    const outcome = await ideal.generate({ prompt: continued, seed: SEED, outPath: fixture.file('foreign-continued.mp4'), source: { videoPath: foreign, promptId: source.id } });
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('foreign.truth.json: no simulator ground truth beside the source clip') });
    const unknown = await createGenerator('sim:ideal', settings).generate({ prompt: continued, seed: SEED, outPath: fixture.file('unknown-continued.mp4'), source: { videoPath: sourcePath, promptId: 'ball-from-elsewhere' } });
    expect(unknown).toMatchObject({ status: 'failed', message: `${continued.id}: sim:ideal did not render the source prompt ball-from-elsewhere, and the shipped catalog has no such prompt` });
    const otherSeed = await ideal.generate({ prompt: continued, seed: SEED + 1, outPath: fixture.file('seed-continued.mp4'), source: { videoPath: sourcePath, promptId: source.id } });
    expect(otherSeed).toMatchObject({ status: 'failed', message: `${continued.id}: the source clip is prompt ${source.id} with seed ${SEED}, not ${source.id} with seed ${SEED + 1}` });
  });
});

describe('a run with the catalog extension prompt', () => {
  it('analyses the continued item, checks the boundary, and passes it for sim:ideal', async () => {
    const results = await run({
      outDir: fixture.file('run'),
      generators: ['sim:ideal', 'sim:flawed'],
      catalog: [getPrompt('basketball-bounce-hardwood'), getPrompt('basketball-bounce-hardwood-continued')],
      width: 320,
      height: 180,
      fps: FPS,
      concurrency: 2,
    });
    expect(resultsFileSchema.safeParse(results).success).toBe(true);
    expect(results.items.map((item) => [item.generator, item.promptId, item.status])).toEqual([
      ['sim:flawed', 'basketball-bounce-hardwood-continued', 'ok'],
      ['sim:flawed', 'basketball-bounce-hardwood', 'ok'],
      ['sim:ideal', 'basketball-bounce-hardwood-continued', 'ok'],
      ['sim:ideal', 'basketball-bounce-hardwood', 'ok'],
    ]);
    const continuedIdeal = results.items.find((item) => item.generator === 'sim:ideal' && item.promptId === 'basketball-bounce-hardwood-continued');
    expect(continuedIdeal?.generation).toEqual({ mode: 'video-extension', via: 'native', sourcePromptId: 'basketball-bounce-hardwood', boundaryS: 1 });
    // The default suite caps the new part at 3 s: 1 s of the source and 3 s more.
    expect(continuedIdeal?.video?.durationS).toBeCloseTo(4, 1);
    expect(continuedIdeal?.verdict).toEqual({ pass: true, failures: [] });
    // sim:flawed's continuation is caught for the defect it planted after the boundary.
    const continuedFlawed = results.items.find((item) => item.generator === 'sim:flawed' && item.promptId === 'basketball-bounce-hardwood-continued');
    expect(continuedFlawed?.plantedDefect).toEqual(expect.any(String));
    expect(continuedFlawed?.verdict.failures.map((failure) => failure.code)).toContain(continuedFlawed?.plantedDefect);
  });
});

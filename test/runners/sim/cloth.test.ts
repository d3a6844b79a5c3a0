import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getPrompt } from '../../../prompts/catalog.js';
import { CLOTH_DEFECT_CODES, clothPhysicsDefect } from '../../../runners/sim/cloth/cloth-defects.js';
import { simulateCloth } from '../../../runners/sim/cloth/cloth-physics.js';
import { buildClothScene } from '../../../runners/sim/cloth/cloth-scene.js';
import { applicableDefects } from '../../../runners/sim/defects.js';
import { createSimGenerator } from '../../../runners/sim/generator.js';
import type { SimOptions } from '../../../runners/sim/options.js';
import { prepareClip, simulateClip, truthPathFor } from '../../../runners/sim/simulate-clip.js';
import type { ClothTruth, GroundTruth } from '../../../runners/sim/truth.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-cloth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY: SimOptions = { width: 320, height: 180, durationS: 2, watermark: false };
const towel = getPrompt('towel-dropped-on-chair');

function clothOf(truth: GroundTruth): ClothTruth {
  if (truth.cloth === undefined) throw new Error('no cloth block in the truth');
  return truth.cloth;
}

/** Downward acceleration of the centre from second differences over frames [first, last], m/s². */
function fallAccelerationMS2(truth: GroundTruth, first: number, last: number): number {
  const centre = clothOf(truth).centerPx;
  const values: number[] = [];
  for (let k = first + 1; k < last; k += 1) {
    const y = (j: number): number => centre[j]?.[2] ?? NaN;
    values.push(((y(k + 1) - 2 * y(k) + y(k - 1)) * truth.fps * truth.fps) / truth.pxPerM);
  }
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Frames strictly before the first contact. */
function framesBeforeContact(truth: GroundTruth): number {
  return Math.floor((clothOf(truth).firstContactS ?? 0) * truth.fps);
}

describe('the cloth simulator (exact towel on a chair)', () => {
  const exact = prepareClip(towel, TINY).truth;
  const cloth = clothOf(exact);

  it('falls freely at g until it touches the seat', () => {
    // Released 0.6 m above the seat: contact after √(2h/g) = 0.35 s, a little earlier for the sagging corners.
    expect(cloth.firstContactS).toBeGreaterThan(0.3);
    expect(cloth.firstContactS).toBeLessThan(0.36);
    expect(fallAccelerationMS2(exact, 0, framesBeforeContact(exact))).toBeCloseTo(9.81, 0);
    expect(Math.abs(fallAccelerationMS2(exact, 0, framesBeforeContact(exact)) / 9.81 - 1)).toBeLessThan(0.03);
  });

  it('stretches less than 5% and comes to rest', () => {
    expect(Math.max(...cloth.maxStrain)).toBeLessThan(0.05);
    // The fabric's stretch (95th percentile along the width) gives a little at the landing and none at rest.
    expect(Math.max(...cloth.stretch)).toBeLessThan(0.03);
    expect(cloth.stretch.at(-1)).toBeLessThan(0.01);
    const peakJ = Math.max(...cloth.kineticEnergyJ);
    expect(peakJ).toBeGreaterThan(0.2);
    expect(cloth.kineticEnergyJ.at(-1)).toBeLessThan(peakJ * 1e-3);
    expect(cloth.settleS).not.toBeNull();
    expect(cloth.settleS).toBeLessThan(1.8);
    expect(exact.defect).toBeNull();
    expect(exact.audio).toBeNull();
  });

  it('plants each cloth defect as its code, visible in the truth', () => {
    const planted = (code: (typeof CLOTH_DEFECT_CODES)[number]): GroundTruth => prepareClip(towel, { ...TINY, defect: { code } }).truth;
    const stretch = planted('cloth-stretch');
    expect(stretch.defect?.code).toBe('cloth-stretch');
    // The fabric gives like rubber as soon as it moves: 1 − 1/e of the 25% after 0.15 s, then it stays stretched.
    const given = clothOf(stretch).stretch;
    const creepFrame = Math.round(0.15 * stretch.fps);
    expect(given[creepFrame]).toBeGreaterThan(0.25 * 0.63 - 0.02);
    expect(given[creepFrame]).toBeLessThan(0.25 * 0.63 + 0.02);
    for (const strain of given.slice(Math.round(0.5 * stretch.fps))) {
      expect(strain).toBeGreaterThan(0.23);
      expect(strain).toBeLessThan(0.28);
    }

    const fast = planted('faster-than-gravity');
    expect(fallAccelerationMS2(fast, 0, framesBeforeContact(fast)) / 9.81).toBeCloseTo(2, 1);

    const restless = planted('no-settling');
    expect(clothOf(restless).settleS).toBeNull();
    expect(clothOf(restless).kineticEnergyJ.at(-1)).toBeGreaterThan(1e-3);

    const pop = planted('cloth-pop');
    const popFrame = Math.round((pop.defect?.atS ?? 0) * pop.fps);
    const centre = clothOf(pop).centerPx;
    const exactCentre = cloth.centerPx;
    // The patch lifts the centre of mass in one frame, where the exact cloth lies still.
    const liftPx = (centre[popFrame - 1]?.[2] ?? 0) - (centre[popFrame]?.[2] ?? 0);
    expect(liftPx).toBeGreaterThan(1);
    expect(Math.abs((exactCentre[popFrame - 1]?.[2] ?? 0) - (exactCentre[popFrame]?.[2] ?? 0))).toBeLessThan(0.1);
  });
});

it('the planted no-settling drive keeps a scarf lying flat on the floor moving, which a drive of 1.2 g alone barely stirred', () => {
  // The scarf lands at 1.1 s. The median node speed over the last 0.5 s of 1.7 s at 24 fps, cloth
  // widths per second (the cloth metric's rest is 0.05); the sine drive of 1.2 g left it at 0.006.
  const fps = 24;
  const frameCount = Math.round(1.7 * fps) + 1;
  const scene = buildClothScene(getPrompt('silk-scarf-drop'));
  const landedS = simulateCloth(scene, 9.81, fps, frameCount).firstContactS ?? Infinity;
  expect(landedS).toBeLessThan(1.2);
  const driven = simulateCloth(scene, 9.81, fps, frameCount, clothPhysicsDefect('no-settling', 1.2, landedS, scene.widthM));
  const medians: number[] = [];
  for (let k = frameCount - Math.round(0.5 * fps); k < frameCount; k += 1) {
    const before = driven.positions[k - 1] ?? new Float64Array();
    const after = driven.positions[k] ?? new Float64Array();
    const speeds: number[] = [];
    for (let i = 0; i < after.length; i += 3) speeds.push((Math.hypot((after[i] ?? 0) - (before[i] ?? 0), (after[i + 1] ?? 0) - (before[i + 1] ?? 0), (after[i + 2] ?? 0) - (before[i + 2] ?? 0)) * fps) / scene.widthM);
    speeds.sort((a, b) => a - b);
    medians.push(speeds[Math.floor(speeds.length / 2)] ?? 0);
  }
  expect(medians.reduce((a, b) => a + b, 0) / medians.length).toBeGreaterThan(0.1);
});

describe('cloth prompts in the simulator', () => {
  it('offers the cloth defects for cloth and the ball defects only for balls', () => {
    expect(applicableDefects(towel, TINY)).toEqual([...CLOTH_DEFECT_CODES]);
    expect(applicableDefects(getPrompt('flag-in-wind'), TINY)).toEqual(['cloth-stretch', 'cloth-pop']);
    const ball = applicableDefects(getPrompt('basketball-bounce-hardwood'), { ...TINY, durationS: 2.5 });
    expect(ball.length).toBeGreaterThan(0);
    for (const code of CLOTH_DEFECT_CODES) expect(ball).not.toContain(code);
  });

  it('refuses a ball defect on a cloth clip and a cloth defect on a ball clip', () => {
    expect(() => prepareClip(towel, { ...TINY, defect: { code: 'teleport' } })).toThrow(/rigid-ball defect/);
    expect(() => prepareClip(getPrompt('basketball-bounce-hardwood'), { ...TINY, defect: { code: 'cloth-pop' } })).toThrow(/cloth defect/);
    expect(() => prepareClip(getPrompt('flag-in-wind'), { ...TINY, defect: { code: 'no-settling' } })).toThrow(/never does/);
  });

  it('the flag streams out in the wind and stays taut', () => {
    const flag = clothOf(prepareClip(getPrompt('flag-in-wind'), TINY).truth);
    expect(flag.firstContactS).toBeNull();
    expect(flag.settleS).toBeNull();
    expect(Math.max(...flag.maxStrain)).toBeLessThan(0.05);
  });

  it('a creeping flag grows evenly, its edge on the pole included', () => {
    // Held nodes that kept their spacing would tear the springs beside the pole far beyond the creep.
    const flag = clothOf(prepareClip(getPrompt('flag-in-wind'), { ...TINY, defect: { code: 'cloth-stretch', value: 0.2 } }).truth);
    expect(flag.stretch.at(-1)).toBeGreaterThan(0.19);
    expect(Math.max(...flag.maxStrain)).toBeLessThan(0.23);
  });

  it('sim:ideal writes a silent clip and truth with the cloth block', async () => {
    const generator = createSimGenerator('sim:ideal', { ...TINY, durationS: 1 });
    expect(generator.plan(towel)).toEqual({ supported: true });
    const outPath = join(dir, 'towel.mp4');
    const outcome = await generator.generate({ prompt: towel, seed: 3, outPath });
    expect(outcome.status).toBe('ok');
    expect(existsSync(outPath)).toBe(true);
    const truth = JSON.parse(readFileSync(truthPathFor(outPath), 'utf8')) as GroundTruth;
    expect(truth.cloth?.centerPx).toHaveLength(30);
    expect(truth.objects).toEqual([]);
  });

  it('draws the textured cloth where the truth puts it', () => {
    const clip = prepareClip(towel, { ...TINY, noiseSigma: 0 });
    const frames = [...clip.frames()];
    const [, xPx, yPx] = clothOf(clip.truth).centerPx[0] ?? [0, 0, 0];
    const frame = frames[0];
    if (frame === undefined) throw new Error('no frame');
    // Around the centre, red and dark-red checker cells: red dominates green in every pixel.
    let redPixels = 0;
    for (let dy = -3; dy <= 3; dy += 1) {
      for (let dx = -10; dx <= 10; dx += 1) {
        const i = ((Math.round(yPx) + dy) * clip.truth.width + Math.round(xPx) + dx) * 3;
        if ((frame[i] ?? 0) > 2 * (frame[i + 1] ?? 0) + 20) redPixels += 1;
      }
    }
    expect(redPixels).toBe(7 * 21);
  });
});

it('simulateClip keeps writing ball clips unchanged in shape', async () => {
  const truth = await simulateClip(getPrompt('basketball-bounce-hardwood'), join(dir, 'ball.mp4'), { ...TINY, durationS: 0.5, audio: false });
  expect(truth.cloth).toBeUndefined();
  expect(truth.objects.length).toBe(1);
});

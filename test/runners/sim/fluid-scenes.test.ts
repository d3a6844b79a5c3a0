import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../../../media/frames.js';
import { getPrompt } from '../../../prompts/catalog.js';
import { applicableDefects, parseDefect } from '../../../runners/sim/defects.js';
import { fluidPhysicsDefect } from '../../../runners/sim/fluid/fluid-defects.js';
import { FLUID_REST_TILT_DEG, NO_FLUID_DEFECT } from '../../../runners/sim/fluid/fluid-frames.js';
import { fluidSettleS, simulateFluid } from '../../../runners/sim/fluid/fluid-physics.js';
import { buildFluidScene } from '../../../runners/sim/fluid/fluid-scene.js';
import { floatingDepthM, sphereCapVolumeM3 } from '../../../runners/sim/fluid/splash-physics.js';
import { fallTimeS } from '../../../runners/sim/fluid/stream-law.js';
import type { SimOptions } from '../../../runners/sim/options.js';
import { prepareClip, simulateClip, truthPathFor } from '../../../runners/sim/simulate-clip.js';
import type { GroundTruth } from '../../../runners/sim/truth.js';

const G = 9.81;
const TINY: SimOptions = { width: 320, height: 180, watermark: false };

describe('a red ball dropped into a tank (ball-splash-into-tank)', () => {
  const prompt = getPrompt('ball-splash-into-tank');
  const scene = buildFluidScene(prompt);
  const fps = 30;
  const simulation = simulateFluid(scene, fps, 90, NO_FLUID_DEFECT);
  const entryS = Math.sqrt((2 * 1) / G);

  it('falls freely from 1 m: y = y₀ − ½·g·t² until its bottom meets the water at √(2h/g)', () => {
    const container = scene.container!;
    const surfaceM = container.baseM + scene.initialVolumeM3 / container.areaM2;
    for (const frame of simulation.frames.filter((f) => f.timeS < entryS)) {
      expect(frame.ball!.yM).toBeCloseTo(surfaceM + 1 + 0.035 - 0.5 * G * frame.timeS ** 2, 12);
    }
    expect(simulation.ballContacts[0]?.timeS).toBeCloseTo(entryS, 12);
    expect(simulation.ballContacts).toHaveLength(1);
  });

  it('keeps the water: tank + droplets in flight is the same at every frame', () => {
    for (const frame of simulation.frames) expect(frame.containerVolumeM3 + frame.otherVolumeM3).toBeCloseTo(scene.initialVolumeM3, 15);
    expect(Math.max(...simulation.frames.map((frame) => frame.otherVolumeM3))).toBeGreaterThan(0);
  });

  it('comes to rest floating at the depth where buoyancy carries it, the surface level and raised by what it displaces', () => {
    const settleS = fluidSettleS(simulation.frames, fps);
    expect(settleS).not.toBeNull();
    expect(settleS!).toBeGreaterThan(entryS);
    const last = simulation.frames[89]!;
    const radiusM = 0.035;
    const depthM = floatingDepthM(radiusM, 0.05 / ((Math.PI * 0.07 ** 3) / 6));
    // Archimedes: the displaced water weighs what the ball does.
    expect(sphereCapVolumeM3(radiusM, depthM) * 1000).toBeCloseTo(0.05, 9);
    const stillLevelM = scene.initialVolumeM3 / scene.container!.areaM2;
    // The last frame's ball is within SPLASH_LOOK.restExcursionM of floating: its cap within 2% of the floating one.
    expect((last.levelM - stillLevelM) / (sphereCapVolumeM3(radiusM, depthM) / scene.container!.areaM2)).toBeCloseTo(1, 1);
    expect(Math.abs(last.tiltDeg)).toBeLessThan(FLUID_REST_TILT_DEG);
  });

  it('takes the volume, surface and gravity defects but not stream-continuity', () => {
    expect(applicableDefects(prompt, { fps: 15 })).toEqual(['volume-not-conserved', 'surface-not-level', 'fluid-appears', 'fluid-vanishes', 'gravity-off']);
  });

  it('gravity-off slows the fall and the droplets alike', () => {
    const slow = simulateFluid(scene, fps, 90, fluidPhysicsDefect('gravity-off', 0.5, 0));
    expect(slow.dropletGravityMS2).toBeCloseTo(0.5 * G, 12);
    expect(slow.ballContacts[0]?.timeS).toBeCloseTo(entryS * Math.SQRT2, 12);
  });

  it('gravity-off on the droplets only: the ball falls at g, the droplets fly under g × VALUE (droplets that float)', () => {
    const floating = simulateFluid(scene, fps, 90, fluidPhysicsDefect('gravity-off', 0.5, 0, 'droplets'));
    expect(floating.dropletGravityMS2).toBeCloseTo(0.5 * G, 12);
    expect(floating.ballContacts[0]?.timeS).toBeCloseTo(entryS, 12);
    expect(floating.frames.map((frame) => frame.ball)).toEqual(simulation.frames.map((frame) => frame.ball));
    const clip = prepareClip(prompt, { ...TINY, fps: 5, durationS: 1, defect: { code: 'gravity-off', value: 0.5, target: 'droplets' } });
    expect(clip.truth.fluid!.droplets.gravityPxS2).toBeCloseTo(0.5 * G * clip.truth.pxPerM, 9);
    expect(clip.truth.defect).toEqual({ code: 'gravity-off', value: 0.5, atS: 0 });
  });

  it('takes the droplets target as gravity-off=VALUE@droplets, and refuses it for other defects and scenes', () => {
    expect(parseDefect('gravity-off=0.5@droplets')).toEqual({ code: 'gravity-off', value: 0.5, target: 'droplets' });
    expect(() => parseDefect('gravity-off=0.5@ball')).toThrow(/unknown defect target 'ball'/);
    expect(() => prepareClip(prompt, { ...TINY, fps: 5, durationS: 1, defect: { code: 'fluid-vanishes', target: 'droplets' } })).toThrow(/only gravity-off acts on the droplets alone/);
    expect(() => prepareClip(getPrompt('bowling-ball-drop-wood'), { ...TINY, fps: 5, durationS: 1, defect: { code: 'gravity-off', target: 'droplets' } })).toThrow(/splash scenes/);
  });

  it('gravity-off=0: the ball hangs, no splash, and a truth that survives JSON', () => {
    const clip = prepareClip(prompt, { ...TINY, fps: 5, durationS: 1, defect: { code: 'gravity-off', value: 0 } });
    const parsed = JSON.parse(JSON.stringify(clip.truth)) as GroundTruth;
    expect(parsed).toEqual(clip.truth);
    expect(parsed.objects[0]!.contactsS).toEqual([]);
    expect(parsed.fluid!.droplets).toEqual({ gravityPxS2: 0, arcs: [] });
  });
});

describe('the rendered splash matches its truth (320x180, 30 fps, no noise)', () => {
  const clip = prepareClip(getPrompt('ball-splash-into-tank'), { ...TINY, fps: 30, durationS: 1, noiseSigma: 0 });
  const frames = [...clip.frames()];
  const fluid = clip.truth.fluid!;

  it('draws each droplet on its exact ballistic arc (gravity in px/s² from the truth)', () => {
    const { gravityPxS2, arcs } = fluid.droplets;
    expect(gravityPxS2).toBeCloseTo(G * clip.truth.pxPerM, 9);
    let checked = 0;
    for (let k = 0; k < frames.length; k += 1) {
      const timeS = k / 30;
      const positions = arcs
        .filter((arc) => timeS >= arc.launchS + 0.05 && timeS < (arc.landS ?? Infinity))
        .map((arc) => {
          const tau = timeS - arc.launchS;
          return { xPx: arc.x0Px + arc.vxPxS * tau, yPx: arc.y0Px + arc.vyPxS * tau + 0.5 * gravityPxS2 * tau * tau };
        });
      for (const at of positions) {
        // Only droplets clear of the others and above the container's rim, where nothing else is drawn.
        if (positions.some((other) => other !== at && Math.hypot(other.xPx - at.xPx, other.yPx - at.yPx) < 6)) continue;
        if (at.yPx > fluid.container!.rimYPx - 4) continue;
        let sum = 0;
        let sumX = 0;
        let sumY = 0;
        for (let j = Math.round(at.yPx) - 2; j <= Math.round(at.yPx) + 2; j += 1) {
          for (let i = Math.round(at.xPx) - 2; i <= Math.round(at.xPx) + 2; i += 1) {
            const p = 3 * (j * 320 + i);
            const weight = Math.abs((frames[k]![p] ?? 0) - (frames[0]![p] ?? 0)) + Math.abs((frames[k]![p + 2] ?? 0) - (frames[0]![p + 2] ?? 0));
            sum += weight;
            sumX += weight * i;
            sumY += weight * j;
          }
        }
        expect(sum).toBeGreaterThan(0);
        expect(Math.hypot(sumX / sum - at.xPx, sumY / sum - at.yPx)).toBeLessThan(0.3);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('has the splash sound at the entry', () => {
    expect(clip.truth.audio?.impactsS).toEqual([clip.truth.objects[0]!.contactsS[0]]);
    expect(clip.truth.objects[0]!.contactsS[0]).toBeCloseTo(Math.sqrt(2 / G), 12);
  });
});

describe('a steel ball into a glass of water (steel-ball-splash-into-glass)', () => {
  it('sinks: a second contact at the bottom, with its clink in the soundtrack', () => {
    const clip = prepareClip(getPrompt('steel-ball-splash-into-glass'), { ...TINY, fps: 30, noiseSigma: 0 });
    const ball = clip.truth.objects[0]!;
    const container = clip.truth.fluid!.container!;
    expect(ball.contactsS).toHaveLength(2);
    const bottomFrame = ball.frames[Math.ceil(ball.contactsS[1]! * 30) + 1]!;
    expect(bottomFrame[2] + bottomFrame[3]).toBeCloseTo(container.bottomYPx, 6);
    expect(clip.truth.audio?.impactsS).toEqual(ball.contactsS);
  });
});

describe('milk spilled on a table (milk-spilled-on-table)', () => {
  const prompt = getPrompt('milk-spilled-on-table');
  const scene = buildFluidScene(prompt);
  const simulation = simulateFluid(scene, 30, 150, NO_FLUID_DEFECT);
  const volumeM3 = 2e-4;

  it('spreads into a puddle and stops; area × thickness is what left the glass, and the total never changes', () => {
    for (const frame of simulation.frames) {
      expect(frame.containerVolumeM3 + frame.otherVolumeM3).toBeCloseTo(volumeM3, 15);
      if (frame.puddle !== null) expect(Math.PI * frame.puddle.radiusM ** 2 * frame.puddle.thicknessM).toBeCloseTo(frame.containerVolumeM3, 15);
    }
    const settleS = fluidSettleS(simulation.frames, 30);
    expect(settleS).not.toBeNull();
    expect(settleS!).toBeLessThan(4);
    const last = simulation.frames[149]!.puddle!;
    expect(last.thicknessM).toBeCloseTo(0.004, 5);
    expect(last.radiusM).toBeCloseTo(Math.sqrt(volumeM3 / (Math.PI * 0.004)), 4);
    expect(applicableDefects(prompt, { fps: 10 })).toEqual(['volume-not-conserved', 'fluid-appears', 'fluid-vanishes']);
  });

  it('fluid-vanishes shrinks the puddle by the volume lost, at the same thickness', () => {
    const vanish = simulateFluid(scene, 30, 150, fluidPhysicsDefect('fluid-vanishes', 0.5, 3));
    const ideal = simulation.frames[149]!.puddle!;
    const after = vanish.frames[149]!;
    expect(after.containerVolumeM3).toBeCloseTo(0.5 * simulation.frames[90]!.containerVolumeM3 + (simulation.frames[149]!.containerVolumeM3 - simulation.frames[90]!.containerVolumeM3), 12);
    expect(after.puddle!.thicknessM).toBeCloseTo(ideal.thicknessM, 12);
    expect(Math.PI * after.puddle!.radiusM ** 2 * after.puddle!.thicknessM).toBeCloseTo(after.containerVolumeM3, 15);
  });

  it('draws the puddle with the area the truth gives (320x180, noise-free; the right half, clear of the glass)', () => {
    const clip = prepareClip(prompt, { ...TINY, fps: 5, noiseSigma: 0 });
    const fluid = clip.truth.fluid!;
    const puddle = fluid.puddle!;
    const frames = [...clip.frames()];
    const k = frames.length - 1;
    const background = frames[0]!;
    let areaPx = 0;
    for (let p = 0; p < 320 * 180; p += 1) {
      if (p % 320 <= puddle.centerXPx) continue;
      const behind = background[3 * p + 1] ?? 0;
      const share = ((frames[k]![3 * p + 1] ?? 0) - behind) / ((fluid.colorRgb[1] - behind) * fluid.opacity);
      if (share > 0.5) areaPx += 1;
    }
    const truthHalfAreaPx = (Math.PI * puddle.radiusXPx[k]! * puddle.radiusYPx[k]!) / 2;
    expect(Math.abs(areaPx / truthHalfAreaPx - 1)).toBeLessThan(0.02);
    expect(puddle.radiusYPx[k]! / puddle.radiusXPx[k]!).toBeCloseTo(Math.sin((35 * Math.PI) / 180), 12);
  });
});

describe('an encoded pour (320x180, 10 fps, H.264 with noise)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-fluid-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'pour.mp4');
  let truth: GroundTruth;
  const decoded: Uint8Array[] = [];

  beforeAll(async () => {
    truth = await simulateClip(getPrompt('water-poured-into-glass'), path, { ...TINY, fps: 10, durationS: 2.5 });
    for await (const frame of readFrames(path, { pixelFormat: 'rgb24' })) decoded.push(frame.data);
  });

  it('writes the truth beside the clip, with the fluid block and the pouring sound', () => {
    const written = JSON.parse(readFileSync(truthPathFor(path), 'utf8')) as GroundTruth;
    expect(written.fluid?.kind).toBe('pour');
    expect(decoded).toHaveLength(truth.frameCount);
    // The pouring sound starts when the first liquid reaches the empty bottom.
    const stream = truth.fluid!.stream!;
    const dropM = (truth.fluid!.container!.bottomYPx - stream.outletYPx) / truth.pxPerM;
    expect(truth.audio?.impactsS[0]).toBeCloseTo(stream.startS + fallTimeS(stream.outletSpeedMS, G, dropM), 9);
  });

  it('shows the liquid level within a pixel of the truth after compression', () => {
    const fluid = truth.fluid!;
    const container = fluid.container!;
    const x0 = Math.ceil((container.leftPx + container.rightPx) / 2) + 2;
    const x1 = Math.floor(container.rightPx) - 2;
    const excess = (frame: Uint8Array, j: number): number => {
      let sum = 0;
      for (let i = x0; i <= x1; i += 1) sum += (frame[3 * (j * 320 + i) + 2] ?? 0) - (frame[3 * (j * 320 + i)] ?? 0);
      return sum / (x1 - x0 + 1);
    };
    const empty = decoded[0]!;
    const deepRow = Math.round(container.bottomYPx) - 2;
    const k = decoded.length - 1;
    const fullContrast = excess(decoded[k]!, deepRow) - excess(empty, deepRow);
    let depthPx = 0;
    for (let j = Math.floor(container.rimYPx); j <= Math.ceil(container.bottomYPx); j += 1) {
      depthPx += Math.min(1, Math.max(0, (excess(decoded[k]!, j) - excess(empty, j)) / fullContrast));
    }
    expect(Math.abs(depthPx - (container.bottomYPx - container.surfaceYPx[k]!))).toBeLessThan(1);
  });
});

describe('the sound of liquid', () => {
  it('pouring noise starts at the first arrival: room tone before it, far louder after', () => {
    const clip = prepareClip(getPrompt('water-poured-into-glass'), { ...TINY, fps: 10, durationS: 1.5 });
    const audio = clip.audio!;
    const onsetS = clip.truth.audio!.impactsS[0]!;
    const rms = (fromS: number, toS: number): number => {
      const from = Math.ceil(fromS * audio.sampleRate);
      const to = Math.ceil(toS * audio.sampleRate);
      let sum = 0;
      for (let n = from; n < to; n += 1) sum += (audio.samples[n] ?? 0) ** 2;
      return Math.sqrt(sum / (to - from));
    };
    expect(rms(onsetS - 0.05, onsetS)).toBeLessThan(0.005);
    expect(rms(onsetS + 0.01, onsetS + 0.1)).toBeGreaterThan(10 * rms(onsetS - 0.05, onsetS));
  });

  it('a prompt whose impacts are not audible gets no soundtrack', () => {
    const clip = prepareClip(getPrompt('orange-juice-poured-into-glass'), { ...TINY, fps: 5, durationS: 1 });
    expect(clip.audio).toBeNull();
    expect(clip.truth.audio).toBeNull();
  });

  it('a planted jump counts as motion: nothing settles before it', () => {
    const clip = prepareClip(getPrompt('steel-ball-splash-into-glass'), { ...TINY, fps: 30, noiseSigma: 0, defect: { code: 'fluid-appears' } });
    expect(clip.truth.fluid!.settleS!).toBeGreaterThan(clip.truth.defect!.atS);
  });
});

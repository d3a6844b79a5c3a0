import { describe, expect, it } from 'vitest';
import { getPrompt } from '../../../prompts/catalog.js';
import { applicableDefects, chooseDefect } from '../../../runners/sim/defects.js';
import { createSimGenerator } from '../../../runners/sim/generator.js';
import { NO_FLUID_DEFECT, FLUID_REST_TILT_DEG } from '../../../runners/sim/fluid/fluid-frames.js';
import { fluidPhysicsDefect } from '../../../runners/sim/fluid/fluid-defects.js';
import { simulateFluid, fluidSettleS } from '../../../runners/sim/fluid/fluid-physics.js';
import { buildFluidScene } from '../../../runners/sim/fluid/fluid-scene.js';
import { continuityWidth, dropAfterS, fallTimeS, streamSpeedMS, streamVolumeM3 } from '../../../runners/sim/fluid/stream-law.js';
import type { SimOptions } from '../../../runners/sim/options.js';
import { prepareClip, type PreparedClip } from '../../../runners/sim/simulate-clip.js';
import type { FluidTruth } from '../../../runners/sim/truth.js';

const G = 9.81;
const pourPrompt = getPrompt('water-poured-into-glass');
const tapPrompt = getPrompt('tap-filling-jug');

function fluidOf(clip: PreparedClip): FluidTruth {
  const fluid = clip.truth.fluid;
  if (fluid === undefined) throw new Error('no fluid block in the truth');
  return fluid;
}

describe('the stream law', () => {
  it('narrows as w₀·v₀^½·(v₀² + 2·g·h)^(−1/4) and carries the same flow at every height', () => {
    const v0 = 0.5;
    const w0 = 0.012;
    for (const dropM of [0, 0.05, 0.15, 0.4]) {
      const widthM = continuityWidth(w0, v0, G, dropM);
      expect(widthM).toBeCloseTo(w0 * Math.sqrt(v0) * (v0 * v0 + 2 * G * dropM) ** -0.25, 12);
      expect(streamSpeedMS(v0, G, dropM) * Math.PI * widthM * widthM).toBeCloseTo(v0 * Math.PI * w0 * w0, 12);
    }
    expect(continuityWidth(w0, v0, G, 0.15) / w0).toBeCloseTo(0.5292, 3);
  });

  it('holds Q × the fall time between two drops (Simpson on the width profile)', () => {
    const v0 = 0.5;
    const w0 = 0.012;
    const flowM3S = v0 * Math.PI * w0 * w0 * 0.25;
    const volume = streamVolumeM3((dropM) => continuityWidth(w0, v0, G, dropM), 0.02, 0.15);
    expect(volume / (flowM3S * (fallTimeS(v0, G, 0.15) - fallTimeS(v0, G, 0.02)))).toBeCloseTo(1, 5);
    expect(dropAfterS(v0, G, fallTimeS(v0, G, 0.15))).toBeCloseTo(0.15, 12);
  });
});

describe('a glass filled from a jug (water-poured-into-glass, exact)', () => {
  const scene = buildFluidScene(pourPrompt);
  const fps = 30;
  const simulation = simulateFluid(scene, fps, 180, NO_FLUID_DEFECT);
  const stream = scene.stream!;
  const flowM3S = stream.flowM3S;

  it('takes its numbers from the prompt: 0.06 L/s into a 7 cm glass, 0.25 L in all', () => {
    expect(scene.kind).toBe('pour');
    expect(flowM3S).toBeCloseTo(6e-5, 12);
    expect(scene.container?.innerWidthM).toBe(0.07);
    expect(flowM3S * (stream.endS - stream.startS)).toBeCloseTo(2.5e-4, 12);
    expect(scene.colorRgb).toEqual([173, 216, 230]);
  });

  it('conserves volume: container + stream = ∫Q dt at every frame, and the container ends with 0.25 L', () => {
    for (const frame of simulation.frames) {
      const deliveredM3 = flowM3S * Math.min(Math.max(frame.timeS - stream.startS, 0), stream.endS - stream.startS);
      expect(Math.abs(frame.containerVolumeM3 + frame.streamVolumeM3 - deliveredM3)).toBeLessThan(1e-9);
    }
    expect(simulation.frames[179]?.containerVolumeM3).toBeCloseTo(2.5e-4, 12);
  });

  it('rises at Q/area while the stream runs (a little faster: the rising surface meets the stream sooner)', () => {
    const at = (timeS: number) => simulation.frames[Math.round(timeS * fps)]!;
    const rateM3S = (at(3.5).containerVolumeM3 - at(1.5).containerVolumeM3) / 2;
    // The fall time shrinks by Δτ as the level rises: the container gains Q·(2 s + Δτ).
    const shrinkS = fallTimeS(stream.outletSpeedMS, G, stream.outletYM - scene.container!.baseM - at(1.5).levelM) - fallTimeS(stream.outletSpeedMS, G, stream.outletYM - scene.container!.baseM - at(3.5).levelM);
    expect(rateM3S / flowM3S).toBeGreaterThan(1);
    expect(rateM3S / flowM3S).toBeCloseTo(1 + shrinkS / 2, 6);
    expect(rateM3S / flowM3S).toBeLessThan(1.015);
    const levelRateMS = (at(3.5).levelM - at(1.5).levelM) / 2;
    expect(levelRateMS * scene.container!.areaM2).toBeCloseTo(rateM3S, 12);
  });

  it('sloshes while it fills, then settles level and still', () => {
    const settleS = fluidSettleS(simulation.frames, fps);
    expect(settleS).not.toBeNull();
    expect(settleS!).toBeGreaterThan(simulation.relaxFromS!);
    expect(settleS!).toBeLessThan(5.5);
    const resting = simulation.frames.filter((frame) => frame.timeS >= settleS!);
    for (const frame of resting) {
      expect(Math.abs(frame.tiltDeg)).toBeLessThan(FLUID_REST_TILT_DEG);
      expect(frame.containerVolumeM3).toBe(2.5e-4);
      expect(frame.stream).toBeNull();
    }
    const filling = simulation.frames.filter((frame) => frame.timeS > 1 && frame.timeS < 4);
    expect(Math.max(...filling.map((frame) => Math.abs(frame.tiltDeg)))).toBeGreaterThan(1);
  });

  it('is a scene the simulator generators render', () => {
    expect(createSimGenerator('sim:ideal').plan(pourPrompt)).toEqual({ supported: true });
    expect(createSimGenerator('sim:flawed').plan(getPrompt('milk-spilled-on-table'))).toEqual({ supported: true });
  });

  it('takes every fluid defect but gravity-off, and sim:flawed picks among them', () => {
    const codes = applicableDefects(pourPrompt, { durationS: 6 });
    expect(codes).toEqual(['volume-not-conserved', 'surface-not-level', 'stream-continuity', 'fluid-appears', 'fluid-vanishes']);
    const picks = new Set(Array.from({ length: 30 }, (_, seed) => chooseDefect(pourPrompt, seed)?.code));
    expect([...picks].every((code) => code !== undefined && codes.includes(code))).toBe(true);
    expect(picks.size).toBeGreaterThan(2);
  });

  it('a tap already runs at the first frame: the stream reaches the bottom then, and there is no rest in 8 s', () => {
    const tap = buildFluidScene(tapPrompt);
    const tapRun = simulateFluid(tap, 10, 80, NO_FLUID_DEFECT);
    expect(tap.kind).toBe('tap');
    expect(tapRun.firstWetS).toBeCloseTo(0, 12);
    expect(tapRun.frames[0]?.stream).not.toBeNull();
    // Q·7.9 s, plus what the rising surface meets sooner than the empty bottom.
    const volumeM3 = tapRun.frames[79]!.containerVolumeM3;
    expect(volumeM3).toBeGreaterThan(1e-4 * 7.9);
    expect(volumeM3).toBeLessThan(1e-4 * (7.9 + fallTimeS(tap.stream!.outletSpeedMS, G, 0.3)));
    expect(applicableDefects(tapPrompt, { fps: 10 })).not.toContain('surface-not-level');
  });
});

describe('planted defects change what they should (pure physics)', () => {
  const scene = buildFluidScene(pourPrompt);
  const fps = 30;
  const ideal = simulateFluid(scene, fps, 180, NO_FLUID_DEFECT);
  const withDefect = (code: Parameters<typeof fluidPhysicsDefect>[0], value: number, atS: number) => simulateFluid(scene, fps, 180, fluidPhysicsDefect(code, value, atS));
  const k = (timeS: number): number => Math.round(timeS * fps);

  it('volume-not-conserved drains 40% of the volume from atS to the last frame', () => {
    const drained = withDefect('volume-not-conserved', 0.4, 3);
    const at3 = ideal.frames[k(3)]!.containerVolumeM3;
    expect(drained.frames[k(3)]!.containerVolumeM3).toBeCloseTo(at3, 12);
    expect(drained.frames[179]!.containerVolumeM3).toBeCloseTo(2.5e-4 - 0.4 * at3, 10);
    expect(fluidSettleS(drained.frames, fps)).toBeNull();
  });

  it('fluid-appears and fluid-vanishes step the volume in one frame', () => {
    const at3 = ideal.frames[k(3)]!.containerVolumeM3;
    const appears = withDefect('fluid-appears', 0.5, 3);
    const vanishes = withDefect('fluid-vanishes', 0.5, 3);
    expect(appears.frames[k(3) - 1]!.containerVolumeM3).toBe(ideal.frames[k(3) - 1]!.containerVolumeM3);
    expect(appears.frames[k(3)]!.containerVolumeM3 - at3).toBeCloseTo(0.5 * at3, 12);
    expect(vanishes.frames[k(3)]!.containerVolumeM3).toBeCloseTo(0.5 * at3, 12);
    expect(vanishes.frames[179]!.containerVolumeM3).toBeCloseTo(2.5e-4 - 0.5 * at3, 12);
  });

  it('surface-not-level rests at VALUE degrees; stream-continuity widens the stream to VALUE × the outlet', () => {
    const tilted = withDefect('surface-not-level', 6, ideal.relaxFromS!);
    expect(tilted.frames[179]!.tiltDeg).toBeCloseTo(6, 3);
    const wide = withDefect('stream-continuity', 2, 0);
    const fullDropM = scene.stream!.outletYM - scene.container!.baseM;
    expect(wide.widthAtDropM!(fullDropM) / scene.stream!.outletWidthM).toBeCloseTo(2, 12);
    expect(wide.widthAtDropM!(0.1)).toBeGreaterThan(wide.widthAtDropM!(0.05));
    expect(ideal.widthAtDropM!(0.1)).toBeLessThan(ideal.widthAtDropM!(0.05));
  });
});

/** Mean over columns [x0, x1] of (blue − red) in row j. */
function blueExcess(frame: Uint8Array, width: number, j: number, x0: number, x1: number): number {
  let sum = 0;
  for (let i = x0; i <= x1; i += 1) sum += (frame[3 * (j * width + i) + 2] ?? 0) - (frame[3 * (j * width + i)] ?? 0);
  return sum / (x1 - x0 + 1);
}

describe('the rendered 320x180 pour matches its truth', () => {
  const options: SimOptions = { width: 320, height: 180, fps: 10, durationS: 2, watermark: false };
  const clip = prepareClip(pourPrompt, options);
  const fluid = fluidOf(clip);
  const frames = [...clip.frames()];
  const container = fluid.container!;

  it('shows the liquid level within a pixel of the truth, measured right of the stream', () => {
    const x0 = Math.ceil((container.leftPx + container.rightPx) / 2) + 2;
    const x1 = Math.floor(container.rightPx) - 2;
    const empty = frames[0]!;
    const fullContrast = (fluid.colorRgb[2] - fluid.colorRgb[0] - blueExcess(empty, 320, Math.round(container.bottomYPx) - 2, x0, x1)) * fluid.opacity;
    for (const k of [10, 15, 19]) {
      let depthPx = 0;
      for (let j = Math.floor(container.rimYPx); j <= Math.ceil(container.bottomYPx); j += 1) {
        const share = (blueExcess(frames[k]!, 320, j, x0, x1) - blueExcess(empty, 320, j, x0, x1)) / fullContrast;
        depthPx += Math.min(1, Math.max(0, share));
      }
      const truthDepthPx = container.bottomYPx - container.surfaceYPx[k]!;
      expect(truthDepthPx).toBeGreaterThan(3);
      expect(Math.abs(depthPx - truthDepthPx)).toBeLessThan(1);
    }
  });

  it('draws the stream as wide as the truth says at each sampled height', () => {
    const stream = fluid.stream!;
    const k = Math.round(stream.widthsAtS * clip.truth.fps);
    expect(stream.widths.length).toBeGreaterThan(2);
    for (const [, yPx, widthPx, lawWidthPx] of stream.widths) {
      expect(widthPx).toBeCloseTo(lawWidthPx, 9);
      const j = Math.round(yPx);
      let measuredPx = 0;
      const x0 = Math.floor(stream.xPx - 10);
      for (let i = x0; i <= x0 + 20; i += 1) {
        const share = ((frames[k]![3 * (j * 320 + i) + 2] ?? 0) - (frames[k]![3 * (j * 320 + i)] ?? 0) - ((frames[0]![3 * (j * 320 + i) + 2] ?? 0) - (frames[0]![3 * (j * 320 + i)] ?? 0))) / ((fluid.colorRgb[2] - fluid.colorRgb[0] - ((frames[0]![3 * (j * 320 + i) + 2] ?? 0) - (frames[0]![3 * (j * 320 + i)] ?? 0))) * fluid.opacity);
        measuredPx += Math.min(1, Math.max(0, share));
      }
      expect(Math.abs(measuredPx - widthPx)).toBeLessThan(1);
    }
  });
});

describe('planted defects show in the rendered frames (320x180, 10 fps, no noise)', () => {
  const options: SimOptions = { width: 320, height: 180, fps: 10, watermark: false, noiseSigma: 0 };

  /** Depth of liquid in one column, px: the summed share of the liquid's tint in each row against frame 0 (empty glass). */
  function columnDepthPx(frame: Uint8Array, empty: Uint8Array, fluid: FluidTruth, i: number): number {
    const container = fluid.container!;
    let depthPx = 0;
    for (let j = Math.floor(container.rimYPx); j <= Math.ceil(container.bottomYPx); j += 1) {
      const p = 3 * (j * 320 + i);
      const behind = (empty[p + 2] ?? 0) - (empty[p] ?? 0);
      const share = ((frame[p + 2] ?? 0) - (frame[p] ?? 0) - behind) / ((fluid.colorRgb[2] - fluid.colorRgb[0] - behind) * fluid.opacity);
      depthPx += Math.min(1, Math.max(0, share));
    }
    return depthPx;
  }

  it('exact: at rest the surface is level across the glass', () => {
    const clip = prepareClip(pourPrompt, options);
    const fluid = fluidOf(clip);
    const frames = [...clip.frames()];
    const last = frames.length - 1;
    expect(fluid.settleS!).toBeLessThan(last / 10);
    const left = columnDepthPx(frames[last]!, frames[0]!, fluid, Math.ceil(fluid.container!.leftPx) + 1);
    const right = columnDepthPx(frames[last]!, frames[0]!, fluid, Math.floor(fluid.container!.rightPx) - 1);
    expect(Math.abs(right - left)).toBeLessThan(0.1);
    expect(Math.abs(left - (fluid.container!.bottomYPx - fluid.container!.surfaceYPx[last]!))).toBeLessThan(0.1);
  });

  it('surface-not-level=8: at rest the right side stands tan(8°) × the distance higher than the left', () => {
    const clip = prepareClip(pourPrompt, { ...options, defect: { code: 'surface-not-level', value: 8 } });
    const fluid = fluidOf(clip);
    const frames = [...clip.frames()];
    const last = frames.length - 1;
    expect(fluid.restTiltDeg).toBe(8);
    expect(fluid.container!.surfaceTiltDeg[last]).toBeCloseTo(8, 2);
    const left = Math.ceil(fluid.container!.leftPx) + 1;
    const right = Math.floor(fluid.container!.rightPx) - 1;
    const rise = columnDepthPx(frames[last]!, frames[0]!, fluid, right) - columnDepthPx(frames[last]!, frames[0]!, fluid, left);
    expect(Math.abs(rise - Math.tan((8 * Math.PI) / 180) * (right - left))).toBeLessThan(0.5);
  });

  it('stream-continuity=2: the drawn stream widens to twice the outlet at the bottom, against the narrowing law', () => {
    const clip = prepareClip(pourPrompt, { ...options, defect: { code: 'stream-continuity', value: 2 } });
    const stream = fluidOf(clip).stream!;
    const frames = [...clip.frames()];
    const widths = stream.widths.map(([, , widthPx]) => widthPx);
    expect(widths.every((widthPx, n) => n === 0 || widthPx > (widths[n - 1] ?? Infinity))).toBe(true);
    const [, yPx, widthPx, lawWidthPx] = stream.widths[stream.widths.length - 1]!;
    expect(widthPx).toBeGreaterThan(1.5 * lawWidthPx);
    const k = Math.round(stream.widthsAtS * 10);
    const j = Math.round(yPx);
    let measuredPx = 0;
    for (let i = Math.floor(stream.xPx) - 12; i <= Math.floor(stream.xPx) + 12; i += 1) {
      const p = 3 * (j * 320 + i);
      const behind = (frames[0]![p + 2] ?? 0) - (frames[0]![p] ?? 0);
      const share = ((frames[k]![p + 2] ?? 0) - (frames[k]![p] ?? 0) - behind) / ((fluidOf(clip).colorRgb[2] - fluidOf(clip).colorRgb[0] - behind) * fluidOf(clip).opacity);
      measuredPx += Math.min(1, Math.max(0, share));
    }
    expect(Math.abs(measuredPx - widthPx)).toBeLessThan(0.5);
  });

  it('fluid-vanishes: half the glass disappears between two frames', () => {
    const clip = prepareClip(pourPrompt, { ...options, defect: { code: 'fluid-vanishes' } });
    const fluid = fluidOf(clip);
    const k = Math.round(clip.truth.defect!.atS * 10);
    const frames = [...clip.frames()];
    const i = Math.floor(fluid.container!.rightPx) - 2;
    const before = columnDepthPx(frames[k - 1]!, frames[0]!, fluid, i);
    const after = columnDepthPx(frames[k]!, frames[0]!, fluid, i);
    expect(fluid.containerVolumeL[k]! / fluid.containerVolumeL[k - 1]!).toBeLessThan(0.55);
    expect(Math.abs(before - (fluid.container!.bottomYPx - fluid.container!.surfaceYPx[k - 1]!))).toBeLessThan(0.5);
    expect(Math.abs(after - (fluid.container!.bottomYPx - fluid.container!.surfaceYPx[k]!))).toBeLessThan(0.5);
    expect(after / before).toBeLessThan(0.55);
  });
});

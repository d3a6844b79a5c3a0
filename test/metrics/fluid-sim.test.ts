import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { fluidMetric } from '../../metrics/fluid.js';
import type { FluidValue } from '../../metrics/fluid-types.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { FailureCode } from '../../prompts/codes.js';
import type { Prompt } from '../../prompts/schema.js';
import { simulateClip, type DefectRequest, type GroundTruth } from '../../runners/sim/index.js';

const FLUID_CODES: readonly FailureCode[] = fluidMetric.codes;
const PLANTED = ['volume-not-conserved', 'surface-not-level', 'stream-continuity', 'fluid-appears', 'fluid-vanishes'] as const;

interface Clip {
  truth: GroundTruth;
  value: FluidValue;
  codes: FailureCode[];
}

// One small pour (320x180, 12 fps) long enough for the jug to stop and the surface to rest, exact and with
// each defect; the exact one also at 640x360 for the volume.
describe('fluid metric on simulated pours', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-fluid-'));
  const prompt = getPrompt('water-poured-into-glass');
  const clips = new Map<string, Clip>();

  beforeAll(async () => {
    const render = async (name: string, defect: (typeof PLANTED)[number] | null, width = 320): Promise<void> => {
      const path = join(dir, `${name}.mp4`);
      const size = { width, height: (width * 9) / 16 };
      // The drain starts mid-clip while the jug still pours: 8 s leave it 3.5 s after the pour to show.
      const durationS = defect === 'volume-not-conserved' ? 8 : 6;
      const truth = await simulateClip(prompt, path, { ...size, fps: 12, durationS, audio: false, seed: 3, defect: defect === null ? null : { code: defect } });
      const analysis = await analyzeVideo(path, { expect: prompt.expect, metrics: [fluidMetric] });
      expect(analysis.errors).toEqual({});
      clips.set(name, { truth, value: analysis.outcomes['fluid']!.value as unknown as FluidValue, codes: analysis.failures.map((f) => f.code) });
    };
    await Promise.all([render('exact', null), render('exact-640', null, 640), ...PLANTED.map((code) => render(code, code))]);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('raises no fluid code on the exact clip', () => {
    expect(clips.get('exact')!.codes.filter((code) => FLUID_CODES.includes(code))).toEqual([]);
    expect(clips.get('exact-640')!.codes.filter((code) => FLUID_CODES.includes(code))).toEqual([]);
  });

  it('measures the volume within 5% of the truth (640x360: at 320x180 chroma subsampling widens the liquid by about a pixel at each edge)', () => {
    const { truth, value } = clips.get('exact-640')!;
    expect(value.volumeUnit).toBe('L');
    const truthVolumes = truth.fluid!.containerVolumeL;
    expect(Math.abs(value.finalVolume! / truthVolumes[truthVolumes.length - 1]! - 1)).toBeLessThan(0.05);
    // The points once the glass holds a quarter of its final volume: nine in ten within 5% (measured:
    // 2-3%; the stream's tail landing as the jug stops reads up to 16% low for two frames).
    const peak = Math.max(...truthVolumes);
    const errors = value.volumeSeries
      .filter(([tS]) => truthVolumes[Math.round(tS * truth.fps)]! > 0.25 * peak)
      .map(([tS, litres]) => Math.abs(litres / truthVolumes[Math.round(tS * truth.fps)]! - 1))
      .sort((a, b) => a - b);
    expect(errors.length).toBeGreaterThan(30);
    expect(errors[Math.floor(0.9 * errors.length)]).toBeLessThan(0.05);
  });

  it('reads the container width and the stream that narrows by continuity', () => {
    const { truth, value } = clips.get('exact')!;
    const container = truth.fluid!.container!;
    expect(Math.abs(value.containerWidthPx! / (container.rightPx - container.leftPx) - 1)).toBeLessThan(0.05);
    expect(value.stream.widening).toBeLessThan(-0.2);
    expect(value.stream.continuity).not.toBeNull();
    // The surface rests level: within the tilt's stated uncertainty at 320x180 (a surface read to half a pixel over about 26 columns: 2.2°), within 1.5° at 640x360.
    expect(value.restTiltDeg).not.toBeNull();
    expect(Math.abs(value.restTiltDeg!)).toBeLessThan(value.restTiltUncertaintyDeg!);
    expect(Math.abs(clips.get('exact-640')!.value.restTiltDeg!)).toBeLessThan(1.5);
  });

  for (const code of PLANTED) {
    it(`finds a planted ${code} with its code and time`, () => {
      const { truth, codes } = clips.get(code)!;
      expect(truth.defect?.code).toBe(code);
      expect(codes).toContain(code);
    });
  }
});

/** Renders `prompt` exact and with each of `planted` (640x360, 12 fps) into `dir`, and runs the fluid metric on each into `clips` (keyed 'exact' and by name). */
async function renderExactAndPlanted(prompt: Prompt, clip: { seed: number; durationS: number }, dir: string, clips: Map<string, Clip>, planted: Record<string, DefectRequest>): Promise<void> {
  const render = async (name: string, defect: DefectRequest | null): Promise<void> => {
    const path = join(dir, `${name}.mp4`);
    const truth = await simulateClip(prompt, path, { width: 640, height: 360, fps: 12, ...clip, audio: false, defect });
    const analysis = await analyzeVideo(path, { expect: prompt.expect, metrics: [fluidMetric] });
    expect(analysis.errors).toEqual({});
    clips.set(name, { truth, value: analysis.outcomes['fluid']!.value as unknown as FluidValue, codes: analysis.failures.map((f) => f.code) });
  };
  await Promise.all([render('exact', null), ...Object.entries(planted).map(([name, defect]) => render(name, defect))]);
}

// A glass of water from the first frame (640x360, 12 fps, 3 s): the standing water is measured, not taken for background.
describe('fluid metric on a simulated splash into a glass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-fluid-splash-'));
  const prompt = getPrompt('steel-ball-splash-into-glass');
  const clips = new Map<string, Clip>();

  beforeAll(
    () => renderExactAndPlanted(prompt, { seed: 5, durationS: 3 }, dir, clips, { 'fluid-vanishes': { code: 'fluid-vanishes' }, floating: { code: 'gravity-off', value: 0.5, target: 'droplets' } }),
    60_000,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures the water standing from the first frame within 5% (the sunk ball adds its 1.4%) and raises no code', () => {
    const { truth, value, codes } = clips.get('exact')!;
    expect(codes).toEqual([]);
    expect(value.volumeUnit).toBe('L');
    const truthVolumes = truth.fluid!.containerVolumeL;
    expect(Math.abs(value.finalVolume! / truthVolumes[truthVolumes.length - 1]! - 1)).toBeLessThan(0.05);
    const container = truth.fluid!.container!;
    expect(Math.abs(value.containerWidthPx! / (container.rightPx - container.leftPx) - 1)).toBeLessThan(0.05);
  });

  it("measures the droplets' g on their ballistic arcs within 2% of the truth (even at 12 fps), in m/s² by the glass's diameter", () => {
    const { truth, value } = clips.get('exact')!;
    const droplets = value.droplets!;
    expect(droplets.arcs).toBeGreaterThanOrEqual(2);
    expect(Math.abs(droplets.gravityPxS2! / truth.fluid!.droplets.gravityPxS2 - 1)).toBeLessThan(0.02);
    expect(droplets.scaleFrom).toBe('container');
    expect(Math.abs(droplets.gravityMS2! / truth.gravityMS2 - 1)).toBeLessThan(0.03);
  });

  it('catches droplets that float (gravity-off on the droplets only, the ball falling right) with gravity-off, measuring their half g', () => {
    const { truth, value, codes } = clips.get('floating')!;
    expect(truth.fluid!.droplets.gravityPxS2).toBeCloseTo(0.5 * truth.gravityPxS2, 6);
    expect(codes).toEqual(['gravity-off']);
    expect(Math.abs(value.droplets!.gravityPxS2! / truth.fluid!.droplets.gravityPxS2 - 1)).toBeLessThan(0.02);
  });

  it('finds half the water vanishing with fluid-vanishes', () => {
    const { truth, codes } = clips.get('fluid-vanishes')!;
    expect(truth.defect?.code).toBe('fluid-vanishes');
    expect(codes).toContain('fluid-vanishes');
  });
});

// A tipped glass of milk spreading into a puddle seen at an angle (640x360, 12 fps, 5 s), its milk as white as the drifting watermark.
describe('fluid metric on a simulated spill', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-fluid-spill-'));
  const prompt = getPrompt('milk-spilled-on-table');
  const clips = new Map<string, Clip>();

  beforeAll(() => renderExactAndPlanted(prompt, { seed: 6, durationS: 5 }, dir, clips, { 'fluid-vanishes': { code: 'fluid-vanishes' } }), 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the puddle for liquid lying on the table (no container level, tilt or stream judged) and raises no code', () => {
    const { value, codes } = clips.get('exact')!;
    expect(codes).toEqual([]);
    expect(value.wallLean).toBeGreaterThan(0.05);
    expect(value.finalVolume).toBeNull();
    // Solid where it can be seen: under the tipped glass, which held the milk in the first frames, it cannot (measured 0.996; 0.87 when those pixels counted as gaps).
    expect(value.poolTrust!.solidity).toBeGreaterThan(0.95);
    // The puddle only grows: its area at the end is the largest (within the watermark's passing).
    const areas = value.puddleAreaSeries!.map(([, area]) => area);
    expect(areas[areas.length - 1]!).toBeGreaterThan(0.95 * Math.max(...areas));
  });

  it('finds half the puddle vanishing with fluid-vanishes at the planted time', () => {
    const { truth, codes, value } = clips.get('fluid-vanishes')!;
    expect(codes).toEqual(['fluid-vanishes']);
    const step = value.volumeEvents.find((e) => e.kind === 'step-down')!;
    expect(Math.abs(step.atS - truth.defect!.atS)).toBeLessThan(0.2);
    expect(step.fraction).toBeGreaterThan(0.35);
  });
});

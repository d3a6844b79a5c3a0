import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { fluidMetric } from '../../metrics/fluid.js';
import type { FluidValue } from '../../metrics/fluid-types.js';
import { getPrompt } from '../../prompts/catalog.js';

// Real footage (../shared/videos, see its CATALOG.md): water poured from a jug into a transparent
// cylinder 5.7-6.3 cm across, in a kitchen. Not part of the repository; skipped where absent.
const DIR = '/work/shared/videos/bpiyush__SoundOfWater/media_assets';
const VIDEO = `${DIR}/example_video.mp4`;
const present = existsSync(VIDEO);
if (!present) console.warn(`test/metrics/fluid-real.test.ts: ${VIDEO} is absent, so the real-footage fluid test is skipped`);

describe.skipIf(!present)('fluid metric on real footage (SoundOfWater example_video.mp4)', () => {
  it('raises no fluid failure code on a real pour', async () => {
    const metadata = JSON.parse(readFileSync(`${DIR}/example_metadata.json`, 'utf8')) as { measurements: { diameter_bottom: number; diameter_top: number } };
    const diameterM = (metadata.measurements.diameter_bottom + metadata.measurements.diameter_top) / 200;
    // The catalog's water pour, with the cylinder's measured diameter; analysed at 160 px wide to stay quick.
    const base = getPrompt('water-poured-into-glass').expect;
    const expectations = { ...base, fluid: { ...base.fluid!, containerDiameterM: diameterM, volumeL: undefined } };
    const analysis = await analyzeVideo(VIDEO, { expect: expectations, metrics: [fluidMetric], maxAnalysisWidth: 160 });
    expect(analysis.errors).toEqual({});
    expect(analysis.failures).toEqual([]);
    const value = analysis.outcomes['fluid']!.value as unknown as FluidValue;
    // Clear water shows no 'lightblue' tint: what the hint finds is speckled, so the pool is left unjudged, and says why.
    expect(value.poolTrust!.solidity).toBeLessThan(0.85);
    expect(value.notes.some((note) => note.startsWith('the pool is not measured reliably'))).toBe(true);
  }, 60_000);
});

// LikePhys (../shared/videos/YuanJianhao508__LikePhys, see CATALOG.md): a physics-simulator render of a
// faucet filling a tank with a blue liquid, labelled physically valid; 512x512, 2 s. Skipped where absent.
const LIKEPHYS = '/work/shared/videos/YuanJianhao508__LikePhys/static/videos/fluid_valid.mp4';
const likePhysPresent = existsSync(LIKEPHYS);
if (!likePhysPresent) console.warn(`test/metrics/fluid-real.test.ts: ${LIKEPHYS} is absent, so the LikePhys fluid test is skipped`);

describe.skipIf(!likePhysPresent)('fluid metric on a valid simulator render (LikePhys fluid_valid.mp4)', () => {
  it('raises no fluid failure code where the liquid splashes in as a spray, not one body', async () => {
    // The tap prompt, its liquid blue, without the container size or volume the render does not give.
    const base = getPrompt('tap-filling-jug').expect;
    const expectations = { ...base, fluid: { ...base.fluid!, colorHint: 'blue', containerDiameterM: undefined, volumeL: undefined } };
    const analysis = await analyzeVideo(LIKEPHYS, { expect: expectations, metrics: [fluidMetric], maxAnalysisWidth: 256 });
    expect(analysis.errors).toEqual({});
    expect(analysis.failures).toEqual([]);
    const value = analysis.outcomes['fluid']!.value as unknown as FluidValue;
    // The box is seen in three-quarter view, so the liquid's sides lean in the image and it is taken for liquid
    // lying on a surface; a broken spray, it is not solid enough to judge, and the note says why.
    expect(value.wallLean!).toBeGreaterThan(0.05);
    expect(value.poolTrust!.solidity).toBeLessThan(0.85);
    expect(value.notes.some((note) => note.startsWith('the pool is not measured reliably (lying on a surface'))).toBe(true);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { lumaOf } from '../../metrics/analyze-video.js';
import type { FaceSighting } from '../../metrics/lip-sync-browser.js';
import { lipOpening, mouthContrast, mouthPatch, MOUTH_REGION } from '../../metrics/lip-sync-mouth.js';
import { resampleRgb } from '../../metrics/lip-sync.js';
import { drawFace } from './lip-sync-clip.js';

const WIDTH = 320;
const HEIGHT = 180;

/** Where drawFace puts the face (a 0.6 × 0.8 frame-height ellipse) and the mouth, as a detector would report them. */
const SIGHTING: FaceSighting = {
  score: 0.9,
  box: { x: WIDTH / 2 - 0.3 * HEIGHT, y: HEIGHT / 2 - 0.4 * HEIGHT, width: 0.6 * HEIGHT, height: 0.6 * HEIGHT },
  mouth: { x: WIDTH / 2, y: HEIGHT / 2 + 0.2 * HEIGHT },
  leftEye: null,
  rightEye: null,
  lips: null,
};

describe('mouth opening', () => {
  it('lipOpening is the inner-lip gap over the corner distance', () => {
    expect(lipOpening({ upper: { x: 50, y: 40 }, lower: { x: 50, y: 52 }, left: { x: 30, y: 46 }, right: { x: 70, y: 46 } })).toBeCloseTo(0.3, 12);
    expect(lipOpening({ upper: { x: 50, y: 40 }, lower: { x: 50, y: 52 }, left: { x: 50, y: 46 }, right: { x: 50, y: 46 } })).toBeNaN();
  });

  it('the contrast of the mouth region grows with the opening, and ignores the brightness of the frame', () => {
    const openings = [0, 0.2, 0.4, 0.6, 0.8, 1];
    const patches = openings.map((opening) => mouthPatch(lumaOf(drawFace(WIDTH, HEIGHT, opening)), WIDTH, HEIGHT, SIGHTING, 1));
    for (const patch of patches) expect(patch).toHaveLength(MOUTH_REGION.gridWidth * MOUTH_REGION.gridHeight);
    const mass = patches.map((patch) => mouthContrast(patch!));
    for (let i = 1; i < mass.length; i++) expect(mass[i]!).toBeGreaterThan(mass[i - 1]!);
    // The same frames at 60% brightness: each patch is divided by its skin brightness, so nothing changes.
    const dimmed = openings.map((opening) => {
      const gray = lumaOf(drawFace(WIDTH, HEIGHT, opening)).map((v) => Math.round(v * 0.6));
      return mouthPatch(gray, WIDTH, HEIGHT, SIGHTING, 1);
    });
    const dimmedMass = dimmed.map((patch) => mouthContrast(patch!));
    for (let i = 0; i < mass.length; i++) expect(dimmedMass[i]!).toBeCloseTo(mass[i]!, 1);
  });

  it('scales sightings from the detection size to the analysis frame', () => {
    const gray = lumaOf(drawFace(WIDTH, HEIGHT, 0.7));
    const half: FaceSighting = {
      ...SIGHTING,
      box: { x: SIGHTING.box.x / 2, y: SIGHTING.box.y / 2, width: SIGHTING.box.width / 2, height: SIGHTING.box.height / 2 },
      mouth: { x: SIGHTING.mouth!.x / 2, y: SIGHTING.mouth!.y / 2 },
    };
    expect(Array.from(mouthPatch(gray, WIDTH, HEIGHT, half, 2)!)).toEqual(Array.from(mouthPatch(gray, WIDTH, HEIGHT, SIGHTING, 1)!));
  });

  it('has no patch without a mouth point or when the region leaves the frame', () => {
    const gray = lumaOf(drawFace(WIDTH, HEIGHT, 0.5));
    expect(mouthPatch(gray, WIDTH, HEIGHT, { ...SIGHTING, mouth: null }, 1)).toBeNull();
    expect(mouthPatch(gray, WIDTH, HEIGHT, { ...SIGHTING, mouth: { x: 5, y: 90 } }, 1)).toBeNull();
    expect(mouthPatch(gray, WIDTH, HEIGHT, { ...SIGHTING, mouth: { x: 160, y: 175 } }, 1)).toBeNull();
  });

  it('mouthContrast counts dark cavity and bright teeth alike, past the skin tolerance, in the middle of the patch only', () => {
    const { gridWidth, gridHeight } = MOUTH_REGION;
    const patch = new Float32Array(gridWidth * gridHeight).fill(1);
    patch[10 * gridWidth + 15] = 0.5; // cavity: 0.5 below skin, 0.4 past the tolerance
    patch[11 * gridWidth + 15] = 1.6; // teeth: 0.6 above, 0.5 past it
    patch[12 * gridWidth + 16] = 1.05; // shading within the tolerance
    patch[10 * gridWidth + 0] = 0; // cheek, outside the middle
    patch[0 * gridWidth + 15] = 0; // nose shadow, outside the middle
    const middle = (gridWidth - 2 * 6) * (gridHeight - 2 * 3);
    expect(mouthContrast(patch)).toBeCloseTo((0.4 + 0.5) / middle, 6);
  });

  it('resampleRgb halves a frame by averaging pixel pairs', () => {
    const rgb = Uint8Array.from({ length: 4 * 2 * 3 }, (_, i) => (i % 3 === 0 ? 10 * Math.floor(i / 3) : 0));
    const half = resampleRgb(rgb, 4, 2, 2, 1);
    // Output pixel x samples source x = 2x + 0.5, y = 0.5: the mean of a 2 × 2 block.
    expect(Array.from(half.filter((_, i) => i % 3 === 0))).toEqual([25, 45]);
  });
});

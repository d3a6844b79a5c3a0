import { describe, expect, it } from 'vitest';
import { promptSchema } from '../../../prompts/schema.js';
import { applicableDefects, chooseDefect, DEFECT_CODES, parseDefect, PICKED_DEFECT_CODES, SHAPE_MORPH_S, shapeAxisRatio } from '../../../runners/sim/defects.js';
import { discCoverage, ellipseCoverage } from '../../../runners/sim/draw-ball.js';
import { isSimError } from '../../../runners/sim/errors.js';
import type { SimOptions } from '../../../runners/sim/options.js';
import { prepareClip } from '../../../runners/sim/simulate-clip.js';

const FPS = 30;
const TINY: SimOptions = { width: 320, height: 180, fps: FPS, durationS: 1.5, noiseSigma: 0, watermark: false, audio: false };

const bounce = promptSchema.parse({
  id: 'shape-bounce',
  text: 'a red ball is dropped onto a wooden floor',
  category: 'bounce',
  durationS: 1.5,
  expect: { objects: [{ name: 'ball', colorHint: 'red', diameterM: 0.24 }], restitution: { min: 0.7, max: 0.8 } },
});

/** Width, height and count of the pixels that differ clearly from the background (the ball is the only thing drawn). */
function extent(frame: Uint8Array, background: Uint8Array, width: number): { widthPx: number; heightPx: number; count: number } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let count = 0;
  for (let p = 0; p < frame.length / 3; p += 1) {
    if (Math.abs((frame[3 * p] ?? 0) - (background[3 * p] ?? 0)) + Math.abs((frame[3 * p + 1] ?? 0) - (background[3 * p + 1] ?? 0)) <= 40) continue;
    const x = p % width;
    const y = Math.floor(p / width);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
    count += 1;
  }
  return { widthPx: maxX - minX + 1, heightPx: maxY - minY + 1, count };
}

describe('shape-change defect', () => {
  it('parses with its default 1.6 and refuses ratios outside [0.25, 4] or 1', () => {
    expect(parseDefect('shape-change')).toEqual({ code: 'shape-change', value: 1.6 });
    expect(parseDefect('shape-change=0.7')).toEqual({ code: 'shape-change', value: 0.7 });
    for (const text of ['shape-change=1', 'shape-change=5', 'shape-change=0.1']) {
      expect(() => parseDefect(text)).toThrowError(/width over height in \[0.25, 4\]/);
    }
  });

  it('is plantable on request but never picked by sim:flawed', () => {
    expect(DEFECT_CODES).toContain('shape-change');
    expect(PICKED_DEFECT_CODES).not.toContain('shape-change');
    expect(PICKED_DEFECT_CODES).toEqual(DEFECT_CODES.filter((code) => code !== 'shape-change'));
    expect(applicableDefects(bounce, TINY)).toContain('shape-change');
    const picks = new Set(Array.from({ length: 60 }, (_, seed) => chooseDefect(bounce, seed, TINY)?.code));
    expect(picks.has('shape-change')).toBe(false);
    expect(picks.size).toBeGreaterThan(3);
  });

  it('an ellipse keeps the disc area: coverage sums to πr² for any axis ratio', () => {
    const radiusPx = 8;
    for (const ratio of [1, 1.6, 0.5, 2.5]) {
      let area = 0;
      for (let j = -30; j <= 30; j += 1) for (let i = -30; i <= 30; i += 1) area += ellipseCoverage(i, j, 0.3, -0.2, radiusPx, ratio);
      expect(Math.abs(area / (Math.PI * radiusPx * radiusPx) - 1)).toBeLessThan(0.01);
    }
    expect(ellipseCoverage(3, 4, 0, 0, 6, 1)).toBe(discCoverage(3, 4, 0, 0, 6));
  });

  it('the ball squashes from a third of the clip over SHAPE_MORPH_S, keeps its area, and the truth keeps the ideal path and radius', () => {
    const ideal = prepareClip(bounce, TINY);
    const clip = prepareClip(bounce, { ...TINY, defect: { code: 'shape-change' } });
    const defect = clip.truth.defect;
    expect(defect?.code).toBe('shape-change');
    expect(defect?.value).toBe(1.6);
    const lastFrameS = (clip.truth.frameCount - 1) / FPS;
    expect(defect?.atS).toBeCloseTo(Math.round((lastFrameS / 3) * FPS) / FPS, 12);
    expect(clip.truth.objects[0]?.frames).toEqual(ideal.truth.objects[0]?.frames);
    expect(shapeAxisRatio(0, defect!.atS, defect!)).toBe(1);
    expect(shapeAxisRatio(0, defect!.atS + SHAPE_MORPH_S / 2, defect!)).toBeCloseTo(1.3, 12);
    expect(shapeAxisRatio(0, defect!.atS + SHAPE_MORPH_S + 0.1, defect!)).toBe(1.6);
    expect(shapeAxisRatio(1, defect!.atS + 1, defect!)).toBe(1);

    const frames = [...clip.frames()];
    const idealFrames = [...ideal.frames()];
    // A frame of a clip whose ball is hidden is the background (static: no noise, no watermark).
    const hidden = prepareClip(bounce, { ...TINY, defect: { code: 'vanish', value: 0.3 } });
    const bg = [...hidden.frames()][Math.round(hidden.truth.defect!.atS * FPS)]!;
    const k = clip.truth.frameCount - 1;
    const squashed = extent(frames[k]!, bg, 320);
    const round = extent(idealFrames[k]!, bg, 320);
    const radiusPx = clip.truth.objects[0]!.frames[k]![3];
    expect(squashed.widthPx / squashed.heightPx).toBeCloseTo(1.6, 0);
    expect(Math.abs(squashed.widthPx - 2 * radiusPx * Math.sqrt(1.6))).toBeLessThanOrEqual(2);
    expect(Math.abs(squashed.heightPx - (2 * radiusPx) / Math.sqrt(1.6))).toBeLessThanOrEqual(2);
    expect(Math.abs(squashed.count / round.count - 1)).toBeLessThan(0.05);
    // Before the defect starts the frames are those of the exact clip.
    const before = Math.round(defect!.atS * FPS);
    expect(frames[before]).toEqual(idealFrames[before]);
  });

  it('refuses a clip too short for the morph and the frames that show the new outline', () => {
    try {
      prepareClip(bounce, { ...TINY, durationS: 0.4, defect: { code: 'shape-change' } });
      expect.unreachable();
    } catch (error) {
      expect(isSimError(error) && error.code === 'defect-not-applicable').toBe(true);
      expect((error as Error).message).toMatch(/shape-change needs 0.2 s of morph/);
    }
  });
});

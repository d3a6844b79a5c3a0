import { describe, expect, it } from 'vitest';
import { BackgroundModel } from '../../metrics/background.js';
import { createBlobWorkspace, detectBlobs, foregroundThreshold } from '../../metrics/detect-blobs.js';

const W = 160;
const H = 90;

/** Deterministic uniform noise in [-1, 1) (an LCG), so expected values are stable. */
function noiseSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** A textured background (a slow colour gradient plus a checker) with discs anti-aliased by 4×4 supersampling. */
function render(discs: Array<{ x: number; y: number; r: number; rgb: [number, number, number] }>, noise: () => number, amplitude: number): Uint8Array {
  const frame = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const checker = ((x >> 3) + (y >> 3)) % 2 === 0 ? 12 : -12;
      const bg = [90 + x * 0.3 + checker, 110 + y * 0.4, 100 - checker];
      let color = bg;
      for (const d of discs) {
        let inside = 0;
        for (let sy = 0; sy < 4; sy++) {
          for (let sx = 0; sx < 4; sx++) {
            const px = x - 0.5 + (sx + 0.5) / 4;
            const py = y - 0.5 + (sy + 0.5) / 4;
            if ((px - d.x) ** 2 + (py - d.y) ** 2 <= d.r * d.r) inside++;
          }
        }
        const a = inside / 16;
        color = color.map((c, k) => c * (1 - a) + (d.rgb[k] as number) * a);
      }
      for (let k = 0; k < 3; k++) frame[3 * (y * W + x) + k] = Math.max(0, Math.min(255, Math.round((color[k] as number) + amplitude * noise())));
    }
  }
  return frame;
}

describe('detectBlobs', () => {
  const noise = noiseSource(7);
  const background = BackgroundModel.fromFrames(Array.from({ length: 9 }, () => render([], noise, 3)));

  it('estimates the background noise', () => {
    // Uniform noise of ±3 rounded: σ ≈ 1.7.
    expect(background.noiseSigma).toBeGreaterThan(1);
    expect(background.noiseSigma).toBeLessThan(3);
  });

  it.each([
    { x: 50.37, y: 40.81, r: 10.3, rgb: [230, 40, 30] as [number, number, number] },
    { x: 100.5, y: 20.2, r: 6.6, rgb: [30, 60, 220] as [number, number, number] },
    { x: 120.9, y: 70.1, r: 4.2, rgb: [250, 250, 250] as [number, number, number] },
  ])('finds a disc of radius $r at ($x, $y) to sub-pixel accuracy', (disc) => {
    const frame = render([disc], noise, 3);
    const ws = createBlobWorkspace(W, H);
    const blobs = detectBlobs(frame, background.rgb, foregroundThreshold(background.noiseSigma), ws);
    expect(blobs).toHaveLength(1);
    const blob = blobs[0];
    if (blob === undefined) return;
    expect(Math.abs(blob.xPx - disc.x)).toBeLessThan(0.05);
    expect(Math.abs(blob.yPx - disc.y)).toBeLessThan(0.05);
    expect(Math.abs(blob.radiusPx / disc.r - 1)).toBeLessThan(0.01);
  });

  it('finds a ball of about 15 px centred on a row between the rows searched for seeds', () => {
    const disc = { x: 80.3, y: 55, r: 2.2, rgb: [230, 40, 30] as [number, number, number] };
    const blobs = detectBlobs(render([disc], noise, 3), background.rgb, foregroundThreshold(background.noiseSigma), createBlobWorkspace(W, H));
    expect(blobs).toHaveLength(1);
    // Two pixels of radius under ±3 noise: the centre to a tenth of a pixel, the radius to a tenth.
    expect(Math.abs((blobs[0]?.xPx ?? 0) - disc.x)).toBeLessThan(0.1);
    expect(Math.abs((blobs[0]?.yPx ?? 0) - disc.y)).toBeLessThan(0.1);
    expect(Math.abs((blobs[0]?.radiusPx ?? 0) / disc.r - 1)).toBeLessThan(0.1);
  });

  it('keeps a ball bitten by a patch that matches the background as a partial disc, measured but not covered: the background may learn it', () => {
    // A disc of radius 6 whose upper-left part (a disc of radius 3.5, 3.5 px off its centre) shows the
    // background: too little of its box filled for a ball, too much for noise or a thin shape.
    const disc = { x: 60.3, y: 45.2, r: 6, rgb: [230, 40, 30] as [number, number, number] };
    const frame = render([disc], noise, 3);
    const plain = render([], noise, 3);
    const biteX = disc.x - 3.5 / Math.SQRT2;
    const biteY = disc.y - 3.5 / Math.SQRT2;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if ((x - biteX) ** 2 + (y - biteY) ** 2 > 3.5 ** 2) continue;
        for (let k = 0; k < 3; k++) frame[3 * (y * W + x) + k] = plain[3 * (y * W + x) + k] as number;
      }
    }
    const ws = createBlobWorkspace(W, H);
    expect(detectBlobs(frame, background.rgb, foregroundThreshold(background.noiseSigma), ws)).toEqual([]);
    expect(ws.partials).toHaveLength(1);
    const partial = ws.partials[0];
    if (partial === undefined) return;
    // Its centroid leans towards the part seen (lower right), by under 1.5 px; its radius reads small.
    expect(partial.xPx - disc.x).toBeGreaterThan(0.3);
    expect(partial.yPx - disc.y).toBeGreaterThan(0.3);
    expect(Math.hypot(partial.xPx - disc.x, partial.yPx - disc.y)).toBeLessThan(1.5);
    expect(partial.radiusPx).toBeGreaterThan(0.7 * disc.r);
    expect(partial.radiusPx).toBeLessThan(0.9 * disc.r);
    expect(ws.covered.every((c) => c === 0)).toBe(true);
  });

  it('finds two discs and ignores a thin bar', () => {
    const frame = render(
      [
        { x: 30, y: 30, r: 8, rgb: [240, 200, 20] },
        { x: 110, y: 60, r: 9, rgb: [20, 200, 240] },
      ],
      noise,
      3,
    );
    for (let x = 60; x < 90; x++) for (let y = 10; y < 13; y++) frame.set([255, 255, 255], 3 * (y * W + x));
    const ws = createBlobWorkspace(W, H);
    const blobs = detectBlobs(frame, background.rgb, foregroundThreshold(background.noiseSigma), ws);
    expect(blobs.map((b) => [Math.round(b.xPx), Math.round(b.yPx)])).toEqual([
      [30, 30],
      [110, 60],
    ]);
  });

  it('gives the same result with a workspace reused from frame to frame as with a fresh one', () => {
    // The workspace's buffers (labels, coverage, window sums) carry the previous frame's regions: a
    // large disc, then two small ones elsewhere, then the large one again.
    const large = render([{ x: 50.37, y: 40.81, r: 10.3, rgb: [230, 40, 30] }], noise, 3);
    const small = render(
      [
        { x: 100.5, y: 20.2, r: 6.6, rgb: [30, 60, 220] },
        { x: 120.9, y: 70.1, r: 4.2, rgb: [250, 250, 250] },
      ],
      noise,
      3,
    );
    const threshold = foregroundThreshold(background.noiseSigma);
    const fresh = (frame: Uint8Array): { blobs: unknown; labels: Int32Array; covered: Uint8Array } => {
      const ws = createBlobWorkspace(W, H);
      return { blobs: detectBlobs(frame, background.rgb, threshold, ws), labels: ws.labels, covered: ws.covered };
    };
    const reused = createBlobWorkspace(W, H);
    for (const frame of [large, small, large]) {
      const blobs = detectBlobs(frame, background.rgb, threshold, reused);
      const expected = fresh(frame);
      expect(blobs).toEqual(expected.blobs);
      expect(reused.labels).toEqual(expected.labels);
      expect(reused.covered).toEqual(expected.covered);
    }
  });

  it('records a translucent white layer as an overlay box, not a blob, and a ball beside it as a blob', () => {
    const frame = render([{ x: 120, y: 45, r: 8, rgb: [240, 200, 20] }], noise, 3);
    // A watermark: 40% white over x 20-69, y 30-49.
    for (let y = 30; y < 50; y++) {
      for (let x = 20; x < 70; x++) {
        const p = 3 * (y * W + x);
        for (let k = 0; k < 3; k++) frame[p + k] = Math.round(0.6 * (frame[p + k] as number) + 0.4 * 255);
      }
    }
    const ws = createBlobWorkspace(W, H);
    const blobs = detectBlobs(frame, background.rgb, foregroundThreshold(background.noiseSigma), ws);
    expect(blobs.map((b) => [Math.round(b.xPx), Math.round(b.yPx)])).toEqual([[120, 45]]);
    expect(ws.overlays).toEqual([{ minX: 20, minY: 30, maxX: 69, maxY: 49 }]);
    detectBlobs(render([], noise, 3), background.rgb, foregroundThreshold(background.noiseSigma), ws);
    expect(ws.overlays).toEqual([]);
  });
});

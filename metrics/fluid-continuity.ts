import { fitLine, type StreamRow } from './fluid-profile.js';

/**
 * Relative widening of one frame's stream from its top to its bottom: a line w = a + b·y through its
 * row widths, read as (w(bottom) − w(top)) / w(top). A stream obeying continuity (w ∝ (v0² + 2gh)^(−1/4))
 * gives a negative value; null with fewer than `minRows` rows or a line that reaches zero width.
 */
export function streamWidening(rows: readonly StreamRow[], minRows: number): number | null {
  if (rows.length < minRows) return null;
  const fit = fitLine(
    rows.map((r) => r.yPx),
    rows.map((r) => r.widthPx),
  );
  const topY = rows[0]!.yPx;
  const bottomY = rows[rows.length - 1]!.yPx;
  const topWidth = fit.intercept + fit.slope * topY;
  if (!(topWidth > 0)) return null;
  return (fit.slope * (bottomY - topY)) / topWidth;
}

/** The continuity model fitted to a stream's width profile: w(h) = w0 · (1 + h / hv)^(−1/4), hv = v0² / 2g. */
export interface ContinuityFit {
  /** Width at the top of the stream, px. */
  topWidthPx: number;
  /** Velocity head at the top, v0² / 2g, px (the fit's only shape parameter). */
  velocityHeadPx: number;
  /** Root-mean-square residual of the widths, px. */
  rmsPx: number;
  /** The model's width ratio bottom / top over the stream's length. */
  modelRatio: number;
}

/**
 * Fits the continuity law (mass flux A·v constant with v² = v0² + 2gh, so w ∝ (v0² + 2gh)^(−1/4)) to
 * widths at drops `dropPx` below the stream's top: a search over hv on a log grid, w0 in closed form
 * (least squares). Null with fewer than 3 points or no drop.
 */
export function fitContinuity(dropPx: readonly number[], widthPx: readonly number[]): ContinuityFit | null {
  const n = dropPx.length;
  const lengthPx = Math.max(...dropPx);
  if (n < 3 || !(lengthPx > 0)) return null;
  let best: ContinuityFit | null = null;
  // hv from a hundredth of the stream's length (a stream released from rest) to a hundred lengths (a fast jet).
  for (let k = 0; k <= 80; k++) {
    const hv = lengthPx * 10 ** (-2 + k / 20);
    let sff = 0;
    let swf = 0;
    for (let i = 0; i < n; i++) {
      const f = (1 + dropPx[i]! / hv) ** -0.25;
      sff += f * f;
      swf += widthPx[i]! * f;
    }
    const w0 = swf / sff;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (widthPx[i]! - w0 * (1 + dropPx[i]! / hv) ** -0.25) ** 2;
    const rmsPx = Math.sqrt(ss / n);
    if (best === null || rmsPx < best.rmsPx) best = { topWidthPx: w0, velocityHeadPx: hv, rmsPx, modelRatio: (1 + lengthPx / hv) ** -0.25 };
  }
  return best;
}

import type { FittedArc } from './trajectory-types.js';

/** One observed centre of an object, in any consistent pixel unit. */
export interface ArcPoint {
  timeS: number;
  xPx: number;
  yPx: number;
}

export interface FitArcOptions {
  /** A point whose residual exceeds this many robust standard deviations is dropped and the fit redone. */
  outlierSigma: number;
  /** Residuals below this are never outliers, however small the robust spread (sub-pixel fits are common). */
  outlierFloorPx: number;
  /** At most this share of the points may be dropped as outliers. */
  maxOutlierShare: number;
}

export const FIT_ARC_DEFAULTS: FitArcOptions = { outlierSigma: 3, outlierFloorPx: 1, maxOutlierShare: 0.2 };

/** Fewer than 4 points leave no degree of freedom for the residual variance, so no standard error. */
export const MIN_ARC_POINTS = 4;

export type FitArcResult =
  | { status: 'ok'; arc: FittedArc; outlierIndices: number[] }
  | { status: 'too-few-points'; points: number }
  | { status: 'degenerate'; reason: string };

interface Solved {
  tRefS: number;
  y0Px: number;
  vyPxS: number;
  halfGPxS2: number;
  x0Px: number;
  vxPxS: number;
  /** (AᵀA)⁻¹ entry for the τ² coefficient, used for its standard error. */
  inverseC22: number;
}

/**
 * Least squares on centred time τ = t − mean(t): y = y0 + vy·τ + ½g·τ², x = x0 + vx·τ.
 * Normal equations solved in closed form (Cramer's rule); centring makes Στ = 0 and keeps them well
 * conditioned. Returns null when the times do not span three distinct instants.
 */
function solveArc(points: readonly ArcPoint[]): Solved | null {
  const n = points.length;
  let tSum = 0;
  for (const p of points) tSum += p.timeS;
  const tRefS = tSum / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let sy = 0;
  let sty = 0;
  let st2y = 0;
  let sx = 0;
  let stx = 0;
  for (const p of points) {
    const tau = p.timeS - tRefS;
    const tau2 = tau * tau;
    s2 += tau2;
    s3 += tau2 * tau;
    s4 += tau2 * tau2;
    sy += p.yPx;
    sty += tau * p.yPx;
    st2y += tau2 * p.yPx;
    sx += p.xPx;
    stx += tau * p.xPx;
  }
  // Normal matrix [[n, 0, s2], [0, s2, s3], [s2, s3, s4]] (Στ = 0 after centring).
  const det = n * (s2 * s4 - s3 * s3) - s2 * s2 * s2;
  if (!(s2 > 0) || !(Math.abs(det) > 1e-12 * n * s2 * s4)) return null;
  const a = (sy * (s2 * s4 - s3 * s3) + s2 * (sty * s3 - s2 * st2y)) / det;
  const b = (n * (sty * s4 - s3 * st2y) + sy * s2 * s3 - s2 * s2 * sty) / det;
  const c = (n * (s2 * st2y - s3 * sty) - sy * s2 * s2) / det;
  return {
    tRefS,
    y0Px: a,
    vyPxS: b,
    halfGPxS2: c,
    x0Px: sx / n,
    vxPxS: stx / s2,
    inverseC22: (n * s2) / det,
  };
}

function residualPx(s: Solved, p: ArcPoint): { dx: number; dy: number } {
  const tau = p.timeS - s.tRefS;
  return {
    dx: p.xPx - (s.x0Px + s.vxPxS * tau),
    dy: p.yPx - (s.y0Px + s.vyPxS * tau + s.halfGPxS2 * tau * tau),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Fits a free-flight arc (constant vertical acceleration, constant horizontal speed) to points by
 * ordinary least squares on centred time, dropping the worst point while its residual exceeds
 * `outlierSigma` robust standard deviations (1.4826 × median absolute residual, the MAD estimate).
 * g's standard error is 2·sqrt(σ²·(AᵀA)⁻¹[2][2]) with σ² = RSS_y / (n − 3).
 * Example: points of y = 5·t² sampled at 30 fps for 1 s give gPxS2 = 10, gStdErrPxS2 ≈ 0.
 */
export function fitArc(points: readonly ArcPoint[], options: FitArcOptions = FIT_ARC_DEFAULTS): FitArcResult {
  if (points.length < MIN_ARC_POINTS) return { status: 'too-few-points', points: points.length };
  let kept = points.map((_, index) => index);
  const maxDropped = Math.floor(points.length * options.maxOutlierShare);
  const dropped: number[] = [];
  for (;;) {
    const subset = kept.map((i) => points[i] as ArcPoint);
    const solved = solveArc(subset);
    if (solved === null) return { status: 'degenerate', reason: 'the points do not span three distinct times' };
    const residuals = subset.map((p) => residualPx(solved, p));
    const magnitudes = residuals.map((r) => Math.hypot(r.dx, r.dy));
    const robustSigmaPx = 1.4826 * median(magnitudes);
    let worst = -1;
    let worstPx = Math.max(options.outlierSigma * robustSigmaPx, options.outlierFloorPx);
    magnitudes.forEach((m, i) => {
      if (m > worstPx) {
        worstPx = m;
        worst = i;
      }
    });
    if (worst >= 0 && dropped.length < maxDropped && kept.length - 1 >= MIN_ARC_POINTS) {
      dropped.push(kept[worst] as number);
      kept = kept.filter((_, i) => i !== worst);
      continue;
    }
    let rssY = 0;
    let rss = 0;
    for (const r of residuals) {
      rssY += r.dy * r.dy;
      rss += r.dx * r.dx + r.dy * r.dy;
    }
    const n = subset.length;
    const varianceY = rssY / (n - 3);
    const first = subset[0] as ArcPoint;
    const last = subset[n - 1] as ArcPoint;
    return {
      status: 'ok',
      outlierIndices: dropped.sort((p, q) => p - q),
      arc: {
        startS: first.timeS,
        endS: last.timeS,
        tRefS: solved.tRefS,
        x0Px: solved.x0Px,
        vxPxS: solved.vxPxS,
        y0Px: solved.y0Px,
        vyPxS: solved.vyPxS,
        gPxS2: 2 * solved.halfGPxS2,
        gStdErrPxS2: 2 * Math.sqrt(Math.max(0, varianceY * solved.inverseC22)),
        rmsPx: Math.sqrt(rss / n),
        points: n,
      },
    };
  }
}

/** Position of the arc at time t: x = x0 + vx·τ, y = y0 + vy·τ + ½gτ². */
export function arcPositionPx(arc: FittedArc, timeS: number): { xPx: number; yPx: number } {
  const tau = timeS - arc.tRefS;
  return { xPx: arc.x0Px + arc.vxPxS * tau, yPx: arc.y0Px + arc.vyPxS * tau + 0.5 * arc.gPxS2 * tau * tau };
}

/** Velocity of the arc at time t: vx, vy + g·τ. */
export function arcVelocityPxS(arc: FittedArc, timeS: number): { vxPxS: number; vyPxS: number } {
  return { vxPxS: arc.vxPxS, vyPxS: arc.vyPxS + arc.gPxS2 * (timeS - arc.tRefS) };
}

import type { FittedArc } from './trajectory-types.js';

/** Standard errors of an arc's position and velocity at one instant, px and px/s. */
export interface ArcStateStdErr {
  xPx: number;
  yPx: number;
  vxPxS: number;
  vyPxS: number;
}

/** cᵀ·M⁻¹·c for a symmetric 3×3 matrix M (inverse by the adjugate); null when M is singular. */
function quadraticFormOfInverse3(m: readonly number[][], c: readonly number[]): number | null {
  const [a = 0, b = 0, d = 0] = m[0] ?? [];
  const [, e = 0, f = 0] = m[1] ?? [];
  const [, , i = 0] = m[2] ?? [];
  // M = [[a, b, d], [b, e, f], [d, f, i]]; adjugate entries of a symmetric matrix.
  const A = e * i - f * f;
  const B = d * f - b * i;
  const C = b * f - d * e;
  const E = a * i - d * d;
  const F = b * d - a * f;
  const I = a * e - b * b;
  const det = a * A + b * B + d * C;
  if (!(Math.abs(det) > 0)) return null;
  const [c0 = 0, c1 = 0, c2 = 0] = c;
  return (c0 * (A * c0 + B * c1 + C * c2) + c1 * (B * c0 + E * c1 + F * c2) + c2 * (C * c0 + F * c1 + I * c2)) / det;
}

/**
 * Standard errors of x, y, vx and vy of a fitted arc at `timeS`, from the ordinary least-squares
 * covariance σ²·(AᵀA)⁻¹ propagated to the linear combination c: var = σ²·cᵀ(AᵀA)⁻¹c, with c = [1, τ, τ²]
 * for y, [0, 1, 2τ] for vy, [1, τ] and [0, 1] for x and vx (τ = t − tRefS). σ² per coordinate is
 * pooled from the fit's RMS residual: n·rms² / (2n − 5) (x spends 2 parameters, y 3).
 * `sampleTimesS` are the instants the arc was fitted on. Null with fewer than 4 samples or a degenerate spread.
 * Example: 10 samples at 30 fps, rms 0.5 px → vx standard error ≈ 1.4 px/s mid-arc.
 */
export function arcStateStdErr(arc: FittedArc, sampleTimesS: readonly number[], timeS: number): ArcStateStdErr | null {
  const n = sampleTimesS.length;
  if (n < 4) return null;
  const sigma2 = (arc.points * arc.rmsPx * arc.rmsPx) / Math.max(1, 2 * arc.points - 5);
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (const t of sampleTimesS) {
    const tau = t - arc.tRefS;
    s1 += tau;
    s2 += tau * tau;
    s3 += tau * tau * tau;
    s4 += tau * tau * tau * tau;
  }
  const tau = timeS - arc.tRefS;
  const normal = [
    [n, s1, s2],
    [s1, s2, s3],
    [s2, s3, s4],
  ];
  const varY = quadraticFormOfInverse3(normal, [1, tau, tau * tau]);
  const varVy = quadraticFormOfInverse3(normal, [0, 1, 2 * tau]);
  // x: M = [[n, s1], [s1, s2]], M⁻¹ = [[s2, −s1], [−s1, n]] / det.
  const detX = n * s2 - s1 * s1;
  if (varY === null || varVy === null || !(detX > 0)) return null;
  const varX = (s2 - 2 * s1 * tau + n * tau * tau) / detX;
  const varVx = n / detX;
  const root = (v: number): number => Math.sqrt(Math.max(0, sigma2 * v));
  return { xPx: root(varX), yPx: root(varY), vxPxS: root(varVx), vyPxS: root(varVy) };
}

/**
 * The instants an arc was most likely fitted on when only the arc is kept: `points` samples evenly
 * spread over [startS, endS] (exact for a track seen in every frame with no outlier dropped).
 */
export function evenSampleTimesS(arc: FittedArc): number[] {
  if (arc.points < 2) return [arc.startS];
  return Array.from({ length: arc.points }, (_, i) => arc.startS + ((arc.endS - arc.startS) * i) / (arc.points - 1));
}

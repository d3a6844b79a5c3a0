import { arcPositionPx, arcVelocityPxS } from './fit-arc.js';
import type { FittedArc } from './trajectory-types.js';

/** Where and how two consecutive arcs of one object meet. */
export interface ArcJoin {
  /**
   * `bounce`: the arcs' heights meet while the vertical motion turns from down to up (floor or table).
   * `deflection`: any other meeting, where the time is that of the arcs' closest approach.
   */
  kind: 'bounce' | 'deflection';
  timeS: number;
  /** Distance between the two arcs' positions at `timeS`; near 0 when the motion is continuous. */
  gapPx: number;
  /** Velocities just before and after, px/s (y down). */
  vxInPxS: number;
  vyInPxS: number;
  vxOutPxS: number;
  vyOutPxS: number;
  /** Change of the velocity vector across the join, px/s. */
  deltaVPxS: number;
}

/**
 * Real roots of a·t² + b·t + c = 0 (the numerically stable form q = −½(b + sign(b)·√Δ), roots q/a
 * and c/q, Numerical Recipes §5.6).
 */
export function quadraticRoots(a: number, b: number, c: number): number[] {
  if (a === 0) return b === 0 ? [] : [-c / b];
  const discriminant = b * b - 4 * a * c;
  if (discriminant < 0) return [];
  const q = -0.5 * (b + (b >= 0 ? 1 : -1) * Math.sqrt(discriminant));
  return q === 0 ? [0] : [q / a, c / q];
}

/** Times in [loS, hiS] where the two arcs are at the same height: the roots of yIn(t) − yOut(t). */
function heightCrossingsS(arcIn: FittedArc, arcOut: FittedArc, loS: number, hiS: number): number[] {
  // Expand both parabolas around t0 = loS so the difference is a quadratic in u = t − loS.
  const pIn = arcPositionPx(arcIn, loS);
  const pOut = arcPositionPx(arcOut, loS);
  const vIn = arcVelocityPxS(arcIn, loS);
  const vOut = arcVelocityPxS(arcOut, loS);
  const roots = quadraticRoots(0.5 * (arcIn.gPxS2 - arcOut.gPxS2), vIn.vyPxS - vOut.vyPxS, pIn.yPx - pOut.yPx);
  return roots.map((u) => loS + u).filter((t) => t >= loS && t <= hiS);
}

function distancePx(arcIn: FittedArc, arcOut: FittedArc, timeS: number): number {
  const a = arcPositionPx(arcIn, timeS);
  const b = arcPositionPx(arcOut, timeS);
  return Math.hypot(a.xPx - b.xPx, a.yPx - b.yPx);
}

/** Time of closest approach of the two arcs in [loS, hiS]: a coarse scan, then golden-section search. */
function closestApproachS(arcIn: FittedArc, arcOut: FittedArc, loS: number, hiS: number): number {
  const steps = 32;
  let bestS = loS;
  let bestPx = Infinity;
  for (let i = 0; i <= steps; i++) {
    const t = loS + ((hiS - loS) * i) / steps;
    const d = distancePx(arcIn, arcOut, t);
    if (d < bestPx) {
      bestPx = d;
      bestS = t;
    }
  }
  const stepS = (hiS - loS) / steps;
  let a = Math.max(loS, bestS - stepS);
  let b = Math.min(hiS, bestS + stepS);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40 && b - a > 1e-7; i++) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (distancePx(arcIn, arcOut, c) < distancePx(arcIn, arcOut, d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

/**
 * Finds when two consecutive arcs meet, between the last frame of the first and the first frame of
 * the second (widened by `marginS` on each side, for outlier frames dropped at the ends). A bounce's
 * time is where the fitted heights meet, which is sub-frame (about 1 ms error against 8 to 10 ms for
 * the nearest frame, in a Monte-Carlo study of synthetic bounces).
 */
export function joinArcs(arcIn: FittedArc, arcOut: FittedArc, marginS: number): ArcJoin {
  const loS = arcIn.endS - marginS;
  const hiS = Math.max(arcOut.startS + marginS, loS);
  const midS = (arcIn.endS + arcOut.startS) / 2;
  const bounceTimes = heightCrossingsS(arcIn, arcOut, loS, hiS).filter(
    (t) => arcVelocityPxS(arcIn, t).vyPxS > 0 && arcVelocityPxS(arcOut, t).vyPxS < 0,
  );
  bounceTimes.sort((p, q) => Math.abs(p - midS) - Math.abs(q - midS));
  const bounceS = bounceTimes[0];
  const kind = bounceS === undefined ? 'deflection' : 'bounce';
  const timeS = bounceS ?? closestApproachS(arcIn, arcOut, loS, hiS);
  const vIn = arcVelocityPxS(arcIn, timeS);
  const vOut = arcVelocityPxS(arcOut, timeS);
  return {
    kind,
    timeS,
    gapPx: distancePx(arcIn, arcOut, timeS),
    vxInPxS: vIn.vxPxS,
    vyInPxS: vIn.vyPxS,
    vxOutPxS: vOut.vxPxS,
    vyOutPxS: vOut.vyPxS,
    deltaVPxS: Math.hypot(vOut.vxPxS - vIn.vxPxS, vOut.vyPxS - vIn.vyPxS),
  };
}

/**
 * Coefficient of restitution (Newton's experimental law, e = |v_out·n| / |v_in·n|). For a bounce n is
 * vertical, e = |vy out| / |vy in|. For a deflection n is the direction of the velocity change (the
 * impulse, along the contact normal when friction is negligible); against another moving ball this is
 * the apparent value for this ball alone. Null when the incoming normal speed is 0.
 */
export function restitution(join: ArcJoin): number | null {
  if (join.kind === 'bounce') return join.vyInPxS === 0 ? null : Math.abs(join.vyOutPxS) / Math.abs(join.vyInPxS);
  const nx = join.vxOutPxS - join.vxInPxS;
  const ny = join.vyOutPxS - join.vyInPxS;
  const normalIn = join.vxInPxS * nx + join.vyInPxS * ny;
  const normalOut = join.vxOutPxS * nx + join.vyOutPxS * ny;
  return normalIn === 0 ? null : Math.abs(normalOut) / Math.abs(normalIn);
}

import type { ArcView } from '../metric-values.js';

/** Samples per second of arc: a smooth curve at the report's chart width, small in the HTML. */
const SAMPLES_PER_S = 60;
const MIN_SAMPLES = 8;
const MAX_SAMPLES = 240;

/** Position on a fitted free-flight arc: x = x0 + vx·τ, y = y0 + vy·τ + ½·g·τ², τ = t − tRef. */
export function arcPositionAt(arc: ArcView, timeS: number): { xPx: number; yPx: number } {
  const tauS = timeS - arc.tRefS;
  return { xPx: arc.x0Px + arc.vxPxS * tauS, yPx: arc.y0Px + arc.vyPxS * tauS + 0.5 * arc.gPxS2 * tauS * tauS };
}

/** Evenly spaced points from the arc's start to its end, both included. */
export function sampleArc(arc: ArcView): Array<{ tS: number; xPx: number; yPx: number }> {
  const spanS = arc.endS - arc.startS;
  const count = Math.min(MAX_SAMPLES, Math.max(MIN_SAMPLES, Math.ceil(spanS * SAMPLES_PER_S) + 1));
  const samples: Array<{ tS: number; xPx: number; yPx: number }> = [];
  for (let i = 0; i < count; i += 1) {
    const tS = arc.startS + (spanS * i) / (count - 1);
    samples.push({ tS, ...arcPositionAt(arc, tS) });
  }
  return samples;
}

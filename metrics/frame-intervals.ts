import { median } from './robust-stats.js';

export interface FrameIntervalStats {
  meanMs: number;
  stdMs: number;
  maxMs: number;
  minMs: number;
  medianMs: number;
  /** Largest |interval − median| / median; 0 with fewer than two intervals. */
  worstDeviation: number;
  /** Index of the frame that ends the most irregular interval; null with fewer than two frames. */
  worstFrame: number | null;
}

/** Statistics of the intervals between consecutive frame timestamps (population standard deviation). */
export function frameIntervalStats(timesS: readonly number[]): FrameIntervalStats {
  const intervalsMs: number[] = [];
  for (let i = 1; i < timesS.length; i++) intervalsMs.push((timesS[i]! - timesS[i - 1]!) * 1000);
  if (intervalsMs.length === 0) return { meanMs: 0, stdMs: 0, maxMs: 0, minMs: 0, medianMs: 0, worstDeviation: 0, worstFrame: null };
  const meanMs = intervalsMs.reduce((a, b) => a + b, 0) / intervalsMs.length;
  const stdMs = Math.sqrt(intervalsMs.reduce((sum, d) => sum + (d - meanMs) ** 2, 0) / intervalsMs.length);
  const medianMs = median(intervalsMs);
  let worstDeviation = 0;
  let worstFrame = 1;
  intervalsMs.forEach((d, i) => {
    const deviation = medianMs > 0 ? Math.abs(d - medianMs) / medianMs : 0;
    if (deviation > worstDeviation) {
      worstDeviation = deviation;
      worstFrame = i + 1;
    }
  });
  return { meanMs, stdMs, maxMs: Math.max(...intervalsMs), minMs: Math.min(...intervalsMs), medianMs, worstDeviation, worstFrame };
}

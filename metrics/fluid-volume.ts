import { fitLine } from './fluid-profile.js';

/** Limits of the volume-conservation checks, as fractions of the clip's peak volume. */
export interface VolumeCheckOptions {
  /** A fall below the volume reached so far by more than this fraction drains liquid away. */
  maxDrainFraction: number;
  /** A rise within `jumpWindowFrames` by more than this fraction is a jump... */
  maxJumpFraction: number;
  /** ...unless it is under this many times the typical rise while the stream pours. */
  jumpOverInflow: number;
  jumpWindowFrames: number;
  /** Rises while no stream enters (beyond `inflowLagS` after one) adding up to more than this fraction come from nowhere. */
  maxUnexplainedFraction: number;
  inflowLagS: number;
}

export interface VolumeEvent {
  kind: 'drain' | 'jump' | 'no-source';
  atS: number;
  /** Size of the change as a fraction of the peak volume. */
  fraction: number;
}

/** Median of each value and its `halfWidth` neighbours on each side (clipped at the ends): steps survive, single-frame noise does not. */
export function medianFilter(values: readonly number[], halfWidth: number): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - halfWidth), i + halfWidth + 1).sort((a, b) => a - b);
    return window[window.length >> 1]!;
  });
}

/**
 * Volume conservation over a clip: the liquid in the container may only grow while the stream pours
 * into it, at about the rate it pours, and never shrink. `volume` per frame (0 where there is no
 * pool), `inflow` true on frames where a stream reaches the surface.
 */
export function volumeEvents(timesS: readonly number[], volume: readonly number[], inflow: readonly boolean[], options: VolumeCheckOptions): { events: VolumeEvent[]; peak: number } {
  const smooth = medianFilter(volume, 2);
  const peak = Math.max(0, ...smooth);
  const events: VolumeEvent[] = [];
  if (!(peak > 0)) return { events, peak };

  let runningMax = 0;
  let worstDrain = { fraction: 0, atS: 0 };
  smooth.forEach((v, i) => {
    runningMax = Math.max(runningMax, v);
    const fraction = (runningMax - v) / peak;
    if (fraction > worstDrain.fraction) worstDrain = { fraction, atS: timesS[i]! };
  });
  if (worstDrain.fraction > options.maxDrainFraction) events.push({ kind: 'drain', atS: firstTimeAbove(smooth, timesS, peak, options.maxDrainFraction), fraction: worstDrain.fraction });

  const k = options.jumpWindowFrames;
  const inflowRises: number[] = [];
  for (let i = k; i < smooth.length; i++) if (inflow[i] === true && inflow[i - k] === true) inflowRises.push(smooth[i]! - smooth[i - k]!);
  inflowRises.sort((a, b) => a - b);
  const typicalRise = Math.max(0, inflowRises[inflowRises.length >> 1] ?? 0);
  let worstJump = { fraction: 0, atS: 0 };
  for (let i = k; i < smooth.length; i++) {
    const rise = smooth[i]! - smooth[i - k]!;
    if (rise > options.jumpOverInflow * typicalRise && rise / peak > worstJump.fraction) worstJump = { fraction: rise / peak, atS: timesS[i - k + 1]! };
  }
  if (worstJump.fraction > options.maxJumpFraction) events.push({ kind: 'jump', atS: worstJump.atS, fraction: worstJump.fraction });

  const fed = fedFrames(timesS, inflow, options.inflowLagS);
  let unexplained = 0;
  let firstUnexplainedS: number | null = null;
  for (let i = 1; i < smooth.length; i++) {
    const rise = smooth[i]! - smooth[i - 1]!;
    if (rise > 0 && !fed[i]) {
      unexplained += rise;
      firstUnexplainedS ??= timesS[i]!;
    }
  }
  if (unexplained / peak > options.maxUnexplainedFraction && firstUnexplainedS !== null) events.push({ kind: 'no-source', atS: firstUnexplainedS, fraction: unexplained / peak });
  return { events, peak };
}

function firstTimeAbove(smooth: readonly number[], timesS: readonly number[], peak: number, drainFraction: number): number {
  let runningMax = 0;
  for (let i = 0; i < smooth.length; i++) {
    runningMax = Math.max(runningMax, smooth[i]!);
    if ((runningMax - smooth[i]!) / peak > drainFraction) return timesS[i]!;
  }
  return timesS[timesS.length - 1] ?? 0;
}

/** Frames during a pour or up to `lagS` after one (liquid still falling in, the surface still settling). */
export function fedFrames(timesS: readonly number[], inflow: readonly boolean[], lagS: number): boolean[] {
  let lastInflowS = -Infinity;
  return timesS.map((t, i) => {
    if (inflow[i] === true) lastInflowS = t;
    return t - lastInflowS <= lagS;
  });
}

/** Least-squares slope of volume over the frames where the stream pours, per second; null with fewer than 3 such frames. */
export function fillRatePerS(timesS: readonly number[], volume: readonly number[], inflow: readonly boolean[]): number | null {
  const ts: number[] = [];
  const vs: number[] = [];
  timesS.forEach((t, i) => {
    if (inflow[i] === true) {
      ts.push(t);
      vs.push(volume[i]!);
    }
  });
  if (ts.length < 3) return null;
  return fitLine(ts, vs).slope;
}

import { fitLine } from './fluid-profile.js';

/** Limits of the volume-conservation checks, as fractions of the clip's peak volume. */
export interface VolumeCheckOptions {
  /** A change within `stepWindowFrames` by more than this fraction is a step (liquid appearing or vanishing at once)... */
  maxStepFraction: number;
  /** ...unless it is under this many times the typical rise over as many frames while the stream pours. */
  stepOverInflow: number;
  stepWindowFrames: number;
  /** Steps, drains and rises smaller than this volume are noise whatever the peak (the volume of a level change of a pixel or two, which compression makes). */
  minChange: number;
  /** A step or a drain must hold for this many frames (something passing in front of the container does not). */
  persistFrames: number;
  /** Leaving steps aside, a fall below the volume reached so far by more than this fraction drains liquid away. */
  maxDrainFraction: number;
  /** Leaving steps aside, rises while no stream enters (beyond `inflowLagS` after one) adding up to more than this fraction come from nowhere. */
  maxUnexplainedFraction: number;
  inflowLagS: number;
}

export interface VolumeEvent {
  /** step-up / step-down: at once; drain: gradually; no-source: rising while nothing pours in. */
  kind: 'step-up' | 'step-down' | 'drain' | 'no-source';
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
 * pool), `inflow` true on frames where a stream reaches the surface. Steps are found first (a change
 * over `stepWindowFrames` frames far beyond what the stream pours in that time); the drain and the
 * rises without a source are then judged on the volume with the steps taken out.
 */
export function volumeEvents(timesS: readonly number[], volume: readonly number[], inflow: readonly boolean[], options: VolumeCheckOptions): { events: VolumeEvent[]; peak: number } {
  // A running median over the persistence window on each side: a dip shorter than it (something passing
  // in front of the container) is gone, a step's edge stays where it is.
  const smooth = medianFilter(volume, options.persistFrames);
  const peak = Math.max(0, ...smooth);
  const events: VolumeEvent[] = [];
  if (!(peak > 0)) return { events, peak };

  const k = options.stepWindowFrames;
  const inflowRises: number[] = [];
  // While the stream pours into liquid already there (before, it only wets the bottom).
  for (let i = k; i < smooth.length; i++) if (inflow[i] === true && inflow[i - k] === true && smooth[i - k]! > 0) inflowRises.push(smooth[i]! - smooth[i - k]!);
  inflowRises.sort((a, b) => a - b);
  const typicalRise = Math.max(0, inflowRises[inflowRises.length >> 1] ?? 0);
  const limit = Math.max(options.maxStepFraction * peak, options.stepOverInflow * typicalRise, options.minChange);
  // Without its steps: each step's change is taken out of everything after it.
  const stepless = [...smooth];
  let removed = 0;
  for (let i = k; i < smooth.length; ) {
    const change = smooth[i]! - smooth[i - k]!;
    if (Math.abs(change) <= limit) {
      stepless[i] = smooth[i]! - removed;
      i++;
      continue;
    }
    // Grow the window while single frames still change steeply, then record the step once.
    let end = i;
    while (end + 1 < smooth.length && Math.abs(smooth[end + 1]! - smooth[end]!) > limit / k) end++;
    const total = smooth[end]! - smooth[i - k]!;
    // A step holds: the frames after it stay nearer the new volume than the old one.
    const after = smooth.slice(end + 1, end + 1 + options.persistFrames);
    const holds = after.length === options.persistFrames && after.every((v) => Math.abs(v - smooth[end]!) < Math.abs(total) / 2);
    if (!holds) {
      stepless[i] = smooth[i]! - removed;
      i++;
      continue;
    }
    events.push({ kind: total > 0 ? 'step-up' : 'step-down', atS: timesS[firstChange(smooth, i - k, end)]!, fraction: Math.abs(total) / peak });
    removed += total;
    for (let j = i; j <= end; j++) stepless[j] = smooth[i - k]! - (removed - total);
    // The next windows still hold this step: judge again only past them.
    for (let j = end + 1; j < Math.min(smooth.length, end + k); j++) stepless[j] = smooth[j]! - removed;
    i = end + k;
  }
  for (let i = 0; i < Math.min(k, stepless.length); i++) stepless[i] = smooth[i]!;

  let runningMax = 0;
  let worstDrain = { fraction: 0, atS: 0 };
  stepless.forEach((v, i) => {
    runningMax = Math.max(runningMax, v);
    const fraction = (runningMax - v) / peak;
    if (fraction > worstDrain.fraction) worstDrain = { fraction, atS: timesS[i]! };
  });
  if (worstDrain.fraction > options.maxDrainFraction && worstDrain.fraction * peak > options.minChange) {
    const startS = timesS[stepless.findIndex((v, i) => (Math.max(...stepless.slice(0, i + 1)) - v) / peak > options.maxDrainFraction / 4)] ?? worstDrain.atS;
    events.push({ kind: 'drain', atS: startS, fraction: worstDrain.fraction });
  }

  const fed = fedFrames(timesS, inflow, options.inflowLagS);
  let unexplained = 0;
  let firstUnexplainedS: number | null = null;
  for (let i = 0; i < stepless.length; ) {
    if (fed[i] === true) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < stepless.length && fed[end + 1] !== true) end++;
    const rise = stepless[end]! - stepless[i]!;
    if (rise > 0) {
      unexplained += rise;
      firstUnexplainedS ??= timesS[i]!;
    }
    i = end + 1;
  }
  if (unexplained / peak > options.maxUnexplainedFraction && unexplained > options.minChange && firstUnexplainedS !== null) events.push({ kind: 'no-source', atS: firstUnexplainedS, fraction: unexplained / peak });
  return { events, peak };
}

/** The first frame after `from` whose value differs from it by a tenth of the change to `to`. */
function firstChange(values: readonly number[], from: number, to: number): number {
  const total = values[to]! - values[from]!;
  for (let i = from + 1; i <= to; i++) if (Math.abs(values[i]! - values[from]!) >= 0.1 * Math.abs(total)) return i;
  return to;
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

/**
 * Whether the container fills at the rate the stream delivers, comparing the two halves of the pour:
 * the fill-rate ratio (least-squares slopes of the volume) over the delivery ratio. A round stream at a
 * fixed drop moves at a fixed speed, so what it delivers goes as its width squared (Q = v·πw²/4).
 * Only frames holding more than `minVolume` count (a pool just forming over the bottom reads poorly).
 * 1 when the container keeps up with the stream; null with fewer than 6 frames per half or no fill.
 */
export function fillToDeliveryRatio(timesS: readonly number[], volume: readonly number[], streamWidthPx: ReadonlyArray<number | null>, minVolume: number): number | null {
  const frames = timesS.flatMap((_, i) => (streamWidthPx[i] !== null && streamWidthPx[i] !== undefined && volume[i]! > minVolume ? [i] : []));
  if (frames.length < 12) return null;
  const half = frames.length >> 1;
  const parts = [frames.slice(0, half), frames.slice(half)];
  const rates = parts.map((part) => fitLine(part.map((i) => timesS[i]!), part.map((i) => volume[i]!)).slope);
  const deliveries = parts.map((part) => part.reduce((sum, i) => sum + streamWidthPx[i]! ** 2, 0) / part.length);
  if (!(rates[0]! > 0) || !(deliveries[0]! > 0) || !(deliveries[1]! > 0)) return null;
  return rates[1]! / rates[0]! / (deliveries[1]! / deliveries[0]!);
}

import { inverseVarianceMean } from './analyze-track.js';
import { arcPositionPx, FIT_ARC_DEFAULTS, fitArc, type ArcPoint, type FitArcResult } from './fit-arc.js';
import type { FittedArc } from './trajectory-types.js';
import { lowerRankQuantile } from './robust-stats.js';
import { predictPx, type TrackPoint } from './tracker.js';

/** A liquid-coloured speck above the free surface, analysis px (membership-weighted centre). */
export interface Speck {
  xPx: number;
  yPx: number;
  areaPx: number;
}

/** The specks of one frame, and the row of the surface's highest point they lie above. */
export interface SpeckFrame {
  frameIndex: number;
  timeS: number;
  surfacePx: number;
  specks: Speck[];
}

/** How droplet arcs are searched for, in one place (analysis px, frames, counts). */
export const DROPLET_SEARCH = {
  /** A candidate arc is followed out from its seed until it misses this many frames in a row (the droplet landed, or left the view). */
  maxMissedFrames: 3,
  /** A speck found within this of itself in every frame from `stillFrames` before to `stillFrames` after is part of the scene (a wall's edge, a compression artefact), px... */
  stillPx: 1,
  /** ...frames (a droplet at its apex still drops g·Δt²/2 a frame: 2.4 px over two frames at 60 fps in a 640 px view of a glass). */
  stillFrames: 2,
  /** A speck lies on a candidate arc when within this of where the arc puts it, px (compression moves a small speck's centre by up to 2 px). */
  gatePx: 2,
  /** A candidate arc is seeded by three specks in frames at most this many frames apart (compression drops a small speck now and then). */
  maxSeedStepFrames: 2,
  /** The seed's specks must lie this far apart, px: a speck that stays put is no flight. */
  minSeedTravelPx: 3,
  /** An arc is kept with at least this many specks on it (two degrees of freedom beyond the parabola's three, and one outlier may go)... */
  minPoints: 5,
  /** ...rising or falling at least this much, px... */
  minRisePx: 3,
  /** ...explained by the fitted parabola to this RMS, px... */
  maxRmsPx: 1,
  /** ...and bent by gravity beyond this many standard errors of its g (the trajectory's test of free flight: specks of noise lined up by chance bend little). */
  minGravitySigmas: 5,
  /** Arcs whose g is further than this share from the median arc's are left out of the droplets' g (see `agreeingArcs`). */
  maxGravitySpread: 0.25,
} as const;

/** What the droplets' flights say about gravity, analysis px. */
export interface DropletFlights {
  /** The droplet arcs found, each fitted by least squares (fit-arc), that agree on g (see `agreeingArcs`)... */
  arcs: FittedArc[];
  /** ...and how many others were found and left out. */
  leftOut: number;
  /** Random-effects mean of the arcs' g and its standard error, px/s²; null without an arc. */
  gravityPxS2: number | null;
  gravityStdErrPxS2: number | null;
}

interface Candidate {
  /** Per frame index into `frames`, the index of the speck on the arc (or -1). */
  specks: Int32Array;
  count: number;
  /** The least-squares arc through those specks, once there are enough of them. */
  fit: FitArcResult | null;
}

/** The speck nearest to (x, y) in frame f among those not used, within the gate; -1 for none. */
function nearestSpeck(frame: SpeckFrame, used: Set<Speck>, xPx: number, yPx: number): number {
  let best = -1;
  let bestPx: number = DROPLET_SEARCH.gatePx;
  frame.specks.forEach((speck, i) => {
    if (used.has(speck)) return;
    const distancePx = Math.hypot(speck.xPx - xPx, speck.yPx - yPx);
    if (distancePx <= bestPx) {
      bestPx = distancePx;
      best = i;
    }
  });
  return best;
}

/**
 * The specks a path passes within the gate of, frame by frame out from frames [first, last] in both
 * directions while it stays above the surface, and the least-squares arc through them (fit-arc).
 */
function collect(frames: readonly SpeckFrame[], used: Set<Speck>, path: (timeS: number) => { xPx: number; yPx: number }, first: number, last: number): Candidate {
  const specks = new Int32Array(frames.length).fill(-1);
  const points: ArcPoint[] = [];
  let missed = 0;
  const visit = (f: number): boolean => {
    const frame = frames[f]!;
    const at = path(frame.timeS);
    if (!(at.yPx < frame.surfacePx)) return false;
    const i = nearestSpeck(frame, used, at.xPx, at.yPx);
    specks[f] = i;
    const speck = frame.specks[i];
    missed = speck === undefined ? missed + 1 : 0;
    if (speck !== undefined) points.push({ timeS: frame.timeS, xPx: speck.xPx, yPx: speck.yPx });
    return missed < DROPLET_SEARCH.maxMissedFrames;
  };
  for (let f = first; f <= last; f++) visit(f);
  missed = 0;
  for (let f = last + 1; f < frames.length && visit(f); f++);
  missed = 0;
  for (let f = first - 1; f >= 0 && visit(f); f--);
  points.sort((p, q) => p.timeS - q.timeS);
  return { specks, count: points.length, fit: points.length >= DROPLET_SEARCH.minPoints ? fitArc(points, FIT_ARC_DEFAULTS) : null };
}

/** Whether `a` explains more specks than `b`, or as many more closely. */
function better(a: Candidate, b: Candidate | null): boolean {
  if (b === null || a.count !== b.count) return b === null || a.count > b.count;
  const rms = (c: Candidate): number => (c.fit?.status === 'ok' ? c.fit.arc.rmsPx : Infinity);
  return rms(a) < rms(b);
}

/** The frames with the specks that stay put left out (see `stillPx`). */
export function withoutStillSpecks(frames: readonly SpeckFrame[]): SpeckFrame[] {
  const { stillPx, stillFrames } = DROPLET_SEARCH;
  const near = (f: number, speck: Speck): boolean => frames[f]!.specks.some((other) => Math.hypot(other.xPx - speck.xPx, other.yPx - speck.yPx) <= stillPx);
  return frames.map((frame, f) => {
    if (f < stillFrames || f + stillFrames >= frames.length) return frame;
    const still = (speck: Speck): boolean => {
      for (let k = f - stillFrames; k <= f + stillFrames; k++) if (k !== f && !near(k, speck)) return false;
      return true;
    };
    return { ...frame, specks: frame.specks.filter((speck) => !still(speck)) };
  });
}

/**
 * Whether an arc leaves the surface or falls back to it within `maxMissedFrames` of its first or last
 * speck: a splash droplet flies from the water and back (a speck of something else drifting above
 * the surface, lined up by chance, does not).
 */
function meetsSurface(frames: readonly SpeckFrame[], specks: Int32Array, arc: FittedArc): boolean {
  const first = specks.findIndex((i) => i >= 0);
  const last = specks.findLastIndex((i) => i >= 0);
  const below = (f: number): boolean => {
    const frame = frames[f];
    return frame !== undefined && arcPositionPx(arc, frame.timeS).yPx >= frame.surfacePx;
  };
  for (let k = 1; k <= DROPLET_SEARCH.maxMissedFrames; k++) if (below(first - k) || below(last + k)) return true;
  return false;
}

/**
 * Droplet arcs among the specks of a clip (those that stay put left out): every three specks in frames at most
 * `maxSeedStepFrames` apart that move, and bend downwards (nothing but gravity and drag act on a
 * droplet, and both pull it down while it rises, so its acceleration points down) seed a parabola;
 * the one passing most specks is fitted by least squares (fit-arc, its outliers dropped) and kept
 * when it is a droplet's flight (`minPoints`, `minRisePx`, `maxRmsPx`, `minGravitySigmas`, and it
 * meets the surface); its specks are used up and the search
 * goes on. A frame-to-frame tracker links a droplet to its neighbour when droplets leave one spot
 * together and compression drops a speck; the whole arc does not. g is combined over the arcs that
 * agree (`agreeingArcs`) by their random-effects mean (`randomEffectsMean`).
 */
export function findDropletArcs(allFrames: readonly SpeckFrame[]): DropletFlights {
  const s = DROPLET_SEARCH;
  const frames = withoutStillSpecks(allFrames);
  const used = new Set<Speck>();
  const arcs: FittedArc[] = [];
  const point = (f: number, speck: Speck): TrackPoint => ({ frameIndex: f, timeS: frames[f]!.timeS, xPx: speck.xPx, yPx: speck.yPx, radiusPx: 0 });
  for (;;) {
    let best: Candidate | null = null;
    for (let f1 = 0; f1 < frames.length; f1++) {
      for (const a of frames[f1]!.specks) {
        if (used.has(a)) continue;
        for (let f2 = f1 + 1; f2 <= Math.min(frames.length - 1, f1 + s.maxSeedStepFrames); f2++) {
          for (const b of frames[f2]!.specks) {
            if (used.has(b)) continue;
            for (let f3 = f2 + 1; f3 <= Math.min(frames.length - 1, f2 + s.maxSeedStepFrames); f3++) {
              for (const c of frames[f3]!.specks) {
                if (used.has(c) || Math.hypot(c.xPx - a.xPx, c.yPx - a.yPx) < s.minSeedTravelPx) continue;
                const seed = [point(f1, a), point(f2, b), point(f3, c)];
                // Downward bend: the middle sighting lies above the chord of the outer two (y grows downwards).
                const share = (seed[1]!.timeS - seed[0]!.timeS) / (seed[2]!.timeS - seed[0]!.timeS);
                const chordXPx = a.xPx + share * (c.xPx - a.xPx);
                const chordYPx = a.yPx + share * (c.yPx - a.yPx);
                if (b.yPx >= chordYPx || Math.abs(b.xPx - chordXPx) > s.gatePx) continue;
                // The parabola through the seed (the tracker's predictPx, Lagrange form), then the least-squares arc through what it found.
                let candidate = collect(frames, used, (timeS) => predictPx(seed, timeS), f1, f3);
                const fitted = candidate.fit;
                if (fitted?.status === 'ok') {
                  const refit = collect(frames, used, (timeS) => arcPositionPx(fitted.arc, timeS), f1, f3);
                  if (!better(candidate, refit)) candidate = refit;
                }
                if (better(candidate, best)) best = candidate;
              }
            }
          }
        }
      }
    }
    if (best === null || best.fit === null) break;
    best.specks.forEach((i, f) => {
      const speck = i >= 0 ? frames[f]!.specks[i] : undefined;
      if (speck !== undefined) used.add(speck);
    });
    const result = best.fit;
    if (result.status !== 'ok') continue;
    const ys: number[] = [];
    best.specks.forEach((i, f) => {
      if (i >= 0) ys.push(frames[f]!.specks[i]!.yPx);
    });
    const { arc } = result;
    const flies = Math.max(...ys) - Math.min(...ys) >= s.minRisePx && arc.rmsPx <= s.maxRmsPx && arc.gPxS2 > s.minGravitySigmas * arc.gStdErrPxS2;
    if (flies && meetsSurface(frames, best.specks, arc)) arcs.push(arc);
  }
  const agreeing = agreeingArcs(arcs);
  const combined = randomEffectsMean(agreeing.map((arc) => ({ value: arc.gPxS2, stdErr: arc.gStdErrPxS2 })));
  return { arcs: agreeing, leftOut: arcs.length - agreeing.length, gravityPxS2: combined?.value ?? null, gravityStdErrPxS2: combined?.stdErr ?? null };
}

/**
 * Random-effects mean (DerSimonian and Laird, 1986): with fixed-effect weights wᵢ = 1/σᵢ², Cochran's
 * Q = Σ wᵢ·(xᵢ − x̄_w)² and the spread between measurements τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw));
 * the mean is weighted by 1/(σᵢ² + τ²), its standard error 1/sqrt(Σ 1/(σᵢ² + τ²)). Droplet arcs of a
 * compressed clip scatter beyond their fits' errors (a small speck's centre moves with the blocks it
 * falls in over several frames at once), so one short arc with a small error must not decide g
 * alone; when they agree (τ = 0) it is the inverse-variance mean (analyze-track's).
 */
export function randomEffectsMean(values: ReadonlyArray<{ value: number; stdErr: number }>): { value: number; stdErr: number } | null {
  const fixed = inverseVarianceMean(values);
  if (fixed === null || values.length < 2) return fixed;
  const weights = values.map(({ value, stdErr }) => 1 / Math.max(stdErr, 1e-9 * Math.abs(value), 1e-12) ** 2);
  const sumW = weights.reduce((a, w) => a + w, 0);
  const sumW2 = weights.reduce((a, w) => a + w * w, 0);
  const q = values.reduce((a, { value }, i) => a + weights[i]! * (value - fixed.value) ** 2, 0);
  const tau2 = Math.max(0, (q - (values.length - 1)) / (sumW - sumW2 / sumW));
  return inverseVarianceMean(values.map(({ value, stdErr }) => ({ value, stdErr: Math.sqrt(stdErr * stdErr + tau2) })));
}

/**
 * The arcs whose g lies within `maxGravitySpread` of the median arc's, when there are at least
 * three: the droplets of one splash obey one gravity, and an arc far from the others is specks of
 * different things (the falling ball's edge, two droplets) lined up by chance. With fewer, all.
 */
export function agreeingArcs(arcs: readonly FittedArc[]): FittedArc[] {
  if (arcs.length < 3) return [...arcs];
  const middle = lowerRankQuantile(
    arcs.map((arc) => arc.gPxS2),
    0.5,
  );
  return arcs.filter((arc) => Math.abs(arc.gPxS2 / middle - 1) <= DROPLET_SEARCH.maxGravitySpread);
}

import type { Failure } from '../prompts/codes.js';
import { inverseVarianceMean } from './analyze-track.js';
import type { Blob } from './detect-blobs.js';
import { FIT_ARC_DEFAULTS, fitArc, type ArcPoint } from './fit-arc.js';
import { binarize, connectedComponents } from './fluid-mask-ops.js';
import type { FrameProfile } from './fluid-profile.js';
import { realAccelerationMS2 } from './real-time.js';
import { lowerRankQuantile } from './robust-stats.js';
import type { FittedArc } from './trajectory-types.js';
import { Tracker, type Track, type TrackerOptions } from './tracker.js';

/** How splash droplets are found, linked and fitted, in one place (shares of the analysis frame's width, px and counts). */
export const DROPLET_SETTINGS = {
  /** A pixel belongs to a speck from this liquid membership: droplets are thinner than the pool, and compression fades them. */
  membershipLevel: 0.35,
  /** A speck's area, analysis px: from this (a droplet of 1.5 video px radius seen at half size covers about 2)... */
  minAreaPx: 2,
  /** ...to a disc of this share of the frame's width in radius (larger liquid above the surface is a sheet or a stream, not a droplet). */
  maxRadiusShare: 0.012,
  /** A speck's lowest row must lie this far above the surface's highest point, px (the surface's soft edge and ripples). */
  surfaceClearancePx: 2,
  /** The surface's highest point: this quantile of its columns' tops (a droplet touching the surface reaches a few columns only). */
  surfaceQuantile: 0.05,
  /** Linking: a droplet's neighbours leave the same spot a few px apart, so gates are tight (shares of the frame's diagonal). */
  tracker: { gateShare: 0.008, youngGateShare: 0.04, staleFrames: 1, maxRadiusRatio: 3, minRadiusRatio: 1 / 3, maxMissedFrames: 1 } satisfies TrackerOptions,
  /** A track is fitted from this many sightings on (5: two degrees of freedom beyond the parabola's three, and one outlier may go). */
  minTrackPoints: 5,
  /** A fitted arc is a droplet's flight when it spans at least this many px vertically (a still speck is no flight)... */
  minRisePx: 3,
  /** ...and the parabola explains it to this RMS, px. */
  maxRmsPx: 1,
} as const;

/** A liquid-coloured speck above the free surface, analysis px (membership-weighted centre). */
export interface Speck {
  xPx: number;
  yPx: number;
  areaPx: number;
}

/** The highest point of the liquid's surface in a frame: a low quantile of its columns' tops, px; null without liquid. */
export function surfaceTopPx(profile: FrameProfile): number | null {
  const tops = Array.from(profile.columnTopPx).filter((y) => Number.isFinite(y));
  return tops.length === 0 ? null : lowerRankQuantile(tops, DROPLET_SETTINGS.surfaceQuantile);
}

/**
 * Specks of liquid in the rows above `aboveRowPx`: connected pieces of membership at least
 * `membershipLevel`, from `minAreaPx` to a disc of `maxRadiusShare` × width, each centred by its
 * membership over its bounding box and a pixel around it (the soft edge carries the sub-pixel place).
 */
export function specksAbove(membership: Float32Array, width: number, aboveRowPx: number): Speck[] {
  const s = DROPLET_SETTINGS;
  const rows = Math.max(0, Math.min(membership.length / width, Math.floor(aboveRowPx)));
  if (rows === 0) return [];
  const region = membership.subarray(0, rows * width);
  const maxAreaPx = Math.PI * (s.maxRadiusShare * width) ** 2;
  return connectedComponents(binarize(region, width, rows, s.membershipLevel))
    .filter((c) => c.areaPx >= s.minAreaPx && c.areaPx <= maxAreaPx)
    .map((c): Speck => {
      let sum = 0;
      let sumX = 0;
      let sumY = 0;
      for (let y = Math.max(0, c.yMinPx - 1); y <= Math.min(rows - 1, c.yMaxPx + 1); y++) {
        for (let x = Math.max(0, c.xMinPx - 1); x <= Math.min(width - 1, c.xMaxPx + 1); x++) {
          const m = region[y * width + x]!;
          sum += m;
          sumX += m * x;
          sumY += m * y;
        }
      }
      return { xPx: sumX / sum, yPx: sumY / sum, areaPx: sum };
    });
}

/** Links specks frame to frame into tracks (the trajectory's tracker, with gates for droplets that leave one spot together). */
export class DropletLinker {
  private readonly tracker: Tracker;

  constructor(width: number, height: number) {
    this.tracker = new Tracker(width, height, DROPLET_SETTINGS.tracker);
  }

  /** `liquidRgb`: the colour the specks were found by (the tracker's sightings carry one). */
  add(frameIndex: number, timeS: number, specks: readonly Speck[], liquidRgb: [number, number, number]): void {
    const blobs = specks.map((speck): Blob => ({ xPx: speck.xPx, yPx: speck.yPx, radiusPx: Math.sqrt(speck.areaPx / Math.PI), areaPx: speck.areaPx, rgb: liquidRgb }));
    this.tracker.update(frameIndex, timeS, blobs);
  }

  tracks(): readonly Track[] {
    return this.tracker.tracks();
  }
}

/** What the droplets' flights say about gravity, analysis px. */
export interface DropletFlights {
  /** Tracks of at least `minTrackPoints` sightings. */
  tracks: number;
  /** Those a ballistic arc explains (see `dropletFlights`). */
  arcs: FittedArc[];
  /** Inverse-variance mean of the arcs' g and its standard error, px/s²; null without an arc. */
  gravityPxS2: number | null;
  gravityStdErrPxS2: number | null;
}

/**
 * Each long enough track fitted with the least-squares parabola (fit-arc, its outliers dropped); an
 * arc counts as a droplet's flight when it rises or falls at least `minRisePx` and the parabola
 * explains it within `maxRmsPx`. g is combined over the arcs by inverse variance (analyze-track).
 */
export function dropletFlights(tracks: readonly Track[]): DropletFlights {
  const s = DROPLET_SETTINGS;
  const long = tracks.filter((track) => track.points.length >= s.minTrackPoints);
  const arcs = long.flatMap((track): FittedArc[] => {
    const points: ArcPoint[] = track.points.map((p) => ({ timeS: p.timeS, xPx: p.xPx, yPx: p.yPx }));
    const result = fitArc(points, FIT_ARC_DEFAULTS);
    if (result.status !== 'ok') return [];
    const ys = points.filter((_, i) => !result.outlierIndices.includes(i)).map((p) => p.yPx);
    const risePx = Math.max(...ys) - Math.min(...ys);
    return risePx >= s.minRisePx && result.arc.rmsPx <= s.maxRmsPx ? [result.arc] : [];
  });
  const combined = inverseVarianceMean(arcs.map((arc) => ({ value: arc.gPxS2, stdErr: arc.gStdErrPxS2 })));
  return { tracks: long.length, arcs, gravityPxS2: combined?.value ?? null, gravityStdErrPxS2: combined?.stdErr ?? null };
}

/** The droplets' part of the fluid metric's value (video px, m/s²). */
export interface DropletsValue {
  /** Tracks of at least `minTrackPoints` sightings, and the ballistic arcs fitted to them. */
  tracks: number;
  arcs: number;
  /** g combined over the arcs (inverse-variance mean) and its standard error, video px/s²; null without an arc. */
  gravityPxS2: number | null;
  gravityStdErrPxS2: number | null;
  /** The same in real m/s² (slow motion undone) where the scale is known; null otherwise. */
  gravityMS2: number | null;
  gravityStdErrMS2: number | null;
  /** Where the scale came from: the container's known diameter, or the trajectory metric's objects of known size. */
  scaleFrom: 'container' | 'trajectory' | null;
  expectedMS2: number;
  /** Per arc: start and end, s; sightings; g and its standard error, video px/s²; RMS, video px. */
  arcList: Array<{ startS: number; endS: number; points: number; gPxS2: number; gStdErrPxS2: number; rmsPx: number }>;
}

/** What judging the droplets' gravity needs. */
export interface DropletJudgement {
  /** Video px per analysis px. */
  toVideoPx: number;
  /** Video px per metre and its source; null when no scale is known. */
  scale: { pxPerM: number; from: 'container' | 'trajectory' } | null;
  expectedMS2: number;
  /** How many times slower than real time the clip plays. */
  slowMotion: number;
  /** `gravity-off` when |g/expected − 1| exceeds this share... */
  tolerance: number;
  /** ...and this many standard errors, with at least `minArcs` droplet arcs. */
  sigmas: number;
  minArcs: number;
}

/** The droplets' value, and `gravity-off` when their combined g is far from the expected one (needs a scale). */
export function judgeDroplets(flights: DropletFlights, j: DropletJudgement): { value: DropletsValue; failure: Failure | null } {
  const px = (analysisPx: number | null): number | null => (analysisPx === null ? null : analysisPx * j.toVideoPx);
  const gravityPxS2 = px(flights.gravityPxS2);
  const stdErrPxS2 = px(flights.gravityStdErrPxS2);
  const toMS2 = (pxS2: number | null): number | null => (pxS2 === null || j.scale === null ? null : realAccelerationMS2(pxS2, j.scale.pxPerM, j.slowMotion));
  const gravityMS2 = toMS2(gravityPxS2);
  const stdErrMS2 = toMS2(stdErrPxS2);
  const value: DropletsValue = {
    tracks: flights.tracks,
    arcs: flights.arcs.length,
    gravityPxS2: roundOrNull(gravityPxS2, 1),
    gravityStdErrPxS2: roundOrNull(stdErrPxS2, 1),
    gravityMS2: roundOrNull(gravityMS2, 3),
    gravityStdErrMS2: roundOrNull(stdErrMS2, 3),
    scaleFrom: j.scale?.from ?? null,
    expectedMS2: j.expectedMS2,
    arcList: flights.arcs.map((arc) => ({
      startS: round(arc.startS, 4),
      endS: round(arc.endS, 4),
      points: arc.points,
      gPxS2: round(arc.gPxS2 * j.toVideoPx, 1),
      gStdErrPxS2: round(arc.gStdErrPxS2 * j.toVideoPx, 1),
      rmsPx: round(arc.rmsPx * j.toVideoPx, 3),
    })),
  };
  if (gravityMS2 === null || stdErrMS2 === null || flights.arcs.length < j.minArcs) return { value, failure: null };
  const relative = gravityMS2 / j.expectedMS2 - 1;
  if (Math.abs(relative) <= j.tolerance || Math.abs(gravityMS2 - j.expectedMS2) <= j.sigmas * stdErrMS2) return { value, failure: null };
  const sign = relative > 0 ? '+' : '';
  const firstS = Math.min(...flights.arcs.map((arc) => arc.startS));
  return {
    value,
    failure: {
      code: 'gravity-off',
      message: `the splash's droplets fly under ${gravityMS2.toFixed(2)} ± ${stdErrMS2.toFixed(2)} m/s² (${flights.arcs.length} droplet arcs), expected ${j.expectedMS2.toFixed(2)} m/s² (${sign}${Math.round(relative * 100)}%, limit ${Math.round(j.tolerance * 100)}%)`,
      atS: round(firstS, 4),
    },
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

import type { Failure } from '../prompts/codes.js';
import type { DropletFlights, Speck } from './fluid-droplet-search.js';
import { binarize, connectedComponents } from './fluid-mask-ops.js';
import type { FrameProfile } from './fluid-profile.js';
import { realAccelerationMS2 } from './real-time.js';
import { lowerRankQuantile } from './robust-stats.js';
import { round, roundOrNull } from './rounding.js';

/** How splash droplets' specks are found, in one place (membership, px, shares of the analysis frame's width). */
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
} as const;

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

/** The droplets' part of the fluid metric's value (video px, m/s²). */
export interface DropletsValue {
  /** Droplet arcs found, fitted and agreeing on g (see `findDropletArcs`), and those left out for disagreeing. */
  arcs: number;
  arcsLeftOut: number;
  /** g combined over the arcs (random-effects mean) and its standard error, video px/s²; null without an arc. */
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
    arcs: flights.arcs.length,
    arcsLeftOut: flights.leftOut,
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

import type { Rgb } from './fluid-colour.js';
import { MIN_TINT_CONTRAST } from './fluid-segment.js';

export interface StandingOptions {
  /** Typical RGB noise of the clip (sensor, compression), as tintOpacity takes it. */
  noise: number;
  /** A tinted pixel's change from the dry colour lies within this angle of the direction to the liquid's colour, as its tangent (beyond noise). */
  maxOffAngleTan: number;
  /** A pixel is tinted towards the liquid when its opacity against the dry reference exceeds this. */
  minOpacity: number;
  /** The dry reference is the mean of this many rows, ending `gapRows` above the candidate surface (blur spreads the surface over a row or two). */
  referenceRows: number;
  gapRows: number;
  /** A column holds standing liquid when at least this many rows below its surface are tinted. */
  minDepthPx: number;
  /** Standing liquid more opaque than this is left in the reference (too little of the background shows through to unmix). */
  maxOpacity: number;
  /** Its inner pixels' opacities read from their colour (`colourOpacity`) have an interquartile range of at most this share of their median... */
  maxOpacitySpread: number;
  /** ...and at least this share of its columns end within `maxSurfaceSpreadPx` of its bottom row. */
  minFlatBottomShare: number;
  /** A pool is at least this many columns wide. */
  minWidthPx: number;
  /** Columns of one pool have surfaces within this of the pool's median surface, px. */
  maxSurfaceSpreadPx: number;
}

/** Liquid standing in the starting background: its columns, median surface and bottom rows, and its opacity against the dry background. */
export interface StandingPool {
  leftPx: number;
  rightPx: number;
  surfaceRow: number;
  bottomRow: number;
  opacity: number;
}

interface ColumnRun {
  surface: number;
  bottom: number;
  /** The dry colour above the surface. */
  dry: Rgb;
}

/**
 * Liquid already in the container at the first frame (a tank of water a ball falls into) is part
 * of the starting background, so unmixing against that background would never see it. Per column,
 * each run of at least `minDepthPx` rows tinted towards the liquid against the mean of the rows just
 * above its top (the dry wall behind the container, seen above the surface) may be standing liquid;
 * the widest band of neighbouring columns holding such runs with their tops at one height is the
 * pool, down to its columns' median bottom, if it lies inside the frame, tints evenly in colour
 * (`colourOpacity`), rests on a flat bottom and is not opaque. Its opacity is the median over its inner pixels; the reference returned has the liquid
 * unmixed out of the pool, B = (p − L·a)/(1 − a) (the compositing model p = B·(1 − a) + L·a), with
 * a that opacity inside and each pixel's own opacity (partly covered or blurred) within `gapRows` of
 * the surface, the bottom and the walls and in the `gapRows` beyond (0 where untinted). The
 * background's texture survives: later frames read the standing liquid as liquid and, where it
 * leaves, the dry wall behind. Null pool (reference unchanged) when none is found.
 */
export function withoutStandingLiquid(background: Float32Array, width: number, liquid: Rgb, options: StandingOptions): { reference: Float32Array; pool: StandingPool | null } {
  const height = background.length / 3 / width;
  const { referenceRows: m, gapRows: gap } = options;
  const tintAt = (x: number, y: number, dry: Rgb): number => {
    const p = 3 * (y * width + x);
    return tintAlong(background[p]! - dry[0], background[p + 1]! - dry[1], background[p + 2]! - dry[2], liquid[0] - dry[0], liquid[1] - dry[1], liquid[2] - dry[2], options.noise, options.maxOffAngleTan);
  };
  const colourAt = (x: number, y: number, dry: Rgb): number => {
    const p = 3 * (y * width + x);
    return colourOpacity(background[p]! - dry[0], background[p + 1]! - dry[1], background[p + 2]! - dry[2], liquid[0] - dry[0], liquid[1] - dry[1], liquid[2] - dry[2]) ?? tintAt(x, y, dry);
  };
  const dryAbove = (x: number, y: number): Rgb => {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let j = y - gap - m; j < y - gap; j++) {
      const p = 3 * (j * width + x);
      r += background[p]!;
      g += background[p + 1]!;
      b += background[p + 2]!;
    }
    return [r / m, g / m, b / m];
  };
  // Every run that could be a column's standing liquid: one column may hold several (a ball moving
  // through the first frames leaves a blur that reads tinted against itself); the band decides.
  const candidates: ColumnRun[][] = [];
  for (let x = 0; x < width; x++) {
    const found: ColumnRun[] = [];
    for (let y = gap + m; y < height; y++) {
      const dry = dryAbove(x, y);
      if (tintAt(x, y, dry) <= options.minOpacity) continue;
      let bottom = y;
      while (bottom + 1 < height && tintAt(x, bottom + 1, dry) > options.minOpacity) bottom++;
      if (bottom - y + 1 < options.minDepthPx) continue;
      found.push({ surface: y, bottom, dry });
      // The rows just below read tinted against a reference that already holds the surface's blur: not surfaces of their own.
      y += gap + m;
    }
    candidates.push(found);
  }
  const band = widestBand(candidates, options);
  const runs = band === null ? [] : candidates.map((list) => nearest(list, band.surfaceRow, options.maxSurfaceSpreadPx));
  const pool = band === null ? null : { ...band, bottomRow: median(runs.slice(band.leftPx, band.rightPx + 1).flatMap((run) => (run === null || run === undefined ? [] : [run.bottom]))) };
  const reference = background.slice();
  // A container cut by the frame's border is not seen whole (nor measured): the pool lies inside the frame.
  if (pool === null || pool.leftPx === 0 || pool.rightPx === width - 1 || pool.bottomRow === height - 1) return { reference, pool: null };

  // The pool's opacity: the median over its pixels away from its edges; its evenness from their colour alone.
  const inner: number[] = [];
  const innerColour: number[] = [];
  for (let x = pool.leftPx + 1; x < pool.rightPx; x++) {
    const run = runs[x];
    if (run === null || run === undefined) continue;
    for (let y = run.surface + 1; y < run.bottom; y++) {
      const tint = tintAt(x, y, run.dry);
      inner.push(tint);
      // An untinted pixel (a hole in the pool) counts as none by either reading.
      innerColour.push(tint > 0 ? colourAt(x, y, run.dry) : 0);
    }
  }
  if (inner.length === 0) return { reference, pool: null };
  inner.sort((a, b) => a - b);
  innerColour.sort((a, b) => a - b);
  const opacity = inner[inner.length >> 1]!;
  // Liquid in a container tints evenly (a shading gradient read as a tint grows with the distance from its
  // reference) and rests on a flat bottom (most columns' runs end at the pool's bottom row). Evenly in colour:
  // the wall's grey texture behind the liquid, unlike the dry rows above, moves the opacity read with the
  // brightness (a glass of water over a textured wall at 1280 crf 28 read 0.17 so; 0.05 by colour).
  const colourMedian = innerColour[innerColour.length >> 1]!;
  const spread = (innerColour[Math.floor(0.75 * (innerColour.length - 1))]! - innerColour[Math.floor(0.25 * (innerColour.length - 1))]!) / colourMedian;
  const columns = runs.slice(pool.leftPx, pool.rightPx + 1);
  const flat = columns.filter((run) => run !== null && run !== undefined && Math.abs(run.bottom - pool.bottomRow) <= options.maxSurfaceSpreadPx).length / columns.length;
  if (!(colourMedian > 0) || spread > options.maxOpacitySpread || flat < options.minFlatBottomShare) return { reference, pool: null };
  // An opaque liquid hides what lies behind it: unmixing it would amplify the noise by 1/(1 − a).
  if (opacity > options.maxOpacity) return { reference, pool: null };
  for (let x = pool.leftPx; x <= pool.rightPx; x++) {
    const run = runs[x];
    if (run === null || run === undefined) continue;
    // Chroma subsampling shares a 2-px block's colour: the blur reaches `gap` pixels in from each edge.
    const wall = x - pool.leftPx < gap || pool.rightPx - x < gap;
    // From the rows the surface blurs into (between the dry rows and the surface) to those below the bottom.
    // Down to the pool's bottom, not the column's run: a column's run stops early where a watermark lay over the first frames.
    for (let y = run.surface - gap; y <= Math.min(height - 1, pool.bottomRow + gap); y++) {
      const edge = wall || y < run.surface + gap || y > pool.bottomRow - gap;
      const a = edge ? Math.min(opacity, tintAt(x, y, run.dry)) : opacity;
      const p = 3 * (y * width + x);
      for (let c = 0; c < 3; c++) reference[p + c] = (background[p + c]! - liquid[c]! * a) / (1 - a);
    }
  }
  return { reference, pool: { ...pool, opacity } };
}

/** A band replaces a higher one when this many times wider. */
const WIDER = 1.1;

/** The candidate whose surface is nearest `row`, or null when the column has none within `spread`. */
function nearest(list: readonly ColumnRun[], row: number, spread = Infinity): ColumnRun | null {
  let best: ColumnRun | null = null;
  for (const run of list) if (Math.abs(run.surface - row) <= spread && (best === null || Math.abs(run.surface - row) < Math.abs(best.surface - row))) best = run;
  return best;
}

/**
 * The widest band of neighbouring columns each holding a candidate whose surface lies within
 * `maxSurfaceSpreadPx` of one row (a level surface), tried at every candidate surface row; null when
 * none is `minWidthPx` wide.
 */
function widestBand(candidates: ReadonlyArray<readonly ColumnRun[]>, options: StandingOptions): { leftPx: number; rightPx: number; surfaceRow: number } | null {
  // From the top down, a lower band replaces a higher one only when clearly wider: below a surface, rows
  // whose dry reference holds the surface's blur can make a band as wide at a deeper row.
  const rows = [...new Set(candidates.flatMap((list) => list.map((run) => run.surface)))].sort((a, b) => a - b);
  let best: { leftPx: number; rightPx: number; surfaceRow: number } | null = null;
  for (const row of rows) {
    let from = -1;
    for (let x = 0; x <= candidates.length; x++) {
      const holds = x < candidates.length && nearest(candidates[x]!, row, options.maxSurfaceSpreadPx) !== null;
      if (holds && from < 0) from = x;
      if (holds || from < 0) continue;
      if (x - from >= options.minWidthPx && (best === null || x - from > WIDER * (best.rightPx - best.leftPx + 1))) best = { leftPx: from, rightPx: x - 1, surfaceRow: row };
      from = -1;
    }
  }
  if (best === null) return null;
  // The band's own surface: the median of its columns' nearest candidates; the band then reaches as far as columns hold one near it.
  const surfaces: number[] = [];
  for (let x = best.leftPx; x <= best.rightPx; x++) surfaces.push(nearest(candidates[x]!, best.surfaceRow)!.surface);
  const surfaceRow = median(surfaces);
  const near = (x: number): boolean => x >= 0 && x < candidates.length && nearest(candidates[x]!, surfaceRow, options.maxSurfaceSpreadPx) !== null;
  let { leftPx, rightPx } = best;
  while (near(leftPx - 1)) leftPx--;
  while (near(rightPx + 1)) rightPx++;
  return { leftPx, rightPx, surfaceRow };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/**
 * Opacity α of a change e from a dry colour towards the liquid along d = L − dry (α = e·d/|d|²), or 0
 * when e points elsewhere: off the line by more than `noise` + `maxTan` × α·|d| (an angle, not a share of |d|:
 * against a dark background the contrast is large, and a shading gradient would pass a share of it), or
 * when its part off the grey axis gives an opacity more than half off α (where the liquid differs from
 * the background in colour by at least MIN_TINT_CONTRAST; else only in brightness, and α stands).
 */
export function tintAlong(e0: number, e1: number, e2: number, d0: number, d1: number, d2: number, noise: number, maxTan: number): number {
  const contrast2 = d0 * d0 + d1 * d1 + d2 * d2;
  if (contrast2 < MIN_TINT_CONTRAST * MIN_TINT_CONTRAST) return 0;
  const alpha = (e0 * d0 + e1 * d1 + e2 * d2) / contrast2;
  if (alpha <= 0) return 0;
  const offLine = Math.hypot(e0 - alpha * d0, e1 - alpha * d1, e2 - alpha * d2);
  if (offLine > noise + maxTan * alpha * Math.sqrt(contrast2)) return 0;
  // The tint must carry the liquid's colour, not only its brightness: the same opacity from the parts off the grey axis
  // (a grey change, a shadow or a greyscale clip, has none there).
  const chromaAlpha = colourOpacity(e0, e1, e2, d0, d1, d2);
  if (chromaAlpha === null) return alpha;
  return Math.abs(chromaAlpha - alpha) <= 0.5 * alpha ? alpha : 0;
}

/**
 * Opacity of a change e from a dry colour towards the liquid read from their parts off the grey axis
 * only, α = (e − ē)·(d − d̄) / |d − d̄|² (ē, d̄: the means of their channels); null where the liquid
 * differs from the dry colour by less than MIN_TINT_CONTRAST in colour. A wall's grey texture or a
 * brightness change moves e along the grey axis and leaves it alone.
 */
export function colourOpacity(e0: number, e1: number, e2: number, d0: number, d1: number, d2: number): number | null {
  const dm = (d0 + d1 + d2) / 3;
  const em = (e0 + e1 + e2) / 3;
  const c0 = d0 - dm;
  const c1 = d1 - dm;
  const c2 = d2 - dm;
  const chroma2 = c0 * c0 + c1 * c1 + c2 * c2;
  if (chroma2 < MIN_TINT_CONTRAST * MIN_TINT_CONTRAST) return null;
  return ((e0 - em) * c0 + (e1 - em) * c1 + (e2 - em) * c2) / chroma2;
}

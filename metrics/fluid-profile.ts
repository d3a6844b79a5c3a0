/** What one frame's liquid mask comes down to: per row and per column, enough to find pool, surface and stream. */
export interface FrameProfile {
  width: number;
  height: number;
  /** Liquid width of each row: the sum of its memberships (sub-pixel at soft edges), px. */
  rowWidthPx: Float32Array;
  /** Membership-weighted mean x of each row (NaN for an empty row). */
  rowCentreXPx: Float32Array;
  /** First and last column of each row with membership ≥ 0.5 (-1 for none). */
  rowLeftPx: Int16Array;
  rowRightPx: Int16Array;
  /** Pixels of each row between those edges where liquid cannot be seen (see `frameProfile`'s `unseen`); 0 without such pixels. */
  rowUnseenPx: Int16Array;
  /**
   * Per column, the top of the run of liquid that holds the column's lowest liquid pixel, sub-pixel:
   * its lower edge (row y spans y ± 0.5; the soft edge below counts) minus its summed memberships;
   * NaN for a column without liquid.
   */
  columnTopPx: Float32Array;
  /** Per column, the summed memberships of that run and its soft edges: the liquid's height there, px (0 without liquid). */
  columnHeightPx: Float32Array;
}

/** Membership at which a pixel counts as liquid for run lengths and extents. */
const SOLID = 0.5;
/** Memberships above this continue a run as its soft edge. */
const EDGE = 0.02;

/**
 * The profile of a frame's membership `soft`. `unseen` marks the pixels (1) where liquid cannot be
 * seen, its colour too close to what lay there at the start (a full glass lying over a spill's
 * puddle): they are counted per row between its edges, so that the liquid's solidity is judged
 * where it could show.
 */
export function frameProfile(soft: Float32Array, width: number, height: number, unseen: Uint8Array | null = null): FrameProfile {
  const rowWidthPx = new Float32Array(height);
  const rowCentreXPx = new Float32Array(height);
  const rowLeftPx = new Int16Array(height).fill(-1);
  const rowRightPx = new Int16Array(height).fill(-1);
  const rowUnseenPx = new Int16Array(height);
  for (let y = 0; y < height; y++) {
    let sum = 0;
    let moment = 0;
    for (let x = 0; x < width; x++) {
      const m = soft[y * width + x]!;
      sum += m;
      moment += m * x;
      if (m >= SOLID) {
        if (rowLeftPx[y] === -1) rowLeftPx[y] = x;
        rowRightPx[y] = x;
      }
    }
    rowWidthPx[y] = sum;
    rowCentreXPx[y] = sum > 0 ? moment / sum : Number.NaN;
    if (unseen === null || rowLeftPx[y]! < 0) continue;
    let hidden = 0;
    for (let x = rowLeftPx[y]!; x <= rowRightPx[y]!; x++) hidden += unseen[y * width + x]!;
    rowUnseenPx[y] = hidden;
  }
  const columnTopPx = new Float32Array(width).fill(Number.NaN);
  const columnHeightPx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    let y = height - 1;
    while (y >= 0 && soft[y * width + x]! < SOLID) y--;
    if (y < 0) continue;
    // Summing memberships over the run and its soft edges measures the height whatever the blur
    // (chroma subsampling, compression) does to the edges, as long as it keeps the total.
    let below = 0;
    for (let j = y + 1; j < height && soft[j * width + x]! > EDGE; j++) below += soft[j * width + x]!;
    let sum = 0;
    for (let j = y; j >= 0 && soft[j * width + x]! > EDGE; j--) sum += soft[j * width + x]!;
    columnHeightPx[x] = sum + below;
    columnTopPx[x] = y + 0.5 + below - columnHeightPx[x]!;
  }
  return { width, height, rowWidthPx, rowCentreXPx, rowLeftPx, rowRightPx, rowUnseenPx, columnTopPx, columnHeightPx };
}

/** The body of liquid at the bottom of a frame: the lowest run of wide rows. */
export interface Pool {
  /** Rows of the run, top and bottom (inclusive). */
  topRow: number;
  bottomRow: number;
  /** Filled height in container widths: Σ over the run's rows and the row above of min(1, width / containerWidthPx), px. */
  levelHeightPx: number;
  /** Median left and right edge over the run's rows, px. */
  leftPx: number;
  rightPx: number;
}

/**
 * The pool of a frame: the lowest run of rows at least `minWidthFraction` × `containerWidthPx` wide
 * (one narrower row inside the run is tolerated), and reaching column `underXPx` when given (the pool
 * a stream falls into, not some other tinted thing); null when there is none.
 */
export function poolOf(profile: FrameProfile, containerWidthPx: number, minWidthFraction = 0.5, underXPx: number | null = null): Pool | null {
  const wide = (y: number): boolean =>
    profile.rowWidthPx[y]! >= minWidthFraction * containerWidthPx && (underXPx === null || (profile.rowLeftPx[y]! <= underXPx && profile.rowRightPx[y]! >= underXPx));
  let bottom = profile.height - 1;
  while (bottom >= 0 && !wide(bottom)) bottom--;
  if (bottom < 0) return null;
  let top = bottom;
  while (top > 0 && (wide(top - 1) || (top > 1 && wide(top - 2)))) top--;
  let levelHeightPx = 0;
  const lefts: number[] = [];
  const rights: number[] = [];
  for (let y = top; y <= bottom; y++) {
    levelHeightPx += Math.min(1, profile.rowWidthPx[y]! / containerWidthPx);
    if (profile.rowLeftPx[y]! >= 0) {
      lefts.push(profile.rowLeftPx[y]!);
      rights.push(profile.rowRightPx[y]!);
    }
  }
  // The partly covered row above the run carries the sub-pixel part of the surface.
  if (top > 0) levelHeightPx += Math.min(minWidthFraction, profile.rowWidthPx[top - 1]! / containerWidthPx);
  lefts.sort((a, b) => a - b);
  rights.sort((a, b) => a - b);
  return {
    topRow: top,
    bottomRow: bottom,
    levelHeightPx,
    leftPx: lefts[lefts.length >> 1] ?? 0,
    rightPx: rights[rights.length >> 1] ?? 0,
  };
}

/** One row of the falling stream: its drop below the stream's top, width and centre, px. */
export interface StreamRow {
  yPx: number;
  widthPx: number;
  centreXPx: number;
}

/**
 * The stream above the pool (or above the frame's bottom when there is no pool): the run of liquid
 * rows that ends just above the surface, narrower than `maxWidthPx`. Rows closer to the surface than
 * `surfaceMarginPx` (the splash where it lands) are left out. Empty when no stream reaches the surface.
 * Without a pool, the stream is the run of narrow rows above the lowest liquid row.
 */
export function streamRowsOf(profile: FrameProfile, pool: Pool | null, maxWidthPx: number, surfaceMarginPx: number, minWidthPx = 0.5): StreamRow[] {
  let start = (pool === null ? profile.height : pool.topRow) - 1;
  // Without a pool the stream ends where it lands: at the lowest row with liquid.
  if (pool === null) while (start >= 0 && profile.rowWidthPx[start]! < minWidthPx) start--;
  const rows: StreamRow[] = [];
  let gap = 0;
  for (let y = start; y >= 0; y--) {
    const w = profile.rowWidthPx[y]!;
    if (w < minWidthPx || w > maxWidthPx) {
      if (++gap > 1) break;
      continue;
    }
    gap = 0;
    rows.push({ yPx: y, widthPx: w, centreXPx: profile.rowCentreXPx[y]! });
  }
  const surfaceY = start + 1;
  return rows.filter((r) => surfaceY - r.yPx > surfaceMarginPx).reverse();
}

/** The free surface of a pool as a straight line through its column heights. */
export interface SurfaceLine {
  /** Angle against the horizontal, degrees; positive when the surface rises to the right. */
  tiltDeg: number;
  /** Liquid height on the pool's centre line, px: the filled height of a container with a plane surface. */
  levelPx: number;
  /** Median of the column heights, px: the filled height, robust to columns the line does not fit. */
  medianHeightPx: number;
  /** Medians over the same columns (before the bump filter) of the surface's y and of the liquid's lower edge, px. */
  medianTopPx: number;
  medianBottomPx: number;
  /** Root-mean-square distance of the column heights from the line, px. */
  residualPx: number;
  columns: number;
  /** Distance from the first to the last column used, as a share of the pool's width. */
  spanFraction: number;
}

/**
 * Least-squares line through the liquid heights of a pool's columns, leaving out `edgeFraction` of
 * its width at each wall (the meniscus), the columns in `excluded` (the stream) and columns whose
 * height differs from the median by more than `maxBumpPx` (where the stream lands, a splash). Null
 * with fewer than `minColumns` columns.
 */
export function surfaceLineOf(
  profile: FrameProfile,
  pool: Pool,
  excluded: { fromPx: number; toPx: number } | null,
  options: { edgeFraction: number; maxBumpPx: number; minColumns: number },
): SurfaceLine | null {
  const span = pool.rightPx - pool.leftPx;
  const from = Math.ceil(pool.leftPx + options.edgeFraction * span);
  const to = Math.floor(pool.rightPx - options.edgeFraction * span);
  const xs: number[] = [];
  const hs: number[] = [];
  const tops: number[] = [];
  const bottoms: number[] = [];
  for (let x = from; x <= to; x++) {
    if (excluded !== null && x >= excluded.fromPx && x <= excluded.toPx) continue;
    const heightPx = profile.columnHeightPx[x];
    if (heightPx === undefined || !(heightPx > 0)) continue;
    // A column whose liquid starts below the pool holds something else there (an overlay passing by).
    if (profile.columnTopPx[x]! > pool.bottomRow) continue;
    xs.push(x);
    hs.push(heightPx);
    tops.push(profile.columnTopPx[x]!);
    bottoms.push(profile.columnTopPx[x]! + heightPx);
  }
  if (xs.length < options.minColumns) return null;
  tops.sort((a, b) => a - b);
  bottoms.sort((a, b) => a - b);
  const sorted = [...hs].sort((a, b) => a - b);
  const medianHeight = sorted[sorted.length >> 1]!;
  const keptX: number[] = [];
  const keptH: number[] = [];
  xs.forEach((x, i) => {
    if (Math.abs(hs[i]! - medianHeight) <= options.maxBumpPx) {
      keptX.push(x);
      keptH.push(hs[i]!);
    }
  });
  if (keptX.length < options.minColumns) return null;
  const fit = fitLine(keptX, keptH);
  const centreX = (pool.leftPx + pool.rightPx) / 2;
  return {
    tiltDeg: (Math.atan(fit.slope) * 180) / Math.PI,
    levelPx: fit.intercept + fit.slope * centreX,
    medianHeightPx: medianHeight,
    medianTopPx: tops[tops.length >> 1]!,
    medianBottomPx: bottoms[bottoms.length >> 1]!,
    residualPx: fit.rmsPx,
    columns: keptX.length,
    spanFraction: (keptX[keptX.length - 1]! - keptX[0]!) / Math.max(1, span),
  };
}

/** Ordinary least squares y = intercept + slope·x, with the RMS residual. Needs two distinct x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; rmsPx: number } {
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - meanX) ** 2;
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = meanY - slope * meanX;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  return { slope, intercept, rmsPx: Math.sqrt(ss / n) };
}

/**
 * Where a stream falls: the median centre of the rows, over all frames, that hold a single narrow run
 * of liquid (at most `maxWidthPx` wide, its extent no wider than its width + 2 px: not two walls);
 * null when fewer than `minRows` such rows.
 */
export function streamColumnOf(profiles: readonly FrameProfile[], maxWidthPx: number, minRows: number): number | null {
  const centres: number[] = [];
  for (const p of profiles) {
    for (let y = 0; y < p.height; y++) {
      const w = p.rowWidthPx[y]!;
      if (w < 1 || w > maxWidthPx || p.rowLeftPx[y]! < 0) continue;
      if (p.rowRightPx[y]! - p.rowLeftPx[y]! + 1 > w + 2) continue;
      centres.push(p.rowCentreXPx[y]!);
    }
  }
  if (centres.length < minRows) return null;
  centres.sort((a, b) => a - b);
  return centres[centres.length >> 1]!;
}

/**
 * The circle through a ball's sharp outline. A ball's coverage-weighted area misses the part of it
 * that looks like the wall (a silver ball's lit side on a pale wall reads as a faint, gradual fringe):
 * its outline where the ball stands out sharply still lies on the true circle.
 */

/** Coverage at which the outline is crossed. */
const EDGE_ALPHA = 0.5;
/** An outline point counts only where the pixel a step further in is at least this covered: a sharp edge, not a faint fringe. */
const INNER_ALPHA = 0.8;
/** ... and the pixel a step further out at most this. */
const OUTER_ALPHA = 0.2;
/** Fewer outline points than this fit no circle worth trusting. */
const MIN_POINTS = 12;
/** The points must surround the centre: no gap between their directions wider than this, radians (160°). */
const MAX_ANGULAR_GAP_RAD = (8 * Math.PI) / 9;
/** Points further than this from the fitted circle, px, are dropped before the refit (a blurred or cut edge). */
const MAX_RESIDUAL_PX = 0.75;

export interface Circle {
  xPx: number;
  yPx: number;
  radiusPx: number;
}

/**
 * Algebraic least-squares circle (Kåsa 1976): minimises Σ(x² + y² + D·x + E·y + F)², linear in D, E, F;
 * centre (−D/2, −E/2), radius sqrt(D²/4 + E²/4 − F). Null for fewer than 3 points or collinear ones.
 */
export function fitCircle(points: ReadonlyArray<readonly [number, number]>): Circle | null {
  if (points.length < 3) return null;
  // Centred coordinates keep the normal equations well conditioned.
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x;
    my += y;
  }
  mx /= points.length;
  my /= points.length;
  let suu = 0;
  let svv = 0;
  let suv = 0;
  let suuu = 0;
  let svvv = 0;
  let suvv = 0;
  let svuu = 0;
  for (const [x, y] of points) {
    const u = x - mx;
    const v = y - my;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suuu += u * u * u;
    svvv += v * v * v;
    suvv += u * v * v;
    svuu += v * u * u;
  }
  // Centre (uc, vc) solves [suu suv; suv svv]·[uc vc] = ½[suuu + suvv, svvv + svuu] (Bullock's form of the Kåsa fit).
  const det = suu * svv - suv * suv;
  if (!(Math.abs(det) > 1e-9)) return null;
  const bu = (suuu + suvv) / 2;
  const bv = (svvv + svuu) / 2;
  const uc = (bu * svv - bv * suv) / det;
  const vc = (suu * bv - suv * bu) / det;
  const radiusPx = Math.sqrt(uc * uc + vc * vc + (suu + svv) / points.length);
  return { xPx: uc + mx, yPx: vc + my, radiusPx };
}

/** Widest gap between the directions of the points seen from (cx, cy), radians. */
function widestAngularGap(points: ReadonlyArray<readonly [number, number]>, cx: number, cy: number): number {
  const angles = points.map(([x, y]) => Math.atan2(y - cy, x - cx)).sort((a, b) => a - b);
  let widest = 0;
  for (let k = 1; k < angles.length; k++) widest = Math.max(widest, (angles[k] as number) - (angles[k - 1] as number));
  return Math.max(widest, (angles[0] as number) + 2 * Math.PI - (angles[angles.length - 1] as number));
}

/**
 * Sub-pixel points where the coverage crosses EDGE_ALPHA sharply, scanning each row and column of the
 * box inwards from both ends. `alpha` holds the box's coverage row by row (width × height).
 */
function sharpOutline(alpha: Float32Array, width: number, height: number): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : (alpha[y * width + x] as number));
  // One scan: from (x, y) step (dx, dy) until the coverage first reaches EDGE_ALPHA.
  const scan = (x: number, y: number, dx: number, dy: number, steps: number): void => {
    for (let k = 1; k < steps; k++) {
      const inner = at(x + k * dx, y + k * dy);
      if (inner < EDGE_ALPHA) continue;
      const outer = at(x + (k - 1) * dx, y + (k - 1) * dy);
      const deeper = at(x + (k + 1) * dx, y + (k + 1) * dy);
      const beyond = at(x + (k - 2) * dx, y + (k - 2) * dy);
      if (deeper >= INNER_ALPHA && beyond <= OUTER_ALPHA) {
        // Linear interpolation of the crossing between the outer and the inner pixel.
        const t = k - 1 + (EDGE_ALPHA - outer) / (inner - outer);
        points.push([x + t * dx, y + t * dy]);
      }
      return;
    }
  };
  for (let y = 0; y < height; y++) {
    scan(0, y, 1, 0, width);
    scan(width - 1, y, -1, 0, width);
  }
  for (let x = 0; x < width; x++) {
    scan(x, 0, 0, 1, height);
    scan(x, height - 1, 0, -1, height);
  }
  return points;
}

/** Directions around the centre in which the coverage is summed apart. */
const SECTORS = 16;
/** Pixels nearer the centre than this, px, span many directions: their coverage is spread over sub-pixels. */
const NEAR_CENTRE_PX = 2;
/** ... this many a side. */
const SUBPIXELS = 4;
/** At least this many sectors must be sharp (with sharp neighbours) for their coverage to give the size (135°). */
const MIN_SHARP_SECTORS = 6;

/** Position of the direction from the centre to (dx, dy) in sectors, in [0, SECTORS). */
function sectorPosition(dx: number, dy: number): number {
  return ((Math.atan2(dy, dx) / (2 * Math.PI) + 1) * SECTORS) % SECTORS;
}

/**
 * Share of a pixel's coverage `a` that falls in trusted sectors: a pixel d px from the centre spans
 * about 1/d radians of direction, spread evenly; nearer than NEAR_CENTRE_PX it is cut into sub-pixels.
 */
function trustedShare(a: number, dx: number, dy: number, trusted: readonly boolean[]): number {
  const d = Math.sqrt(dx * dx + dy * dy);
  if (d < NEAR_CENTRE_PX) {
    let share = 0;
    for (let sy = 0; sy < SUBPIXELS; sy++) {
      for (let sx = 0; sx < SUBPIXELS; sx++) {
        const k = Math.floor(sectorPosition(dx - 0.5 + (sx + 0.5) / SUBPIXELS, dy - 0.5 + (sy + 0.5) / SUBPIXELS));
        if (trusted[k] === true) share += 1 / (SUBPIXELS * SUBPIXELS);
      }
    }
    return a * share;
  }
  const centre = sectorPosition(dx, dy);
  const half = (0.5 / d / (2 * Math.PI)) * SECTORS;
  let share = 0;
  for (let k = Math.floor(centre - half); k <= Math.floor(centre + half); k++) {
    const overlap = Math.min(k + 1, centre + half) - Math.max(k, centre - half);
    if (overlap > 0 && trusted[((k % SECTORS) + SECTORS) % SECTORS] === true) share += overlap / (2 * half);
  }
  return a * share;
}

/**
 * Radius from the coverage in the directions where the outline is sharp: area of a sector = ½·r²·Δθ,
 * so r = sqrt(2·ΣA / Σ Δθ) over those sectors. Coverage is exact where the ball stands out (anti-aliasing,
 * blur and compression only move coverage between neighbouring pixels); the sectors with no sharp
 * outline are those where part of the ball looked like the wall. Null when too few sectors are sharp.
 * A sector counts as sharp when the outline is sharp in it and in both its neighbours.
 */
function sharpSectorRadius(alpha: Float32Array, width: number, height: number, centre: Circle, sharp: ReadonlyArray<readonly [number, number]>): number | null {
  const reached = new Array<boolean>(SECTORS).fill(false);
  for (const [x, y] of sharp) reached[Math.floor(sectorPosition(x - centre.xPx, y - centre.yPx))] = true;
  // A sector at either end of the sharp run may be partly faint: only those flanked by sharp ones count.
  const trusted = reached.map((here, k) => here && reached[(k + 1) % SECTORS] === true && reached[(k + SECTORS - 1) % SECTORS] === true);
  const sharpSectors = trusted.filter(Boolean).length;
  if (sharpSectors < MIN_SHARP_SECTORS) return null;
  let area = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = alpha[y * width + x] as number;
      if (a !== 0) area += trustedShare(a, x - centre.xPx, y - centre.yPx, trusted);
    }
  }
  const angle = (2 * Math.PI * sharpSectors) / SECTORS;
  return area > 0 ? Math.sqrt((2 * area) / angle) : null;
}

/** A region's size and place from its sharp outline, box coordinates (pixel centres at integers). */
export interface Limb {
  /** The circle fitted through the sharp outline points. */
  circle: Circle;
  /** Radius from the coverage in the directions where the outline is sharp (see sharpSectorRadius). */
  radiusPx: number;
}

/**
 * The circle through the sharp part of a region's outline and the radius its coverage gives in those
 * directions, or null when too little of the outline is sharp or it does not surround the centre.
 */
export function limbOf(alpha: Float32Array, width: number, height: number): Limb | null {
  let points = sharpOutline(alpha, width, height);
  if (points.length < MIN_POINTS) return null;
  let circle = fitCircle(points);
  if (circle === null) return null;
  const fitted = circle;
  points = points.filter(([x, y]) => Math.abs(Math.hypot(x - fitted.xPx, y - fitted.yPx) - fitted.radiusPx) <= MAX_RESIDUAL_PX);
  if (points.length < MIN_POINTS) return null;
  circle = fitCircle(points);
  if (circle === null || widestAngularGap(points, circle.xPx, circle.yPx) > MAX_ANGULAR_GAP_RAD) return null;
  const radiusPx = sharpSectorRadius(alpha, width, height, circle, points);
  return radiusPx === null ? null : { circle, radiusPx };
}

import { isGhost, type LabelledRegion } from './ghost.js';
import { limbOf } from './limb-circle.js';
import { isWhiteVeil } from './veil.js';

/** Which foreground regions count as candidate objects. */
export interface BlobOptions {
  /** Smallest RGB distance from the background (Euclidean, 0 to 441) that is foreground, however clean the clip. */
  minContrast: number;
  /** Foreground threshold in noise standard deviations (per-channel σ × √3 for the RGB distance). */
  noiseSigmas: number;
  /** Smaller regions are noise, px (analysis size). */
  minAreaPx: number;
  /** Larger regions, as a share of the frame, are lighting changes or camera motion, not objects. */
  maxAreaShare: number;
  /** A disc fills π/4 = 0.785 of its bounding box; motion blur and coarse edges move that a little. */
  minFill: number;
  /** Longer side over shorter side of the bounding box; a blurred ball stays well below this. */
  maxAspect: number;
  /**
   * A region that looks like a translucent white overlay (a watermark) is no object: its pixels are
   * b + a·(255 − b) with one opacity a in every channel and pixel. This is the largest spread of a
   * (across channels, and across pixels) that still counts as one opacity.
   */
  veilMaxSpread: number;
  /**
   * The same test for a single pixel, looser because one pixel's noise is not averaged (σ 2 over
   * b = 190 moves a by 0.03). Veiled pixels are not foreground, so a ball under a watermark stays a disc.
   */
  veilPixelSpread: number;
}

export const BLOB_DEFAULTS: BlobOptions = {
  minContrast: 24,
  noiseSigmas: 6,
  minAreaPx: 12,
  maxAreaShare: 0.2,
  minFill: 0.55,
  maxAspect: 2.5,
  veilMaxSpread: 0.06,
  veilPixelSpread: 0.15,
};

/** A candidate object in one frame, in analysis pixels with pixel i's centre at coordinate i. */
export interface Blob {
  xPx: number;
  yPx: number;
  /** sqrt(covered area / π), from per-pixel coverage (robust to anti-aliasing, blur and threshold). */
  radiusPx: number;
  /** Covered area, px² (sum of per-pixel coverage). */
  areaPx: number;
  /** Mean colour of the fully covered pixels. */
  rgb: [number, number, number];
  /** Outline from the covered pixels' second moments; absent for sightings made up without pixels (tests). */
  shape?: BlobShape;
  /** Radius of the circle through the sharp part of the outline (see limb-circle.ts); absent when too little of it is sharp. */
  limbRadiusPx?: number;
}

/** A region's shape from the covariance of its covered pixels (coverage-weighted). */
export interface BlobShape {
  /** sqrt(λmax / λmin) of the covariance: 1 for a disc, a / b for an ellipse of half axes a ≥ b. */
  elongation: number;
  /** Direction of the major axis, radians from +x towards +y (image y grows downwards), in (−π/2, π/2]. */
  majorAxisRad: number;
}

/**
 * Shape from second central moments: with the covariance [[sxx, sxy], [sxy, syy]], the eigenvalues
 * λ = (sxx + syy)/2 ± sqrt(((sxx − syy)/2)² + sxy²) and the major axis at ½·atan2(2·sxy, sxx − syy).
 * A uniform ellipse of half axes a, b has variances a²/4 and b²/4 along its axes, so sqrt(λmax/λmin) = a/b.
 */
export function shapeFromMoments(sxx: number, syy: number, sxy: number): BlobShape {
  const mean = (sxx + syy) / 2;
  const spread = Math.hypot((sxx - syy) / 2, sxy);
  const minor = mean - spread;
  const elongation = minor > 0 ? Math.sqrt((mean + spread) / minor) : Infinity;
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return { elongation, majorAxisRad: angle <= -Math.PI / 2 ? angle + Math.PI : angle };
}

/** Buffers reused from frame to frame (one per session) so detection allocates nothing per frame. */
export interface BlobWorkspace {
  width: number;
  height: number;
  labels: Int32Array;
  stack: Int32Array;
  /** Foreground pixels found so far that no region has taken yet: the seeds of the regions still to fill. */
  foreground: Int32Array;
  /** 1 where a detected object or the ring around it covers the pixel (kept out of background learning). */
  covered: Uint8Array;
  /** This frame's translucent white layers (watermarks), as boxes: a ball under one is hidden, not gone. */
  overlays: PixelBox[];
  /** This frame's ghosts (see ghost.ts): regions whose pixels in `labels` the background should take at once. */
  ghosts: LabelledRegion[];
  /**
   * This frame's partial discs, measured but not covered: regions shaped like a ball but for a part that
   * matched the background (fill of their box below `minFill`, at least PARTIAL_MIN_FILL). Only a
   * track expecting its ball right there may take one (see Tracker.update).
   */
  partials: Blob[];
  /** A measured region's coverage over its box with the ring (see measure), row by row. */
  coverage: Float32Array;
  /** Summed-area tables over a measured region's box: of its mask, and of its core's count, R, G and B (see boxWindowSum). */
  insideSums: Int32Array;
  coreSums: Int32Array;
}

/** A region's bounding box, px, inclusive. */
export interface PixelBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** True when (x, y) lies within `marginPx` of the box (inside it, or beside it by at most the margin on each axis). */
export function isNearBox(box: PixelBox, xPx: number, yPx: number, marginPx: number): boolean {
  return xPx >= box.minX - marginPx && xPx <= box.maxX + marginPx && yPx >= box.minY - marginPx && yPx <= box.maxY + marginPx;
}

export function createBlobWorkspace(width: number, height: number): BlobWorkspace {
  const pixels = width * height;
  const sums = (width + 1) * (height + 1);
  return {
    width,
    height,
    labels: new Int32Array(pixels),
    stack: new Int32Array(pixels),
    foreground: new Int32Array(pixels),
    covered: new Uint8Array(pixels),
    overlays: [],
    ghosts: [],
    partials: [],
    coverage: new Float32Array(pixels),
    insideSums: new Int32Array(sums),
    coreSums: new Int32Array(4 * sums),
  };
}

const boxOf = (c: Component): PixelBox => ({ minX: c.minX, minY: c.minY, maxX: c.maxX, maxY: c.maxY });

/** RGB distance from the background above which a pixel is foreground: max(minContrast, k·σ·√3). */
export function foregroundThreshold(noiseSigma: number, options: BlobOptions = BLOB_DEFAULTS): number {
  return Math.max(options.minContrast, options.noiseSigmas * noiseSigma * Math.sqrt(3));
}

interface Component {
  label: number;
  /** Raster index of the region's first pixel: regions are ordered as a scan of the whole frame would find them. */
  first: number;
  /** Rank among the frame's regions (plain ones in raster order, then veil-like ones). */
  order: number;
  /** Every pixel looked like a translucent white layer over the background (see isWhiteVeil). */
  veil: boolean;
  /** For a veil-like region: the standard deviation of its pixels' opacity (0 for one flat layer); null until mergeFragments needs it. */
  opacitySpread: number | null;
  /** A veil-like piece (the lit side of a pale ball) has been joined to this region. */
  joinedVeil: boolean;
  count: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Marks a foreground pixel not yet given to a region. */
const UNLABELLED = -1;
/**
 * Marks a foreground pixel that reads, alone, as a white translucent layer: a watermark's, or the lit
 * side of a pale ball. Such pixels only join a region that has other evidence of an object (below).
 */
const UNLABELLED_VEIL = -2;

/** What labelComponents tests pixels against, and how many seeds it holds in `ws.foreground`. */
interface ForegroundScan {
  frame: Uint8Array;
  background: Float32Array;
  thresholdSq: number;
  veilPixelSpread: number;
  seeds: number;
}

/** Squared RGB distance between the frame and the background at the pixel whose red byte is at offset p. */
function distanceSq(frame: Uint8Array, background: Float32Array, p: number): number {
  const dr = (frame[p] as number) - (background[p] as number);
  const dg = (frame[p + 1] as number) - (background[p + 1] as number);
  const db = (frame[p + 2] as number) - (background[p + 2] as number);
  return dr * dr + dg * dg + db * db;
}

/** Largest opacity of a white layer a single foreground pixel may read as (see isWhiteVeil). */
const VEIL_PIXEL_MAX_OPACITY = 0.8;

/** The kind of a foreground pixel (red byte at offset p): UNLABELLED_VEIL when it reads alone as a white veil, else UNLABELLED. */
function kindOfForeground(frame: Uint8Array, background: Float32Array, p: number, veilPixelSpread: number): number {
  return isWhiteVeil(frame, background, p, veilPixelSpread, VEIL_PIXEL_MAX_OPACITY) ? UNLABELLED_VEIL : UNLABELLED;
}

/** 0 for a background pixel (distance² ≤ threshold²), else its kindOfForeground. */
function foregroundKind(scan: ForegroundScan, i: number): number {
  const { frame, background } = scan;
  const p = 3 * i;
  if (distanceSq(frame, background, p) <= scan.thresholdSq) return 0;
  return kindOfForeground(frame, background, p, scan.veilPixelSpread);
}

/**
 * Only every this many rows are tested for seeds; the regions are then filled at full resolution,
 * testing pixels as the fill reaches them. A region is missed only when it lies within one row between
 * tested ones: a line a pixel thick, never a disc. Halves the one pass over every pixel.
 */
const SEED_ROW_STEP = 2;

/**
 * True when pixel i belongs to no region: labelled 0 (background, a veil that joined nothing, or never
 * tested) and not plain foreground, which only a region between seed rows (a speck a row thin) can
 * leave untested. Such a speck is a region of its own, as a scan of every pixel would have labelled it.
 */
function isFree(labels: Int32Array, i: number, scan: ForegroundScan): boolean {
  return labels[i] === 0 && foregroundKind(scan, i) !== UNLABELLED;
}

/**
 * Labels 8-connected foreground regions (distance² > threshold²), joins the fragments of one ball
 * (see mergeFragments) and fills each region to its convex hull where a band of it matched the
 * background (see fillConvexHull). Returns the regions' extents.
 */
function labelComponents(scan: ForegroundScan, minAreaPx: number, ws: BlobWorkspace): Component[] {
  const { frame, background, thresholdSq, veilPixelSpread } = scan;
  const { width, height, labels, foreground } = ws;
  labels.fill(0);
  // The seeds in raster order, found four pixels a step: V8 then checks the arrays once per four
  // pixels, which makes this scan of half the frame (most of detection's time) 1.4x faster.
  let seeds = 0;
  for (let y = 0; y < height; y += SEED_ROW_STEP) {
    const end = (y + 1) * width;
    let i = y * width;
    for (; i + 3 < end; i += 4) {
      const p = 3 * i;
      const d0 = distanceSq(frame, background, p);
      const d1 = distanceSq(frame, background, p + 3);
      const d2 = distanceSq(frame, background, p + 6);
      const d3 = distanceSq(frame, background, p + 9);
      if (d0 > thresholdSq) foreground[seeds++] = i;
      if (d1 > thresholdSq) foreground[seeds++] = i + 1;
      if (d2 > thresholdSq) foreground[seeds++] = i + 2;
      if (d3 > thresholdSq) foreground[seeds++] = i + 3;
    }
    for (; i < end; i++) if (distanceSq(frame, background, 3 * i) > thresholdSq) foreground[seeds++] = i;
  }
  for (let k = 0; k < seeds; k++) {
    const i = foreground[k] as number;
    labels[i] = kindOfForeground(frame, background, 3 * i, veilPixelSpread);
  }
  scan.seeds = seeds;
  const components: Component[] = [];
  // The fills append the foreground they find beside their region (pixels of the other kind) as seeds.
  for (let k = 0; k < scan.seeds; k++) {
    const seed = foreground[k] as number;
    const kind = labels[seed] as number;
    if (kind < 0) components.push(floodFill(seed, kind, components.length + 1, ws, scan));
  }
  components.sort((a, b) => Number(a.veil) - Number(b.veil) || a.first - b.first);
  components.forEach((c, rank) => {
    c.order = rank;
  });
  const merged = mergeFragments(components, ws, minAreaPx, scan);
  for (const c of merged) fillConvexHull(c, ws, scan);
  return merged;
}

/**
 * Gives the 8-connected region of `kind` pixels around `seed` the label `label`, testing untested
 * pixels as it reaches them; foreground of the other kind it meets becomes a seed. Returns its extent.
 */
function floodFill(seed: number, kind: number, label: number, ws: BlobWorkspace, scan: ForegroundScan): Component {
  const { width, height, labels, stack, foreground } = ws;
  const { frame, background, thresholdSq, veilPixelSpread } = scan;
  // The extent is kept in locals (the Component is written once, at the end): this loop runs for every pixel of every region.
  let count = 0;
  let first = seed;
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  let seeds = scan.seeds;
  let top = 0;
  stack[top++] = seed;
  labels[seed] = label;
  while (top > 0) {
    const i = stack[--top] as number;
    const y = (i / width) | 0;
    const x = i - y * width;
    count++;
    if (i < first) first = i;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    const nx0 = x > 0 ? x - 1 : 0;
    const nx1 = x < width - 1 ? x + 1 : width - 1;
    const ny1 = y < height - 1 ? y + 1 : height - 1;
    for (let ny = y > 0 ? y - 1 : 0; ny <= ny1; ny++) {
      for (let j = ny * width + nx0, end = ny * width + nx1; j <= end; j++) {
        let state = labels[j] as number;
        if (state === 0) {
          // 0 is background or not yet tested: test it (a background pixel may be tested again, at no harm).
          // This is foregroundKind, with the arrays in locals.
          const p = 3 * j;
          if (distanceSq(frame, background, p) > thresholdSq) {
            state = kindOfForeground(frame, background, p, veilPixelSpread);
            if (state !== kind) {
              labels[j] = state;
              foreground[seeds++] = j;
            }
          }
        }
        if (state === kind) {
          labels[j] = label;
          stack[top++] = j;
        }
      }
    }
  }
  scan.seeds = seeds;
  return { label, first, order: 0, veil: kind === UNLABELLED_VEIL, opacitySpread: null, joinedVeil: false, count, minX, maxX, minY, maxY };
}

/** Fragments of one ball together span a box about as wide as high; a ball beside another region does not. */
const MERGED_MAX_ASPECT = 1.3;
/** ... and a box at most this much larger than the largest fragment's. */
const MERGED_MAX_GROWTH = 1.25;

/**
 * A region that fills its box as a disc does (π/4 = 0.785, less a ragged edge) and is about as wide
 * as high is a whole ball; a fragment (a crescent, a lit cap) fills less or is elongated.
 */
function isWholeDisc(c: Component): boolean {
  const w = c.maxX - c.minX + 1;
  const h = c.maxY - c.minY + 1;
  return c.count / (w * h) >= 0.7 && Math.max(w, h) / Math.min(w, h) <= 1.2;
}

/** Veil-like regions smaller than this, px, are noise, not the lit side of a ball. */
const MIN_VEIL_FRAGMENT_PX = 5;
/** The lit side of a shaded ball spans opacities from its limb to its highlight; an overlay shows one (noise: σ 0.03). */
const MIN_LIT_OPACITY_SPREAD = 0.1;

/** Standard deviation over a region's pixels of the white-layer opacity a = mean over channels of (p − b) / (255 − b). */
function opacitySpread(frame: Uint8Array, background: Float32Array, c: Component, ws: BlobWorkspace): number {
  const { width, labels } = ws;
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = c.minY; y <= c.maxY; y++) {
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[y * width + x] !== c.label) continue;
      const p = 3 * (y * width + x);
      let a = 0;
      for (let k = 0; k < 3; k++) a += ((frame[p + k] as number) - (background[p + k] as number)) / (255 - (background[p + k] as number)) / 3;
      count++;
      sum += a;
      sumSq += a * a;
    }
  }
  const mean = sum / count;
  return Math.sqrt(Math.max(0, sumSq / count - mean * mean));
}
/** Regions whose boxes come this close, px, may be fragments of one ball. */
const FRAGMENT_GAP_PX = 2;

/**
 * Joins regions whose boxes, grown by FRAGMENT_GAP_PX, overlap and together stay nearly square: the lit
 * and the shaded side of a ball that a wider band of wall colour separates. Relabels the pixels.
 */
function mergeFragments(components: Component[], ws: BlobWorkspace, minAreaPx: number, scan: ForegroundScan): Component[] {
  const margin = FRAGMENT_GAP_PX;
  // Measured on first need (most veils lie near no object): a veil's pixels do not change until it is joined.
  const spreadOf = (veil: Component): number => (veil.opacitySpread ??= opacitySpread(scan.frame, scan.background, veil, ws));
  // Specks are noise or compression ringing: joined to a ball, they would stretch its hull.
  const alive = components.filter((c) => c.count >= (c.veil ? MIN_VEIL_FRAGMENT_PX : minAreaPx)).sort((a, b) => b.count - a.count);
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < alive.length && !changed; i++) {
      const a = alive[i] as Component;
      for (let j = i + 1; j < alive.length; j++) {
        const b = alive[j] as Component;
        // Veil-like pixels join an object; alone, or with each other, they are a watermark.
        if (a.veil && b.veil) continue;
        if (b.minX > a.maxX + margin || a.minX > b.maxX + margin || b.minY > a.maxY + margin || a.minY > b.maxY + margin) continue;
        // Two whole balls side by side are two objects, not fragments of one.
        if (isWholeDisc(a) && isWholeDisc(b)) continue;
        const w = Math.max(a.maxX, b.maxX) - Math.min(a.minX, b.minX) + 1;
        const h = Math.max(a.maxY, b.maxY) - Math.min(a.minY, b.minY) + 1;
        if (Math.max(w, h) / Math.min(w, h) > MERGED_MAX_ASPECT) continue;
        // A fragment lies within the ball's extent, which its largest piece mostly spans (a shaded
        // side covers most of the limb); a region beside the ball would widen the box.
        const spanPx = Math.max(a.maxX - a.minX, a.maxY - a.minY, b.maxX - b.minX, b.maxY - b.minY) + 1;
        if (Math.max(w, h) > MERGED_MAX_GROWTH * spanPx) continue;
        // Only a range of opacities is the lit side of a shaded ball: a flat one is an overlay or a ghost.
        // One lit side per ball: a second veil-like piece beside it is an overlay's edge or a ghost.
        const veil = a.veil ? a : b.veil ? b : null;
        if (veil !== null && ((veil === a ? b : a).joinedVeil || spreadOf(veil) < MIN_LIT_OPACITY_SPREAD)) continue;
        const [kept, joined] = a.veil ? [b, a] : [a, b];
        if (joined.veil) kept.joinedVeil = true;
        relabel(joined, kept.label, ws);
        kept.count += joined.count;
        kept.minX = Math.min(kept.minX, joined.minX);
        kept.maxX = Math.max(kept.maxX, joined.maxX);
        kept.minY = Math.min(kept.minY, joined.minY);
        kept.maxY = Math.max(kept.maxY, joined.maxY);
        alive.splice(alive.indexOf(joined), 1);
        changed = true;
        break;
      }
    }
  }
  // A veil that joined no object is background as far as measuring goes (a ball's ring may cross it).
  for (const c of components) {
    if (!c.veil) continue;
    relabel(c, 0, ws);
    if (c.count >= MIN_VEIL_FRAGMENT_PX) ws.overlays.push(boxOf(c));
  }
  return alive.filter((c) => !c.veil).sort((a, b) => a.order - b.order);
}

function relabel(c: Component, label: number, ws: BlobWorkspace): void {
  const { width, labels } = ws;
  for (let y = c.minY; y <= c.maxY; y++) for (let x = c.minX; x <= c.maxX; x++) if (labels[y * width + x] === c.label) labels[y * width + x] = label;
}

/** Cross product (b − a) × (c − a): positive when a, b, c turn counter-clockwise. */
function cross(a: [number, number], b: [number, number], c: [number, number]): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** Convex hull of points sorted by x then y (Andrew's monotone chain), counter-clockwise. */
function convexHull(points: Array<[number, number]>): Array<[number, number]> {
  if (points.length < 3) return points;
  const lower: Array<[number, number]> = [];
  for (const p of points) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as [number, number], lower[lower.length - 1] as [number, number], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let k = points.length - 1; k >= 0; k--) {
    const p = points[k] as [number, number];
    while (upper.length >= 2 && cross(upper[upper.length - 2] as [number, number], upper[upper.length - 1] as [number, number], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * Gives the region every pixel whose centre lies inside the convex hull of its pixel centres (not
 * taken by another region) when the hull adds more than a ragged edge, and updates its count and
 * box. A ball is convex; what the hull adds is the part that happened to match the background.
 */
function fillConvexHull(c: Component, ws: BlobWorkspace, scan: ForegroundScan): void {
  const { width, labels } = ws;
  measureExtent(c, ws);
  const points: Array<[number, number]> = [];
  for (let y = c.minY; y <= c.maxY; y++) {
    let first = -1;
    let last = -1;
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[y * width + x] !== c.label) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first >= 0) points.push([first, y], [last, y]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hull = convexHull(points);
  const spans: Array<[number, number]> = [];
  let added = 0;
  for (let y = c.minY; y <= c.maxY && hull.length >= 3; y++) {
    // The hull's extent along row y: intersect every edge that spans the row.
    let left = Infinity;
    let right = -Infinity;
    for (let k = 0; k < hull.length; k++) {
      const a = hull[k] as [number, number];
      const b = hull[(k + 1) % hull.length] as [number, number];
      if ((a[1] - y) * (b[1] - y) > 0) continue;
      const x = a[1] === b[1] ? a[0] : a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      const x2 = a[1] === b[1] ? b[0] : x;
      left = Math.min(left, x, x2);
      right = Math.max(right, x, x2);
    }
    const span: [number, number] = [Math.ceil(left - 1e-9), Math.floor(right + 1e-9)];
    spans.push(span);
    for (let x = span[0]; x <= span[1]; x++) if (isFree(labels, y * width + x, scan)) added++;
  }
  // A thresholded disc is convex but for its ragged edge, which its hull fills up to a pixel deep
  // all round (2√(π·area) pixels); more than that is a part of the ball that matched the background.
  const strongPx = c.count;
  if (added > 2 * Math.sqrt(Math.PI * strongPx)) {
    spans.forEach(([left, right], k) => {
      const row = (c.minY + k) * width;
      for (let x = left; x <= right; x++) if (isFree(labels, row + x, scan)) labels[row + x] = c.label;
    });
  }
  measureExtent(c, ws);
}

/** Recounts a region's pixels and its box (after merging and filling its hull). */
function measureExtent(c: Component, ws: BlobWorkspace): void {
  const { width, labels } = ws;
  const box = { minX: c.maxX, maxX: c.minX, minY: c.maxY, maxY: c.minY };
  let count = 0;
  for (let y = c.minY; y <= c.maxY; y++) {
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[y * width + x] !== c.label) continue;
      count++;
      box.minX = Math.min(box.minX, x);
      box.maxX = Math.max(box.maxX, x);
      box.minY = Math.min(box.minY, y);
      box.maxY = Math.max(box.maxY, y);
    }
  }
  Object.assign(c, box, { count });
}

function isInterior(labels: Int32Array, width: number, height: number, x: number, y: number, label: number): boolean {
  const i = y * width + x;
  return (
    x > 0 &&
    y > 0 &&
    x < width - 1 &&
    y < height - 1 &&
    labels[i - 1] === label &&
    labels[i + 1] === label &&
    labels[i - width] === label &&
    labels[i + width] === label
  );
}

/**
 * True when the fully covered pixels of a region read as one translucent white layer over the
 * background: per channel a = (p − b) / (255 − b) agrees across channels and pixels, with 0.08 < a < 0.8.
 * A shaded ball fails it (its colour follows its shading, not the background).
 */
function isVeilRegion(frame: Uint8Array, background: Float32Array, c: Component, ws: BlobWorkspace, maxSpread: number): boolean {
  const { width, height, labels } = ws;
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  let channelSpread = 0;
  for (let y = c.minY; y <= c.maxY; y++) {
    for (let x = c.minX; x <= c.maxX; x++) {
      if (!isInterior(labels, width, height, x, y, c.label)) continue;
      const p = 3 * (y * width + x);
      let lo = Infinity;
      let hi = -Infinity;
      let mean = 0;
      for (let k = 0; k < 3; k++) {
        const b = background[p + k] as number;
        // Near-white background leaves a undefined: treat the region as opaque.
        if (255 - b < 16) return false;
        const a = ((frame[p + k] as number) - b) / (255 - b);
        lo = Math.min(lo, a);
        hi = Math.max(hi, a);
        mean += a / 3;
      }
      count++;
      sum += mean;
      sumSq += mean * mean;
      channelSpread += hi - lo;
    }
  }
  if (count < 5) return false;
  const meanA = sum / count;
  const spreadA = Math.sqrt(Math.max(0, sumSq / count - meanA * meanA));
  return meanA > 0.08 && meanA < 0.8 && spreadA < maxSpread && channelSpread / count < maxSpread;
}

/** Distance, in px, that coverage is summed beyond the thresholded edge (anti-aliasing, blur, compression). */
const RING_PX = 2;

/**
 * A partial disc fills at least this share of its box: a crescent, the shaded side of a ball whose
 * mid-tone matched the floor, fills about 0.5 (a whole disc π/4, a ragged one down to `minFill`).
 */
const PARTIAL_MIN_FILL = 0.4;

/**
 * Summed-area tables (Crow 1984) over a region's bounding box, so that a window sum costs four reads
 * instead of a scan of the window. Entry (Y, X), of `channels` channels, holds the sum over the box's
 * pixels above row Y and left of column X; the sums are of integers, hence exact in any order.
 */
function boxWindowSum(sums: Int32Array, channels: number, channel: number, c: Component, xa: number, ya: number, xb: number, yb: number): number {
  const stride = c.maxX - c.minX + 2;
  const left = (xa > c.minX ? xa : c.minX) - c.minX;
  const right = (xb < c.maxX ? xb : c.maxX) - c.minX + 1;
  const top = (ya > c.minY ? ya : c.minY) - c.minY;
  const bottom = (yb < c.maxY ? yb : c.maxY) - c.minY + 1;
  if (left >= right || top >= bottom) return 0;
  return (
    (sums[(bottom * stride + right) * channels + channel] as number) -
    (sums[(top * stride + right) * channels + channel] as number) -
    (sums[(bottom * stride + left) * channels + channel] as number) +
    (sums[(top * stride + left) * channels + channel] as number)
  );
}

/** Fills `ws.insideSums` with the summed-area table of the region's mask over its box (a region's pixels all lie in its box). */
function sumInside(c: Component, ws: BlobWorkspace): void {
  const { width, labels, insideSums } = ws;
  const stride = c.maxX - c.minX + 2;
  insideSums.fill(0, 0, stride);
  for (let y = c.minY; y <= c.maxY; y++) {
    const row = (y - c.minY + 1) * stride;
    insideSums[row] = 0;
    let rowSum = 0;
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[y * width + x] === c.label) rowSum++;
      insideSums[row + x - c.minX + 1] = (insideSums[row - stride + x - c.minX + 1] as number) + rowSum;
    }
  }
}

/**
 * True when every pixel within Chebyshev distance `depth` of (x, y) belongs to the region (whose mask
 * `sumInside` has summed): the (2·depth + 1)² window inside the frame holds that many region pixels.
 */
function isDeepInside(c: Component, ws: BlobWorkspace, x: number, y: number, depth: number): boolean {
  if (x < depth || y < depth || x >= ws.width - depth || y >= ws.height - depth) return false;
  const side = 2 * depth + 1;
  return boxWindowSum(ws.insideSums, 1, 0, c, x - depth, y - depth, x + depth, y + depth) === side * side;
}

/** Pixels a core colour needs before it is trusted; fewer, and a shallower core is used. */
const MIN_CORE_PX = 9;

/**
 * Mean colour of the region's core: pixels at least 2 px inside its edge, where compression's
 * blurred chroma (4:2:0 halves its resolution) has not mixed in the background; 1 px inside, or the
 * whole region, when the core is too small. A desaturated colour would inflate every edge coverage.
 * Needs the region's mask summed (`sumInside`).
 */
function coreColor(frame: Uint8Array, c: Component, ws: BlobWorkspace): [number, number, number] {
  const { width, labels } = ws;
  for (let depth = 1; depth >= 0; depth--) {
    let count = 0;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let y = c.minY; y <= c.maxY; y++) {
      for (let x = c.minX; x <= c.maxX; x++) {
        if (labels[y * width + x] !== c.label || !isDeepInside(c, ws, x, y, depth)) continue;
        const p = 3 * (y * width + x);
        count++;
        r += frame[p] as number;
        g += frame[p + 1] as number;
        b += frame[p + 2] as number;
      }
    }
    if (count >= MIN_CORE_PX || (depth === 0 && count > 0)) return [r / count, g / count, b / count];
  }
  return [0, 0, 0];
}

/**
 * Pixels at least this far inside the thresholded region count as fully covered. Compression blurs
 * colour about a pixel outwards (4:2:0 chroma), which grows the region by a pixel; with a depth of 1
 * the partly covered true edge would count as full and the radius come out 0.25 px too large.
 */
const CORE_DEPTH_PX = 2;
/** Reach of the local object colour: core pixels this close (Chebyshev) to an edge pixel. */
const LOCAL_PX = 3;

/**
 * Fills `ws.coreSums` with the summed-area table of the region's core pixels (CORE_DEPTH_PX inside
 * its edge) over its box, four channels: count, R, G, B. Needs the region's mask summed (`sumInside`).
 */
function sumCore(frame: Uint8Array, c: Component, ws: BlobWorkspace): void {
  const { width, coreSums } = ws;
  const stride = c.maxX - c.minX + 2;
  coreSums.fill(0, 0, 4 * stride);
  for (let y = c.minY; y <= c.maxY; y++) {
    const row = (y - c.minY + 1) * stride;
    coreSums.fill(0, 4 * row, 4 * row + 4);
    let count = 0;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let x = c.minX; x <= c.maxX; x++) {
      if (isDeepInside(c, ws, x, y, CORE_DEPTH_PX)) {
        const p = 3 * (y * width + x);
        count++;
        r += frame[p] as number;
        g += frame[p + 1] as number;
        b += frame[p + 2] as number;
      }
      const at = 4 * (row + x - c.minX + 1);
      const above = at - 4 * stride;
      coreSums[at] = (coreSums[above] as number) + count;
      coreSums[at + 1] = (coreSums[above + 1] as number) + r;
      coreSums[at + 2] = (coreSums[above + 2] as number) + g;
      coreSums[at + 3] = (coreSums[above + 3] as number) + b;
    }
  }
}

/** A projection on the object colour below −this is not ring noise (σ 2 gives a few hundredths) but an oppositely shaded part. */
const OPPOSED_ALPHA = 0.25;

/**
 * Share of a region's pixels whose colour opposes the region's mean for it to count as two-toned:
 * a white ball on a grey wall shows 0.2 to 0.45, a coloured ball's highlight and rim up to 0.16.
 */
const MIN_OPPOSED_SHARE = 0.2;

/**
 * True when a good share of the region differs from the background in the direction opposite to the
 * region's mean difference: a pale ball whose lit side is lighter and shaded side darker than a grey
 * wall (a coloured ball's highlight still leans its way). Such an object has no one colour to judge
 * an edge pixel's coverage against, so its hull-filled mask is its area.
 */
function isTwoToned(frame: Uint8Array, background: Float32Array, c: Component, ws: BlobWorkspace, thresholdSq: number): boolean {
  const { width, labels } = ws;
  // Sums of the differences (not yet divided: the sign of the dot product below is all that counts).
  let meanR = 0;
  let meanG = 0;
  let meanB = 0;
  let count = 0;
  for (let y = c.minY; y <= c.maxY; y++) {
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[y * width + x] !== c.label) continue;
      const p = 3 * (y * width + x);
      meanR = meanR + (frame[p] as number) - (background[p] as number);
      meanG = meanG + (frame[p + 1] as number) - (background[p + 1] as number);
      meanB = meanB + (frame[p + 2] as number) - (background[p + 2] as number);
      count++;
    }
  }
  if (count === 0) return false;
  let opposed = 0;
  for (let y = c.minY; y <= c.maxY; y++) {
    for (let x = c.minX; x <= c.maxX; x++) {
      if (labels[y * width + x] !== c.label) continue;
      const p = 3 * (y * width + x);
      const dr = (frame[p] as number) - (background[p] as number);
      const dg = (frame[p + 1] as number) - (background[p + 1] as number);
      const db = (frame[p + 2] as number) - (background[p + 2] as number);
      const dot = dr * meanR + dg * meanG + db * meanB;
      const distanceSq = dr * dr + dg * dg + db * db;
      if (dot < 0 && distanceSq > thresholdSq) opposed++;
    }
  }
  return opposed >= MIN_OPPOSED_SHARE * count;
}

/**
 * Measures one region by coverage: fully covered (interior) pixels count 1; edge pixels and a ring
 * of RING_PX around them count α = (p − b)·(c − b) / |c − b|², the share of the object colour c (the
 * interior's colour next to the pixel) in the pixel p over its background b (linear mixing, as
 * anti-aliasing and blur produce). Centre =
 * coverage-weighted mean, radius = sqrt(Σα / π), shape from the coverage-weighted covariance.
 */
function measure(frame: Uint8Array, background: Float32Array, c: Component, ws: BlobWorkspace, scan: ForegroundScan, cover: boolean): Blob | null {
  const { thresholdSq } = scan;
  const { width, height, labels, covered, insideSums, coreSums, coverage } = ws;
  sumInside(c, ws);
  const rgb = coreColor(frame, c, ws);
  const twoToned = isTwoToned(frame, background, c, ws, thresholdSq);
  if (!twoToned) sumCore(frame, c, ws);
  const x0 = Math.max(0, c.minX - RING_PX);
  const x1 = Math.min(width - 1, c.maxX + RING_PX);
  const y0 = Math.max(0, c.minY - RING_PX);
  const y1 = Math.min(height - 1, c.maxY + RING_PX);
  // Below this contrast between object and local background, α is mostly noise: use the mask instead.
  const minContrastSq = thresholdSq / 4;
  let area = 0;
  let sumX = 0;
  let sumY = 0;
  // Second moments about the box corner (x0, y0), which keeps the sums small for the central moments below.
  let sumXX = 0;
  let sumYY = 0;
  let sumXY = 0;
  const boxWidth = x1 - x0 + 1;
  coverage.fill(0, 0, boxWidth * (y1 - y0 + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      const label = labels[i] as number;
      const inside = label === c.label;
      // Outside pixels count when free and within RING_PX (Chebyshev) of the region.
      if (!inside && (!isFree(labels, i, scan) || boxWindowSum(insideSums, 1, 0, c, x - RING_PX, y - RING_PX, x + RING_PX, y + RING_PX) === 0)) continue;
      if (cover) covered[i] = 1;
      let alpha = inside ? 1 : 0;
      if (!twoToned && !(inside && isDeepInside(c, ws, x, y, CORE_DEPTH_PX))) {
        const p = 3 * i;
        // The local object colour: the mean of the core pixels within LOCAL_PX, else the core colour.
        const near = boxWindowSum(coreSums, 4, 0, c, x - LOCAL_PX, y - LOCAL_PX, x + LOCAL_PX, y + LOCAL_PX);
        const localR = near === 0 ? rgb[0] : boxWindowSum(coreSums, 4, 1, c, x - LOCAL_PX, y - LOCAL_PX, x + LOCAL_PX, y + LOCAL_PX) / near;
        const localG = near === 0 ? rgb[1] : boxWindowSum(coreSums, 4, 2, c, x - LOCAL_PX, y - LOCAL_PX, x + LOCAL_PX, y + LOCAL_PX) / near;
        const localB = near === 0 ? rgb[2] : boxWindowSum(coreSums, 4, 3, c, x - LOCAL_PX, y - LOCAL_PX, x + LOCAL_PX, y + LOCAL_PX) / near;
        const br = background[p] as number;
        const bgG = background[p + 1] as number;
        const bb = background[p + 2] as number;
        const cr = localR - br;
        const cg = localG - bgG;
        const cb = localB - bb;
        const contrastSq = cr * cr + cg * cg + cb * cb;
        if (contrastSq < minContrastSq) {
          alpha = inside ? 1 : 0;
        } else {
          const dot = ((frame[p] as number) - br) * cr + ((frame[p + 1] as number) - bgG) * cg + ((frame[p + 2] as number) - bb) * cb;
          // Unclamped below 0 so noise in the outer ring averages out instead of adding area; far
          // below 0 is no noise but the ball's other side (a lit cap over a grey wall), counted by size.
          const projected = dot / contrastSq;
          alpha = projected < -OPPOSED_ALPHA ? Math.min(1, -projected) : Math.min(1, projected);
        }
      }
      coverage[(y - y0) * boxWidth + (x - x0)] = alpha;
      area += alpha;
      sumX += alpha * x;
      sumY += alpha * y;
      sumXX += alpha * (x - x0) * (x - x0);
      sumYY += alpha * (y - y0) * (y - y0);
      sumXY += alpha * (x - x0) * (y - y0);
    }
  }
  if (!(area > 0)) return null;
  const xPx = sumX / area;
  const yPx = sumY / area;
  const dx = xPx - x0;
  const dy = yPx - y0;
  const shape = shapeFromMoments(sumXX / area - dx * dx, sumYY / area - dy * dy, sumXY / area - dx * dy);
  const limb = limbOf(coverage, boxWidth, y1 - y0 + 1);
  return { xPx, yPx, radiusPx: Math.sqrt(area / Math.PI), areaPx: area, rgb, shape, ...(limb === null ? {} : { limbRadiusPx: limb.radiusPx }) };
}

/**
 * Finds disc-like regions that differ from the background: threshold on RGB distance, 8-connected
 * components, filters on area, fill of the bounding box, aspect and translucent overlays, then coverage-weighted sub-pixel
 * centre and radius. Fills `ws.covered` with the pixels of every accepted region and a ring around
 * it (kept out of the background update).
 */
export function detectBlobs(
  frame: Uint8Array,
  background: Float32Array,
  thresholdDistance: number,
  ws: BlobWorkspace,
  options: BlobOptions = BLOB_DEFAULTS,
): Blob[] {
  const thresholdSq = thresholdDistance * thresholdDistance;
  ws.overlays.length = 0;
  ws.ghosts.length = 0;
  ws.partials.length = 0;
  const scan: ForegroundScan = { frame, background, thresholdSq, veilPixelSpread: options.veilPixelSpread, seeds: 0 };
  const components = labelComponents(scan, options.minAreaPx, ws);
  ws.covered.fill(0);
  const maxArea = options.maxAreaShare * ws.width * ws.height;
  const blobs: Blob[] = [];
  for (const c of components) {
    if (c.count < options.minAreaPx || c.count > maxArea) continue;
    const w = c.maxX - c.minX + 1;
    const h = c.maxY - c.minY + 1;
    const fill = c.count / (w * h);
    // Rejected regions stay uncovered: the background learns them (a watermark that sat in the first frames, say).
    if (Math.max(w, h) / Math.min(w, h) > options.maxAspect || fill < Math.min(options.minFill, PARTIAL_MIN_FILL)) continue;
    // Filling its box less than a disc does, it is a partial disc: measured, but neither a blob, an overlay nor a ghost.
    const partial = fill < options.minFill;
    if (isVeilRegion(frame, background, c, ws, options.veilMaxSpread)) {
      if (!partial) ws.overlays.push(boxOf(c));
      continue;
    }
    if (isGhost(frame, background, ws.labels, ws.width, ws.height, c)) {
      if (!partial) ws.ghosts.push({ label: c.label, ...boxOf(c) });
      continue;
    }
    const blob = measure(frame, background, c, ws, scan, !partial);
    if (blob !== null) (partial ? ws.partials : blobs).push(blob);
  }
  return blobs;
}

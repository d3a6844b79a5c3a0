/**
 * Ghosts: foreground where the background model holds an object the frame does not show. A ball that
 * rests where it landed for most of the first 1.5 s enters the starting median, and in the frames
 * before it lands the bare floor there reads as an object, which the falling ball then merges with.
 * An object's outline is an edge in the frame; a ghost's outline is an edge in the background only,
 * the frame showing the scene running on across it (after Cucchiara et al. 2003, who tell ghosts from
 * objects by what the frame shows at the region).
 */

/** A region is a ghost when the background's edges along its outline are this many times the frame's. */
const GHOST_EDGE_RATIO = 3;

/** A region's pixels: `labels` holds `label` on them inside the box (inclusive). */
export interface LabelledRegion {
  label: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Gradient magnitude at pixel (x, y) of an RGB image: Σ over channels of |∂x| + |∂y| by central differences (one-sided at the border). */
function gradientAt(image: Uint8Array | Float32Array, width: number, height: number, x: number, y: number): number {
  const left = 3 * (y * width + Math.max(0, x - 1));
  const right = 3 * (y * width + Math.min(width - 1, x + 1));
  const up = 3 * (Math.max(0, y - 1) * width + x);
  const down = 3 * (Math.min(height - 1, y + 1) * width + x);
  let sum = 0;
  for (let k = 0; k < 3; k++) {
    sum += Math.abs((image[right + k] as number) - (image[left + k] as number));
    sum += Math.abs((image[down + k] as number) - (image[up + k] as number));
  }
  return sum;
}

/**
 * True when the region's outline (its pixels with a 4-neighbour outside it) is an edge in the
 * background GHOST_EDGE_RATIO times stronger than in the frame.
 */
export function isGhost(frame: Uint8Array, background: Float32Array, labels: Int32Array, width: number, height: number, region: LabelledRegion): boolean {
  const { label } = region;
  const inRegion = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === label;
  let frameEdge = 0;
  let backgroundEdge = 0;
  for (let y = region.minY; y <= region.maxY; y++) {
    for (let x = region.minX; x <= region.maxX; x++) {
      if (!inRegion(x, y)) continue;
      if (inRegion(x - 1, y) && inRegion(x + 1, y) && inRegion(x, y - 1) && inRegion(x, y + 1)) continue;
      frameEdge += gradientAt(frame, width, height, x, y);
      backgroundEdge += gradientAt(background, width, height, x, y);
    }
  }
  return backgroundEdge > GHOST_EDGE_RATIO * frameEdge;
}

/**
 * How open the mouth is in each frame. A face landmarker gives the inner lips: the opening is their
 * gap over the mouth's width. A face detector gives only the mouth centre and the face box: the
 * opening is then read from the pixels, as how far the middle of the mouth region departs from the
 * skin around it (an open mouth shows a dark cavity and bright teeth).
 */
import type { FaceSighting, PointPx } from './lip-sync-browser.js';

/** The mouth region, in face-box widths, and the grid it is resampled to so every frame weighs alike. */
export const MOUTH_REGION = { widthOfFace: 0.5, heightOfFace: 0.34, gridWidth: 32, gridHeight: 22 } as const;

/**
 * The brightness a mouth region is divided by: its upper quartile, skin around the lips even when a
 * wide-open mouth covers half the region (a median would then fall inside the mouth).
 */
export const SKIN_QUANTILE = 0.75;

/** Inner-lip gap over the distance between the mouth corners (a mouth aspect ratio). */
export function lipOpening(lips: NonNullable<FaceSighting['lips']>): number {
  const width = distance(lips.left, lips.right);
  return width > 0 ? distance(lips.upper, lips.lower) / width : Number.NaN;
}

function distance(a: PointPx, b: PointPx): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * The mouth region of a grey frame, resampled (bilinear) to MOUTH_REGION's grid and divided by its
 * SKIN_QUANTILE so lighting changes cancel; null when the face has no mouth point or the region leaves the
 * frame. `scale` maps the sighting's pixels to the grey frame's.
 */
export function mouthPatch(gray: Uint8Array, width: number, height: number, sighting: FaceSighting, scale: number): Float32Array | null {
  if (sighting.mouth === null) return null;
  const regionWidth = MOUTH_REGION.widthOfFace * sighting.box.width * scale;
  const regionHeight = MOUTH_REGION.heightOfFace * sighting.box.width * scale;
  const left = sighting.mouth.x * scale - regionWidth / 2;
  const top = sighting.mouth.y * scale - regionHeight / 2;
  if (left < 0 || top < 0 || left + regionWidth > width - 1 || top + regionHeight > height - 1 || regionWidth < 4) return null;
  const { gridWidth, gridHeight } = MOUTH_REGION;
  const patch = new Float32Array(gridWidth * gridHeight);
  for (let gy = 0; gy < gridHeight; gy++) {
    const y = top + ((gy + 0.5) * regionHeight) / gridHeight;
    const y0 = Math.floor(y);
    const fy = y - y0;
    for (let gx = 0; gx < gridWidth; gx++) {
      const x = left + ((gx + 0.5) * regionWidth) / gridWidth;
      const x0 = Math.floor(x);
      const fx = x - x0;
      const i = y0 * width + x0;
      const top2 = gray[i]! * (1 - fx) + gray[i + 1]! * fx;
      const bottom2 = gray[i + width]! * (1 - fx) + gray[i + width + 1]! * fx;
      patch[gy * gridWidth + gx] = top2 * (1 - fy) + bottom2 * fy;
    }
  }
  const skin = quantile(Array.from(patch), SKIN_QUANTILE);
  if (skin <= 0) return null;
  for (let i = 0; i < patch.length; i++) patch[i]! /= skin;
  return patch;
}

/** Departures from skin brightness smaller than this (a fraction of it) are shading, not mouth. */
export const SKIN_TOLERANCE = 0.1;

/**
 * How far the centre of a mouth patch departs from skin: the mean of max(0, |v − 1| − SKIN_TOLERANCE)
 * over the middle of the patch (the outer quarter-widths and three rows each side left out, cheeks
 * and chin). An opening mouth shows a dark cavity and bright teeth, both far from skin; closed lips
 * add a roughly constant part. On real faces darkness alone fails: teeth brighten an open mouth.
 */
export function mouthContrast(patch: Float32Array): number {
  const { gridWidth, gridHeight } = MOUTH_REGION;
  const marginX = Math.round(gridWidth * 0.2);
  const marginY = 3;
  let sum = 0;
  let count = 0;
  for (let y = marginY; y < gridHeight - marginY; y++) {
    for (let x = marginX; x < gridWidth - marginX; x++) {
      sum += Math.max(0, Math.abs(patch[y * gridWidth + x]! - 1) - SKIN_TOLERANCE);
      count++;
    }
  }
  return sum / count;
}

/** Linear-interpolation quantile (type 7); sorts `values` in place. */
function quantile(values: number[], q: number): number {
  const sorted = values.sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

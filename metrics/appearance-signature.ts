/**
 * A compact appearance signature of each detected object, taken while its pixels are at hand (the
 * trajectory metric records it per frame, since `finish` no longer has the frames): the mean colour
 * of the inner disc and a texture measure, so that a later metric can follow each tracked object's
 * colour and texture over time.
 */
import { round } from './rounding.js';

/** Only the inner part of the disc is read: its rim blends with the background and its shading edge. */
export const SIGNATURE_INNER_RADIUS = 0.7;

/** One sighting's signature: frame index, time (s), mean R, G, B of the inner disc (0-255), and its luma's coefficient of variation. */
export type AppearanceSample = [frameIndex: number, timeS: number, red: number, green: number, blue: number, lumaVariation: number];

/** The signatures of one tracked object, in time order. */
export interface ObjectAppearance {
  id: number;
  samples: AppearanceSample[];
}

interface DiscAt {
  xPx: number;
  yPx: number;
  radiusPx: number;
}

/**
 * Mean RGB over the pixels whose centres lie within `SIGNATURE_INNER_RADIUS`·r of the centre, and the
 * coefficient of variation σ/μ of their luma (BT.601): a texture measure that does not change with
 * exposure. Null when no pixel centre falls inside (a disc under a pixel wide).
 */
export function discSignature(rgb: Uint8Array, width: number, height: number, disc: DiscAt): [number, number, number, number] | null {
  const inner = disc.radiusPx * SIGNATURE_INNER_RADIUS;
  const r2 = inner * inner;
  const x0 = Math.max(0, Math.ceil(disc.xPx - inner));
  const x1 = Math.min(width - 1, Math.floor(disc.xPx + inner));
  const y0 = Math.max(0, Math.ceil(disc.yPx - inner));
  const y1 = Math.min(height - 1, Math.floor(disc.yPx + inner));
  let count = 0;
  let red = 0;
  let green = 0;
  let blue = 0;
  let luma = 0;
  let luma2 = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if ((x - disc.xPx) ** 2 + (y - disc.yPx) ** 2 > r2) continue;
      const i = 3 * (y * width + x);
      const r = rgb[i]!;
      const g = rgb[i + 1]!;
      const b = rgb[i + 2]!;
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      red += r;
      green += g;
      blue += b;
      luma += l;
      luma2 += l * l;
      count++;
    }
  }
  if (count === 0) return null;
  const meanLuma = luma / count;
  const variation = meanLuma > 0 ? Math.sqrt(Math.max(0, luma2 / count - meanLuma * meanLuma)) / meanLuma : 0;
  return [red / count, green / count, blue / count, variation];
}

/**
 * Signatures of every detection, kept per frame (a few numbers per object), and handed out per
 * track afterwards by matching each track point to the detection of its frame nearest to it.
 */
export class AppearanceLog {
  private readonly byFrame = new Map<number, Array<{ xPx: number; yPx: number; signature: [number, number, number, number] }>>();

  record(frameIndex: number, rgb: Uint8Array, width: number, height: number, detections: readonly DiscAt[]): void {
    const found: Array<{ xPx: number; yPx: number; signature: [number, number, number, number] }> = [];
    for (const detection of detections) {
      const signature = discSignature(rgb, width, height, detection);
      if (signature !== null) found.push({ xPx: detection.xPx, yPx: detection.yPx, signature });
    }
    if (found.length > 0) this.byFrame.set(frameIndex, found);
  }

  /** The samples of a track whose points are in the same (analysis) pixels as the detections. */
  samplesFor(points: ReadonlyArray<{ frameIndex: number; timeS: number; xPx: number; yPx: number; radiusPx: number }>): AppearanceSample[] {
    const samples: AppearanceSample[] = [];
    for (const point of points) {
      let best: { distance: number; signature: [number, number, number, number] } | null = null;
      for (const detection of this.byFrame.get(point.frameIndex) ?? []) {
        const distance = Math.hypot(detection.xPx - point.xPx, detection.yPx - point.yPx);
        if (distance <= point.radiusPx && (best === null || distance < best.distance)) best = { distance, signature: detection.signature };
      }
      if (best === null) continue;
      const [r, g, b, variation] = best.signature;
      samples.push([point.frameIndex, round(point.timeS, 4), round(r, 2), round(g, 2), round(b, 2), round(variation, 4)]);
    }
    return samples;
  }
}

import { clampByte, type RasterSize } from './frame-buffer.js';
import { mulberry32 } from './prng.js';

/** Size as fractions of the frame, opacity, and drift speed in frame widths per second. */
export const WATERMARK_LOOK = {
  widthFraction: 0.2,
  heightFraction: 0.08,
  opacity: 0.35,
  speed: 0.12,
} as const;

/**
 * A translucent logo-like block (a rounded plate with a ring and a bar cut out) that drifts across
 * the frame and bounces off its borders, like the watermark generated videos carry.
 */
export class Watermark {
  private readonly widthPx: number;
  private readonly heightPx: number;
  private readonly startXPx: number;
  private readonly startYPx: number;
  private readonly vxPxS: number;
  private readonly vyPxS: number;
  private readonly mask: Float32Array;

  constructor(
    private readonly size: RasterSize,
    seed: number,
  ) {
    const d = WATERMARK_LOOK;
    const random = mulberry32(seed ^ 0x3a7e_4a2c);
    this.widthPx = Math.max(8, Math.round(size.width * d.widthFraction));
    this.heightPx = Math.max(4, Math.round(size.height * d.heightFraction));
    this.startXPx = random() * (size.width - this.widthPx);
    this.startYPx = random() * (size.height - this.heightPx);
    const angle = 2 * Math.PI * random();
    const speed = d.speed * size.width;
    this.vxPxS = speed * Math.cos(angle);
    this.vyPxS = speed * Math.sin(angle);
    this.mask = this.logoMask();
  }

  /** Opacity per pixel of the block: a rounded plate with a ring and a bar left transparent. */
  private logoMask(): Float32Array {
    const { widthPx: w, heightPx: h } = this;
    const mask = new Float32Array(w * h);
    const corner = h / 3;
    const ringX = h / 2;
    const ringY = h / 2;
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        const cx = Math.min(Math.max(x + 0.5, corner), w - corner);
        const cy = Math.min(Math.max(y + 0.5, corner), h - corner);
        const insidePlate = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= corner;
        const ringDistance = Math.hypot(x + 0.5 - ringX, y + 0.5 - ringY);
        const inRing = ringDistance > h * 0.18 && ringDistance < h * 0.32;
        const inBar = x > h * 1.05 && x < w - h * 0.4 && Math.abs(y + 0.5 - h / 2) < h * 0.12;
        mask[y * w + x] = insidePlate && !inRing && !inBar ? WATERMARK_LOOK.opacity : 0;
      }
    }
    return mask;
  }

  /** Top-left corner at `timeS`: linear drift folded back at the borders (a triangle wave). */
  positionAt(timeS: number): { xPx: number; yPx: number } {
    const fold = (start: number, speed: number, span: number): number => {
      if (span <= 0) return 0;
      const travelled = (((start + speed * timeS) % (2 * span)) + 2 * span) % (2 * span);
      return travelled <= span ? travelled : 2 * span - travelled;
    };
    return {
      xPx: fold(this.startXPx, this.vxPxS, this.size.width - this.widthPx),
      yPx: fold(this.startYPx, this.vyPxS, this.size.height - this.heightPx),
    };
  }

  /** Blends the watermark (white) over the frame at its position at `timeS`. */
  draw(rgb: Uint8Array, timeS: number): void {
    const { xPx, yPx } = this.positionAt(timeS);
    const left = Math.round(xPx);
    const top = Math.round(yPx);
    const { width, height } = this.size;
    for (let y = 0; y < this.heightPx; y += 1) {
      const row = top + y;
      if (row < 0 || row >= height) continue;
      for (let x = 0; x < this.widthPx; x += 1) {
        const column = left + x;
        const alpha = this.mask[y * this.widthPx + x] ?? 0;
        if (alpha === 0 || column < 0 || column >= width) continue;
        const k = (row * width + column) * 3;
        for (let c = 0; c < 3; c += 1) rgb[k + c] = clampByte((rgb[k + c] ?? 0) * (1 - alpha) + 255 * alpha);
      }
    }
  }
}

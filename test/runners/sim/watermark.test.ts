import { describe, expect, it } from 'vitest';
import { Watermark } from '../../../runners/sim/watermark.js';

const SIZE = { width: 320, height: 180 };

describe('Watermark', () => {
  it('drifts a translucent block across the frame', () => {
    const watermark = new Watermark(SIZE, 1);
    const start = watermark.positionAt(0);
    const later = watermark.positionAt(1);
    expect(Math.hypot(later.xPx - start.xPx, later.yPx - start.yPx)).toBeGreaterThan(10);
    const frame = new Uint8Array(SIZE.width * SIZE.height * 3).fill(100);
    watermark.draw(frame, 0);
    const brightest = frame.reduce((max, value) => Math.max(max, value), 0);
    expect(brightest).toBeGreaterThan(140);
    expect(brightest).toBeLessThan(200);
  });
});

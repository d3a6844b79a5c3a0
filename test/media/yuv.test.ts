import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../../media/frames.js';
import { colorMatrixOf, probeVideo } from '../../media/probe.js';
import type { ColorMatrix } from '../../media/types.js';
import { lumaFromYuv, YuvToRgb } from '../../media/yuv.js';
import { fixtureDir, makeWithFfmpeg } from './fixtures.js';

const fixtures = fixtureDir('yuv');
const source = ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=10:duration=0.3'];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18'];

beforeAll(async () => {
  await makeWithFfmpeg([...source, ...h264, '-pix_fmt', 'yuv420p', fixtures.file('untagged.mp4')]);
  await makeWithFfmpeg([...source, ...h264, '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', fixtures.file('bt709.mp4')]);
  await makeWithFfmpeg([...source, ...h264, '-pix_fmt', 'yuvj420p', fixtures.file('full-range.mp4')]);
});

afterAll(() => fixtures.remove());

/** One pixel in planar yuv444p. */
function rgbOf(matrix: ColorMatrix, y: number, cb: number, cr: number): number[] {
  return [...new YuvToRgb(matrix).convert(Uint8Array.from([y, cb, cr]), 1)];
}

async function firstFrame(path: string, pixelFormat: 'rgb24' | 'yuv444p'): Promise<Uint8Array> {
  for await (const frame of readFrames(path, { pixelFormat, width: 320, height: 180 })) return frame.data;
  throw new Error(`${path}: no frame`);
}

describe('YuvToRgb', () => {
  it('gives the primaries, white and black from their limited-range codes in BT.601 and BT.709', () => {
    // Codes of the standards' colour bars at 100% (rounded to integers, hence ±2).
    const close = (got: number[], want: number[]): void => got.forEach((v, c) => expect(Math.abs(v - want[c]!)).toBeLessThanOrEqual(2));
    close(rgbOf('bt601', 81, 90, 240), [255, 0, 0]);
    close(rgbOf('bt601', 145, 54, 34), [0, 255, 0]);
    close(rgbOf('bt601', 41, 240, 110), [0, 0, 255]);
    close(rgbOf('bt709', 63, 102, 240), [255, 0, 0]);
    close(rgbOf('bt709', 173, 42, 26), [0, 255, 0]);
    close(rgbOf('bt709', 32, 240, 118), [0, 0, 255]);
    expect(rgbOf('bt601', 235, 128, 128)).toEqual([255, 255, 255]);
    expect(rgbOf('bt709', 16, 128, 128)).toEqual([0, 0, 0]);
    // Below black and above white clip.
    expect(rgbOf('bt601', 0, 128, 128)).toEqual([0, 0, 0]);
    expect(rgbOf('bt601', 255, 128, 128)).toEqual([255, 255, 255]);
  });

  it("matches ffmpeg's own RGB of the same downscaled frames within 2 levels, for untagged, BT.709 and full-range clips", async () => {
    for (const name of ['untagged', 'bt709', 'full-range']) {
      const path = fixtures.file(`${name}.mp4`);
      const info = await probeVideo(path);
      const expected = await firstFrame(path, 'rgb24');
      const rgb = new YuvToRgb(info.colorMatrix ?? 'bt601').convert(await firstFrame(path, 'yuv444p'), 320 * 180);
      let worst = 0;
      let sum = 0;
      rgb.forEach((value, i) => {
        const difference = Math.abs(value - expected[i]!);
        worst = Math.max(worst, difference);
        sum += difference;
      });
      expect(worst, name).toBeLessThanOrEqual(2);
      expect(sum / rgb.length, name).toBeLessThan(0.35);
    }
  });

  it('equals the per-term fixed-point sum, clamped, on random code triples, any frame length and any output offset', () => {
    // The straightforward conversion the lookup tables stand for: each term rounded to 16 fractional bits, summed, shifted.
    const weights: Record<ColorMatrix, [number, number]> = { bt601: [0.299, 0.114], bt709: [0.2126, 0.0722], bt2020: [0.2627, 0.0593] };
    const clamp = (v: number): number => Math.min(255, Math.max(0, v));
    let seed = 7;
    const randomCode = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
    for (const matrix of ['bt601', 'bt709', 'bt2020'] as const) {
      const [kr, kb] = weights[matrix];
      const kg = 1 - kr - kb;
      const term = (coefficient: number, code: number): number => Math.round(coefficient * (code - 128) * (255 / 224) * 65536);
      const expected = (y: number, cb: number, cr: number): number[] => {
        const luma = Math.round((y - 16) * (255 / 219) * 65536) + 32768;
        return [
          clamp((luma + term(2 * (1 - kr), cr)) >> 16),
          clamp((luma + term((-2 * kb * (1 - kb)) / kg, cb) + term((-2 * kr * (1 - kr)) / kg, cr)) >> 16),
          clamp((luma + term(2 * (1 - kb), cb)) >> 16),
        ];
      };
      const converter = new YuvToRgb(matrix);
      // 4n + 0..3 pixels: whole words and every tail; planes and output at odd offsets in their buffers.
      for (const pixels of [20_000, 4001, 4002, 4003, 1]) {
        const planes = new Uint8Array(3 * pixels + 1).subarray(1);
        planes.forEach((_, k) => (planes[k] = randomCode()));
        const out = new Uint8Array(3 * pixels + 1).subarray(1);
        converter.convert(planes, pixels, out);
        const want = new Uint8Array(3 * pixels);
        for (let i = 0; i < pixels; i++) want.set(expected(planes[i]!, planes[pixels + i]!, planes[2 * pixels + i]!), 3 * i);
        expect(Buffer.compare(out, want), `${matrix}, ${pixels} px`).toBe(0);
      }
    }
  });

  it('refuses a buffer that is not three planes of the given size', () => {
    expect(() => new YuvToRgb('bt601').convert(new Uint8Array(10), 4)).toThrow(/three planes of 4 pixels/);
  });
});

describe('lumaFromYuv', () => {
  it("expands the Y' plane from limited range: 16 → 0, 235 → 255, 126 → 128", () => {
    expect([...lumaFromYuv(Uint8Array.from([16, 235, 126, 0, 255, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]), 5)]).toEqual([0, 255, 128, 0, 255]);
  });
});

describe('colour matrix from the probe', () => {
  it('reads bt709 and BT.2020 tags, and leaves untagged video to BT.601', async () => {
    expect((await probeVideo(fixtures.file('bt709.mp4'))).colorMatrix).toBe('bt709');
    expect((await probeVideo(fixtures.file('untagged.mp4'))).colorMatrix).toBeUndefined();
    expect(colorMatrixOf('bt2020nc')).toBe('bt2020');
    expect(colorMatrixOf('smpte170m')).toBe('bt601');
    expect(colorMatrixOf('unknown')).toBeNull();
  });
});

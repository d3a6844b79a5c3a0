import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrames } from '../../media/frames.js';
import { findFfmpeg } from '../../media/locate.js';
import { probeVideo } from '../../media/probe.js';
import type { Frame } from '../../media/types.js';
import { YuvToRgb } from '../../media/yuv.js';
import { fixtureDir, makeWithFfmpeg } from './fixtures.js';

const fixtures = fixtureDir('frames-planes');
const FRAMES = 4;
const source = (pixelFormat: string, size: string): string[] => [
  '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${FRAMES / 30}`,
  '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20', '-pix_fmt', pixelFormat,
];

/** What ffmpeg's scaler alone gives: every frame scaled to `width`x`height` yuv444p with area averaging. */
function plainScale(path: string, width: number, height: number): Buffer {
  return execFileSync(findFfmpeg(), ['-v', 'error', '-i', path, '-vf', `scale=${width}:${height}:flags=area`, '-pix_fmt', 'yuv444p', '-f', 'rawvideo', 'pipe:1'], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function allPlanes(path: string, width: number, height: number): Promise<Buffer> {
  const frames: Buffer[] = [];
  for await (const frame of readFrames(path, { pixelFormat: 'yuv444p', width, height })) frames.push(Buffer.from(frame.data));
  return Buffer.concat(frames);
}

beforeAll(async () => {
  await makeWithFfmpeg([...source('yuv420p', '1280x720'), fixtures.file('420-720p.mp4')]);
  await makeWithFfmpeg([...source('yuv420p', '960x540'), fixtures.file('420-540p.mp4')]);
  await makeWithFfmpeg([...source('yuvj420p', '640x360'), fixtures.file('j420.mp4')]);
  const bt709 = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];
  await makeWithFfmpeg([...source('yuv420p', '640x360'), ...bt709, fixtures.file('420-bt709-tv.mp4')]);
});
afterAll(() => fixtures.remove());

describe('readFrames as yuv444p from 8-bit 4:2:0 (each plane scaled on its own)', () => {
  it('gives byte for byte what scaling the whole frame gives, at a 2x and a 3x reduction, untagged or tagged limited range', async () => {
    const cases = [['420-720p.mp4', 640, 360], ['420-540p.mp4', 320, 180], ['420-bt709-tv.mp4', 320, 180]] as const;
    for (const [name, width, height] of cases) {
      const path = fixtures.file(name);
      const planes = await allPlanes(path, width, height);
      expect(planes.length).toBe(FRAMES * 3 * width * height);
      expect(planes.equals(plainScale(path, width, height))).toBe(true);
    }
  });

  it('leaves full-range (yuvj) video to the scaler, which brings it to limited range', async () => {
    const path = fixtures.file('j420.mp4');
    const info = await probeVideo(path);
    expect(info.fullRange).toBe(true);
    const planes = await allPlanes(path, 320, 180);
    expect(planes.equals(plainScale(path, 320, 180))).toBe(true);
  });

  it('probes the pixel format and the range', async () => {
    const info = await probeVideo(fixtures.file('420-720p.mp4'));
    expect(info.pixelFormat).toBe('yuv420p');
    expect(info.fullRange).toBeUndefined();
  });
});

describe('readFrames with reuseBuffer', () => {
  it('yields every frame in one buffer, holding the same bytes as fresh buffers', async () => {
    const path = fixtures.file('420-540p.mp4');
    const fresh: Buffer[] = [];
    for await (const frame of readFrames(path, { pixelFormat: 'yuv444p', width: 320, height: 180 })) fresh.push(Buffer.from(frame.data));
    const buffers = new Set<Uint8Array>();
    let index = 0;
    for await (const frame of readFrames(path, { pixelFormat: 'yuv444p', width: 320, height: 180, reuseBuffer: true })) {
      buffers.add(frame.data);
      expect(Buffer.from(frame.data).equals(fresh[index] as Buffer)).toBe(true);
      index++;
    }
    expect(index).toBe(FRAMES);
    expect(buffers.size).toBe(1);
  });
});

describe('YuvToRgb.convert into a given buffer', () => {
  it('writes what a fresh conversion returns, into that buffer', async () => {
    const frames: Frame[] = [];
    for await (const frame of readFrames(fixtures.file('420-540p.mp4'), { pixelFormat: 'yuv444p', width: 320, height: 180 })) frames.push(frame);
    const toRgb = new YuvToRgb('bt601');
    const pixels = 320 * 180;
    const out = new Uint8Array(3 * pixels);
    for (const frame of frames) {
      expect(toRgb.convert(frame.data, pixels, out)).toBe(out);
      expect(Buffer.from(out).equals(toRgb.convert(frame.data, pixels))).toBe(true);
    }
    expect(() => toRgb.convert((frames[0] as Frame).data, pixels, new Uint8Array(pixels))).toThrow(/cannot hold/);
  });
});

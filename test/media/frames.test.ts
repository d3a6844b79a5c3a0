import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeVideo } from '../../media/encode.js';
import { analysisSize, readFrames, type ReadFramesOptions } from '../../media/frames.js';
import { probeVideo } from '../../media/probe.js';
import type { Frame } from '../../media/types.js';
import { fixtureDir, makeWithFfmpeg } from './fixtures.js';

const fixtures = fixtureDir('frames');
const testsrc = (rate: number, durationS: number): string[] => ['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=${rate}:duration=${durationS}`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

async function collect(path: string, options: ReadFramesOptions): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of readFrames(path, options)) frames.push(frame);
  return frames;
}

/** ffmpeg processes whose parent is this test process (Linux /proc). */
function childFfmpegCount(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.includes('(ffmpeg)') && Number(afterName[1]) === process.pid && afterName[0] !== 'Z') count += 1;
    } catch {
      // The process ended while we looked.
    }
  }
  return count;
}

function mean(data: Uint8Array): number {
  let sum = 0;
  for (const value of data) sum += value;
  return sum / data.length;
}

beforeAll(async () => {
  await makeWithFfmpeg([...testsrc(24, 1), ...h264, fixtures.file('fps24.mp4')]);
  await makeWithFfmpeg([...testsrc(60, 1), ...h264, fixtures.file('fps60.mp4')]);
  await makeWithFfmpeg(['-i', fixtures.file('fps24.mp4'), '-c', 'copy', '-metadata:s:v', 'rotate=90', fixtures.file('rotated.mp4')]);
  await makeWithFfmpeg([...testsrc(30, 2), '-vf', "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", '-vsync', '0', ...h264, fixtures.file('vfr.mp4')]);
  const grey = Array.from({ length: 10 }, () => new Uint8Array(320 * 180 * 3).fill(128));
  await encodeVideo(grey, { outPath: fixtures.file('grey.mp4'), width: 320, height: 180, fps: 30, crf: 18 });
  await makeWithFfmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', fixtures.file('audio-only.m4a')]);
  const whole = readFileSync(fixtures.file('fps24.mp4'));
  writeFileSync(fixtures.file('truncated.mp4'), whole.subarray(0, Math.floor(whole.length * 0.6)));
  await makeWithFfmpeg(['-i', fixtures.file('fps60.mp4'), '-c', 'copy', '-movflags', '+faststart', fixtures.file('faststart.mp4')]);
  const faststart = readFileSync(fixtures.file('faststart.mp4'));
  writeFileSync(fixtures.file('truncated-faststart.mp4'), faststart.subarray(0, Math.floor(faststart.length * 0.6)));
  writeFileSync(fixtures.file('empty.mp4'), '');
  writeFileSync(fixtures.file('notes.txt'), 'not a video\n'.repeat(50));
  writeFileSync(fixtures.file('notes.mp4'), 'not a video\n'.repeat(50));
});
afterAll(() => fixtures.remove());

describe('readFrames', () => {
  for (const fps of [24, 60]) {
    it(`yields every frame of a ${fps} fps clip with times n/${fps}`, async () => {
      const frames = await collect(fixtures.file(`fps${fps}.mp4`), { pixelFormat: 'gray' });
      expect(frames).toHaveLength(fps);
      frames.forEach((frame, index) => {
        expect(frame.index).toBe(index);
        expect(frame.timeS).toBeCloseTo(index / fps, 6);
      });
      expect(frames[0]).toMatchObject({ width: 320, height: 180, channels: 1 });
      expect(frames[0]?.data.length).toBe(320 * 180);
    });
  }

  it('keeps the timestamps of a variable frame rate clip and invents no frames', async () => {
    const frames = await collect(fixtures.file('vfr.mp4'), { pixelFormat: 'gray', width: 160, height: 90 });
    expect(frames).toHaveLength(60);
    const expected = Array.from({ length: 60 }, (_, n) => (n < 30 ? n / 30 : 1 + (n - 30) / 10));
    frames.forEach((frame, n) => expect(frame.timeS).toBeCloseTo(expected[n] ?? Number.NaN, 3));
  });

  it('reads back a flat grey 128 frame as about 128, in grey and in RGB', async () => {
    const [grey] = await collect(fixtures.file('grey.mp4'), { pixelFormat: 'gray' });
    const [rgb] = await collect(fixtures.file('grey.mp4'), { pixelFormat: 'rgb24', width: 64, height: 36 });
    expect(Math.abs(mean(grey?.data ?? new Uint8Array(1)) - 128)).toBeLessThan(2);
    expect(rgb).toMatchObject({ width: 64, height: 36, channels: 3 });
    expect(rgb?.data.length).toBe(64 * 36 * 3);
    expect(Math.abs(mean(rgb?.data ?? new Uint8Array(1)) - 128)).toBeLessThan(2);
  });

  it('scales to the requested size and derives a missing dimension from the aspect ratio', async () => {
    const [frame] = await collect(fixtures.file('fps24.mp4'), { pixelFormat: 'gray', width: 160 });
    expect(frame).toMatchObject({ width: 160, height: 90 });
    expect(frame?.data.length).toBe(160 * 90);
    const info = await probeVideo(fixtures.file('fps24.mp4'));
    const [fromInfo] = await collect(fixtures.file('fps24.mp4'), { pixelFormat: 'gray', height: 36, info });
    expect(fromInfo).toMatchObject({ width: 64, height: 36 });
  });

  it('lets ffmpeg apply the rotation: a quarter-turned 320x180 clip arrives as 180x320, turned by rotationDeg', async () => {
    const frames = await collect(fixtures.file('rotated.mp4'), { pixelFormat: 'gray' });
    expect(frames).toHaveLength(24);
    expect(frames[0]).toMatchObject({ width: 180, height: 320 });
    const [upright] = await collect(fixtures.file('fps24.mp4'), { pixelFormat: 'gray' });
    const turned = frames[0]?.data ?? new Uint8Array(0);
    const source = upright?.data ?? new Uint8Array(0);
    const { rotationDeg } = await probeVideo(fixtures.file('rotated.mp4'));
    // Clockwise by 90: out(x, y) = in(y, H-1-x); by 270: out(x, y) = in(W-1-y, x); W=320, H=180 upright.
    let differenceSum = 0;
    for (let y = 0; y < 320; y += 1) {
      for (let x = 0; x < 180; x += 1) {
        const from = rotationDeg === 90 ? (179 - x) * 320 + y : x * 320 + (319 - y);
        differenceSum += Math.abs((turned[y * 180 + x] ?? 0) - (source[from] ?? 0));
      }
    }
    expect(differenceSum / (320 * 180)).toBeLessThan(3);
  });

  it('kills ffmpeg when the consumer stops early', async () => {
    const seen: number[] = [];
    for await (const frame of readFrames(fixtures.file('fps60.mp4'), { pixelFormat: 'rgb24' })) {
      seen.push(frame.index);
      expect(childFfmpegCount()).toBe(1);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(childFfmpegCount()).toBe(0);
  });

  it('pauses ffmpeg while the consumer is slow instead of buffering the clip', async () => {
    const frames = readFrames(fixtures.file('fps60.mp4'), { pixelFormat: 'rgb24' });
    expect((await frames.next()).done).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 60 RGB frames are 10 MB; the pipe holds about 64 KB, so ffmpeg must still be waiting to write.
    expect(childFfmpegCount()).toBe(1);
    let count = 1;
    while (!(await frames.next()).done) count += 1;
    expect(count).toBe(60);
    expect(childFfmpegCount()).toBe(0);
  });

  it('stops with an aborted error when the signal fires', async () => {
    const controller = new AbortController();
    const reading = (async () => {
      for await (const frame of readFrames(fixtures.file('fps60.mp4'), { pixelFormat: 'gray', signal: controller.signal })) {
        if (frame.index === 1) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'aborted' });
    expect(childFfmpegCount()).toBe(0);
  });
});

describe('readFrames on bad input', () => {
  const sized = { pixelFormat: 'gray', width: 64, height: 36 } as const;
  const cases: [string, ReadFramesOptions, string, RegExp][] = [
    ['missing.mp4', sized, 'file-not-found', /file not found/],
    ['empty.mp4', sized, 'empty-file', /0 bytes/],
    ['notes.txt', sized, 'not-media', /notes\.txt: not a video file \(ffprobe reads it as text\)/],
    ['notes.mp4', sized, 'not-media', /notes\.mp4: not a video file \(ffprobe: Invalid data found when processing input\)/],
    ['audio-only.m4a', sized, 'no-video-stream', /no video stream/],
    ['truncated.mp4', sized, 'truncated', /moov atom/],
    ['truncated-faststart.mp4', sized, 'truncated', /index lists 60 video frames but only \d+ are present/],
  ];
  for (const [name, options, code, message] of cases) {
    it(`gives ${code} for ${name}`, async () => {
      const failure = collect(fixtures.file(name), options);
      await expect(failure).rejects.toMatchObject({ name: 'MediaError', code, path: fixtures.file(name) });
      await expect(failure).rejects.toThrow(message);
      expect(childFfmpegCount()).toBe(0);
    });
  }
});

describe('analysisSize', () => {
  it('keeps the aspect ratio with even dimensions no wider than the limit', () => {
    expect(analysisSize(1280, 720, 640)).toEqual({ width: 640, height: 360 });
    expect(analysisSize(1920, 1080, 320)).toEqual({ width: 320, height: 180 });
    expect(analysisSize(720, 1280, 640)).toEqual({ width: 640, height: 1138 });
    expect(analysisSize(320, 180, 640)).toEqual({ width: 320, height: 180 });
    expect(analysisSize(639, 479, 1000)).toEqual({ width: 640, height: 480 });
    expect(analysisSize(1000, 3, 101)).toEqual({ width: 100, height: 2 });
  });

  it('rejects sizes that are not positive', () => {
    expect(() => analysisSize(0, 720, 640)).toThrow(/cannot fit/);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeVideo } from '../../media/encode.js';
import { probeVideo, rotationDegrees } from '../../media/probe.js';
import { fixtureDir, makeWithFfmpeg } from './fixtures.js';

const fixtures = fixtureDir('probe');
const testsrc = (rate: number, durationS: number): string[] => ['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=${rate}:duration=${durationS}`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** Keeps the first `fraction` of a file's bytes, as an interrupted download would. */
function truncateCopy(from: string, to: string, fraction: number): void {
  const bytes = readFileSync(from);
  writeFileSync(to, bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

beforeAll(async () => {
  await makeWithFfmpeg([...testsrc(24, 2), '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2', ...h264, '-c:a', 'aac', '-shortest', fixtures.file('av24.mp4')]);
  await makeWithFfmpeg([...testsrc(60, 1), ...h264, fixtures.file('silent60.mp4')]);
  await makeWithFfmpeg(['-i', fixtures.file('silent60.mp4'), '-c', 'copy', '-metadata:s:v', 'rotate=90', fixtures.file('rotated.mp4')]);
  // 30 frames at 30 fps, then 30 frames at 10 fps: 60 frames over 3.9 s.
  await makeWithFfmpeg([...testsrc(30, 2), '-vf', "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", '-vsync', '0', ...h264, fixtures.file('vfr.mp4')]);
  await makeWithFfmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', fixtures.file('audio-only.m4a')]);
  await makeWithFfmpeg(['-i', fixtures.file('av24.mp4'), '-c', 'copy', '-movflags', '+faststart', fixtures.file('faststart.mp4')]);
  truncateCopy(fixtures.file('av24.mp4'), fixtures.file('truncated-moov-at-end.mp4'), 0.6);
  truncateCopy(fixtures.file('faststart.mp4'), fixtures.file('truncated-moov-at-start.mp4'), 0.6);
  writeFileSync(fixtures.file('empty.mp4'), '');
  writeFileSync(fixtures.file('notes.mp4'), 'these are notes, not a video\n'.repeat(20));
});
afterAll(() => fixtures.remove());

describe('probeVideo', () => {
  it('reads size, rate, frame count, duration and audio of a 24 fps clip', async () => {
    const info = await probeVideo(fixtures.file('av24.mp4'));
    expect(info).toMatchObject({ width: 320, height: 180, fps: 24, frameCount: 48, variableFrameRate: false, rotationDeg: 0, videoCodec: 'h264', hasAudio: true });
    expect(info.durationS).toBeCloseTo(2, 2);
    expect(info.sizeBytes).toBeGreaterThan(1000);
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48_000, channels: 1 });
    expect(info.audio?.offsetS).toBeCloseTo(0, 6);
  });

  it('reads a 60 fps clip without audio', async () => {
    const info = await probeVideo(fixtures.file('silent60.mp4'));
    expect(info).toMatchObject({ fps: 60, frameCount: 60, hasAudio: false, audio: null });
    expect(info.durationS).toBeCloseTo(1, 2);
  });

  it('swaps width and height of a clip rotated by a quarter turn', async () => {
    const info = await probeVideo(fixtures.file('rotated.mp4'));
    expect([90, 270]).toContain(info.rotationDeg);
    expect(info).toMatchObject({ width: 180, height: 320 });
  });

  it('flags a variable frame rate clip', async () => {
    const info = await probeVideo(fixtures.file('vfr.mp4'));
    expect(info.variableFrameRate).toBe(true);
    expect(info.frameCount).toBe(60);
    expect(info.fps).toBeCloseTo(60 / info.durationS, 1);
  });

  it('reports an audio stream that starts after the video as a positive offset', async () => {
    const samples = new Float32Array(16_000);
    const frames = Array.from({ length: 12 }, () => new Uint8Array(64 * 36 * 3));
    await encodeVideo(frames, { outPath: fixtures.file('own.mp4'), width: 64, height: 36, fps: 12, audio: { sampleRate: 16_000, samples } });
    expect((await probeVideo(fixtures.file('own.mp4'))).audio?.offsetS).toBeCloseTo(0, 6);
    await makeWithFfmpeg([...testsrc(30, 1), '-itsoffset', '0.25', '-f', 'lavfi', '-i', 'sine=duration=0.5', ...h264, '-c:a', 'aac', fixtures.file('late.mp4')]);
    // The offset includes the 1024 AAC priming samples (21.3 ms at 48 kHz), which the stream's start_time counts.
    const offsetS = (await probeVideo(fixtures.file('late.mp4'))).audio?.offsetS ?? 0;
    expect(offsetS).toBeGreaterThan(0.2);
    expect(offsetS).toBeLessThanOrEqual(0.25);
  });

  it('converts rotation tags and display matrices to clockwise degrees', () => {
    expect(rotationDegrees({ tags: { rotate: '90' } })).toBe(90);
    expect(rotationDegrees({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(270);
    expect(rotationDegrees({ side_data_list: [{ rotation: -90 }] })).toBe(90);
    expect(rotationDegrees({ side_data_list: [{ rotation: 180 }] })).toBe(180);
    expect(rotationDegrees({})).toBe(0);
  });
});

describe('probeVideo on bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['missing.mp4', 'file-not-found', /missing\.mp4: file not found/],
    ['empty.mp4', 'empty-file', /empty\.mp4: empty file \(0 bytes\)/],
    ['notes.mp4', 'not-media', /notes\.mp4: not a video file \(ffprobe: Invalid data found when processing input\)/],
    ['audio-only.m4a', 'no-video-stream', /audio-only\.m4a: no video stream/],
    ['truncated-moov-at-end.mp4', 'truncated', /moov atom/],
    ['truncated-moov-at-start.mp4', 'truncated', /index lists 48 video frames but only \d+ are present/],
  ];
  for (const [name, code, message] of cases) {
    it(`gives ${code} for ${name}`, async () => {
      const failure = probeVideo(fixtures.file(name));
      await expect(failure).rejects.toMatchObject({ name: 'MediaError', code, path: fixtures.file(name) });
      await expect(failure).rejects.toThrow(message);
    });
  }
});

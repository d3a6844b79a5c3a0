import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignToVideo, readAudio } from '../../media/audio.js';
import { encodeVideo } from '../../media/encode.js';
import { probeVideo } from '../../media/probe.js';
import { burstTrack, firstOnsetS, fixtureDir, makeWithFfmpeg } from './fixtures.js';

const fixtures = fixtureDir('audio');
const WIDTH = 320;
const HEIGHT = 180;
const LATE_AUDIO_START_S = (0.3 * 48_000 + 1024) / 48_000;
const LATE_BURST_S = LATE_AUDIO_START_S + 0.2;

function* greyFrames(count: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i += 1) yield new Uint8Array(WIDTH * HEIGHT * 3).fill(100);
}

beforeAll(async () => {
  const samples = burstTrack(48_000, 1.5, 0.5);
  await encodeVideo(greyFrames(45), { outPath: fixtures.file('burst.mp4'), width: WIDTH, height: HEIGHT, fps: 30, audio: { sampleRate: 48_000, samples } });
  // The audio input starts LATE_AUDIO_START_S after the video, so its burst at 0.2 s in the PCM plays at
  // LATE_BURST_S. The offset is chosen so that offset minus the 1024 AAC priming samples is a whole
  // millisecond: this ffmpeg's MP4 muxer stores the leading empty edit in 1 ms units and truncates it.
  writeFileSync(fixtures.file('late.f32'), new Uint8Array(burstTrack(48_000, 1, 0.2).buffer));
  await makeWithFfmpeg([
    '-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}:rate=30:duration=1.5`,
    '-itsoffset', LATE_AUDIO_START_S.toFixed(6), '-f', 'f32le', '-ar', '48000', '-ac', '1', '-i', fixtures.file('late.f32'),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', fixtures.file('late.mp4'),
  ]);
  // The video starts 0.2 s after the audio (remuxed with -itsoffset, which stream copy keeps): the
  // burst at 0.5 s of audio time is 0.3 s after the first frame.
  writeFileSync(fixtures.file('early.f32'), new Uint8Array(burstTrack(48_000, 1.5, 0.5).buffer));
  await makeWithFfmpeg(['-f', 'f32le', '-ar', '48000', '-ac', '1', '-i', fixtures.file('early.f32'), '-c:a', 'aac', '-b:a', '128k', fixtures.file('early.m4a')]);
  await makeWithFfmpeg(['-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}:rate=30:duration=1`, '-c:v', 'libx264', '-preset', 'ultrafast', fixtures.file('video.mp4')]);
  await makeWithFfmpeg(['-itsoffset', '0.2', '-i', fixtures.file('video.mp4'), '-i', fixtures.file('early.m4a'), '-map', '0:v', '-map', '1:a', '-c', 'copy', fixtures.file('early.mp4')]);
  await makeWithFfmpeg(['-f', 'lavfi', '-i', `testsrc=size=${WIDTH}x${HEIGHT}:rate=30:duration=1`, '-c:v', 'libx264', '-preset', 'ultrafast', fixtures.file('silent.mp4')]);
});
afterAll(() => fixtures.remove());

describe('readAudio', () => {
  for (const sampleRate of [16_000, 48_000]) {
    it(`puts a burst encoded at 0.500 s at 0.500 s (within 0.5 ms) at ${sampleRate} Hz`, async () => {
      const track = await readAudio(fixtures.file('burst.mp4'), { sampleRate });
      expect(track).not.toBeNull();
      if (track === null) return;
      expect(track.sampleRate).toBe(sampleRate);
      expect(Math.abs(track.samples.length / sampleRate - 1.5)).toBeLessThan(0.03);
      expect(Math.abs(firstOnsetS(track.samples, sampleRate) - 0.5)).toBeLessThan(0.0005);
    });

    it(`pads audio that starts 0.32 s after the video at ${sampleRate} Hz`, async () => {
      const track = await readAudio(fixtures.file('late.mp4'), { sampleRate });
      if (track === null) throw new Error('expected audio');
      expect(Math.abs(firstOnsetS(track.samples, sampleRate) - LATE_BURST_S)).toBeLessThan(0.0005);
    });
  }

  it('drops the audio heard before the first video frame', async () => {
    expect((await probeVideo(fixtures.file('early.mp4'))).audio?.offsetS).toBeCloseTo(-0.2, 6);
    const track = await readAudio(fixtures.file('early.mp4'), { sampleRate: 48_000 });
    if (track === null) throw new Error('expected audio');
    expect(Math.abs(firstOnsetS(track.samples, 48_000) - 0.3)).toBeLessThan(0.0005);
  });

  it('returns null for a clip without audio', async () => {
    expect(await readAudio(fixtures.file('silent.mp4'), { sampleRate: 16_000 })).toBeNull();
  });

  it('aligns by padding zeros in front or dropping leading samples', () => {
    const samples = Float32Array.from([1, 2, 3]);
    expect(Array.from(alignToVideo(samples, 2))).toEqual([0, 0, 1, 2, 3]);
    expect(Array.from(alignToVideo(samples, -1))).toEqual([2, 3]);
    expect(Array.from(alignToVideo(samples, -5))).toEqual([]);
  });
});

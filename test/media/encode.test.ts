import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeVideo } from '../../media/encode.js';
import { MediaError } from '../../media/errors.js';
import { readFrames } from '../../media/frames.js';
import { findFfprobe } from '../../media/locate.js';
import { runTool } from '../../media/process.js';

const dir = mkdtempSync(join(tmpdir(), 'physeval-encode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* greyFrames(count: number, width: number, height: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i += 1) yield new Uint8Array(width * height * 3).fill(128);
}

async function streamSummary(path: string): Promise<string> {
  const run = await runTool(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,nb_frames', '-of', 'csv=p=0', path]);
  return run.stdout.toString().trim();
}

describe('encodeVideo', () => {
  it('writes an H.264 MP4 with the given size and frame count, and AAC audio when given', async () => {
    const outPath = join(dir, 'grey.mp4');
    const samples = new Float32Array(16_000);
    await encodeVideo(greyFrames(24, 320, 180), { outPath, width: 320, height: 180, fps: 24, audio: { sampleRate: 16_000, samples } });
    const summary = await streamSummary(outPath);
    expect(summary).toContain('h264,video,320,180,24');
    expect(summary).toContain('aac,audio');
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('accepts an async iterable and writes no audio stream without audio', async () => {
    const outPath = join(dir, 'async.mp4');
    async function* frames(): AsyncGenerator<Uint8Array> {
      yield* greyFrames(10, 64, 32);
    }
    await encodeVideo(frames(), { outPath, width: 64, height: 32, fps: 30 });
    expect(await streamSummary(outPath)).toBe('h264,video,64,32,10');
  });

  it('copies each frame, so a caller may reuse one buffer for all frames', async () => {
    const outPath = join(dir, 'reused.mp4');
    const greys = [40, 90, 140, 190, 240, 40, 90, 140];
    function* reused(): Generator<Uint8Array> {
      const buffer = new Uint8Array(320 * 180 * 3);
      for (const grey of greys) yield buffer.fill(grey);
    }
    await encodeVideo(reused(), { outPath, width: 320, height: 180, fps: 8, crf: 10 });
    const means: number[] = [];
    for await (const frame of readFrames(outPath, { pixelFormat: 'gray' })) means.push(frame.data.reduce((sum, value) => sum + value, 0) / frame.data.length);
    expect(means).toHaveLength(greys.length);
    means.forEach((mean, index) => expect(Math.abs(mean - (greys[index] ?? 0))).toBeLessThan(3));
  });

  it('rejects odd sizes and frames of the wrong length, leaving no file behind', async () => {
    const outPath = join(dir, 'bad.mp4');
    await expect(encodeVideo(greyFrames(1, 31, 20), { outPath, width: 31, height: 20, fps: 30 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    const wrong = [new Uint8Array(64 * 32 * 3), new Uint8Array(10)];
    const failure = await encodeVideo(wrong, { outPath, width: 64, height: 32, fps: 30 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MediaError);
    expect((failure as MediaError).message).toMatch(/frame 1 has 10 bytes, expected 6144/);
    expect(() => statSync(outPath)).toThrow();
    expect(readdirSync(dir).filter((name) => name.startsWith('.bad'))).toEqual([]);
  });

  it('reports encode-failed with ffmpeg stderr when ffmpeg refuses the options', async () => {
    const outPath = join(dir, 'preset.mp4');
    const failure = await encodeVideo(greyFrames(3, 64, 32), { outPath, width: 64, height: 32, fps: 30, preset: 'no-such-preset' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'encode-failed', path: outPath });
    expect((failure as MediaError).message).toMatch(/preset/i);
    expect(() => statSync(outPath)).toThrow();
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeVideo } from '../../media/encode.js';
import { KEY_FRAME_WIDTH_PX, keyFramePathFor, keyFrameTimeS, writeKeyFrame } from '../../suites/key-frame.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** JPEG frame size from its SOF0/SOF2 segment. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  for (let offset = 2; offset + 9 < jpeg.length; ) {
    const marker = jpeg[offset + 1]!;
    if (marker === 0xc0 || marker === 0xc2) return { height: jpeg.readUInt16BE(offset + 5), width: jpeg.readUInt16BE(offset + 7) };
    offset += 2 + jpeg.readUInt16BE(offset + 2);
  }
  throw new Error('no frame header');
}

describe('key frames', () => {
  it('name the file after the item key, file-safe', () => {
    expect(keyFramePathFor('sim:ideal|tennis-ball-lob|1')).toBe('frames/sim_ideal_tennis-ball-lob_1.jpg');
    expect(keyFramePathFor('../../etc/passwd')).toBe('frames/.._.._etc_passwd.jpg');
  });

  it('are taken at the first timed failure, otherwise mid-clip', () => {
    expect(keyFrameTimeS([], 2)).toBe(1);
    expect(keyFrameTimeS([{ code: 'flicker', message: 'x' }, { code: 'vanish', message: 'y', atS: 0.87 }], 2)).toBe(0.87);
    expect(keyFrameTimeS([{ code: 'vanish', message: 'after the end', atS: 5 }], 2)).toBe(1);
  });

  it('write a small JPEG of the clip, and nothing for a file that is not a video', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'physeval-key-frame-'));
    dirs.push(dir);
    const clip = join(dir, 'grey.mp4');
    const frame = new Uint8Array(320 * 180 * 3).fill(128);
    await encodeVideo(Array.from({ length: 30 }, () => frame), { outPath: clip, width: 320, height: 180, fps: 30 });
    const relativePath = await writeKeyFrame(clip, dir, 'sim:ideal|grey|1', 0.5);
    expect(relativePath).toBe('frames/sim_ideal_grey_1.jpg');
    const jpeg = await readFile(join(dir, relativePath!));
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(jpegSize(jpeg)).toEqual({ width: KEY_FRAME_WIDTH_PX, height: 136 });

    await expect(writeKeyFrame(join(dir, 'missing.mp4'), dir, 'k', 0)).resolves.toBeUndefined();
  });
});

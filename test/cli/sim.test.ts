import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfprobe } from '../../media/locate.js';
import type { GroundTruth } from '../../runners/sim/truth.js';
import { runCli } from '../support/cli.js';

describe('physeval sim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-sim-'));

  it('writes a clip that ffprobe decodes cleanly, with ground truth that matches it', async () => {
    const out = join(dir, 'lob.mp4');
    const result = await runCli(['sim', 'tennis-ball-lob', '-o', out, '--size', '320x180', '--fps', '24', '--duration', '1.5', '--seed', '3']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'lob.truth.json'), 'utf8')) as GroundTruth;
    expect(truth).toMatchObject({ promptId: 'tennis-ball-lob', seed: 3, width: 320, height: 180, fps: 24, defect: null });
    expect(truth.frameCount).toBe(36);
    // A full decode reports no error, and counts the frames the truth describes.
    const errors = execFileSync(findFfprobe(), ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'json', out], { encoding: 'utf8' });
    const stream = (JSON.parse(errors) as { streams: Array<{ nb_read_frames: string; width: number; height: number }> }).streams[0];
    expect(stream).toEqual({ width: 320, height: 180, nb_read_frames: '36' });
    expect(truth.objects[0]?.frames).toHaveLength(36);
  });

  it('plants the defect it is asked for', async () => {
    const out = join(dir, 'drop-off.mp4');
    const result = await runCli(['sim', 'basketball-bounce-hardwood', '-o', out, '--size', '320x180', '--duration', '1.5', '--defect', 'gravity-off=0.6']);
    expect(result.code).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'drop-off.truth.json'), 'utf8')) as GroundTruth;
    expect(truth.defect).toMatchObject({ code: 'gravity-off', value: 0.6 });
  });

  it('refuses an unknown defect with a suggestion and an unknown prompt with a suggestion', async () => {
    const badDefect = await runCli(['sim', 'tennis-ball-lob', '-o', join(dir, 'x.mp4'), '--defect', 'gravity-of']);
    expect(badDefect.code).toBe(2);
    expect(badDefect.stderr).toMatch(/gravity-off/);
    const badPrompt = await runCli(['sim', 'tennis-ball-lobb', '-o', join(dir, 'y.mp4')]);
    expect(badPrompt.code).toBe(2);
    expect(badPrompt.stderr).toMatch(/did you mean 'tennis-ball-lob'/);
    expect(existsSync(join(dir, 'y.mp4'))).toBe(false);
  });
});

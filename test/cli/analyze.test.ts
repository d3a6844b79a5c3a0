import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../media/locate.js';
import { runCli } from '../support/cli.js';

interface AnalyzeJson {
  schemaVersion: number;
  video: { path: string; width?: number; hasAudio?: boolean };
  metrics?: Record<string, Record<string, unknown>>;
  verdict?: { pass: boolean; failures: Array<{ code: string; message: string }> };
  error?: { code: string; message: string };
}

describe('physeval analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-analyze-'));
  const clip = join(dir, 'drop.mp4');
  const silent = join(dir, 'silent.mp4');

  beforeAll(async () => {
    const made = await runCli(['sim', 'basketball-bounce-hardwood', '-o', clip, '--size', '320x180', '--duration', '2']);
    expect(made.code).toBe(0);
    execFileSync(findFfmpeg(), ['-v', 'error', '-i', clip, '-an', '-c', 'copy', silent]);
    writeFileSync(join(dir, 'empty.mp4'), '');
    writeFileSync(join(dir, 'notes.txt'), 'this is not a video\n'.repeat(50));
    const bytes = readFileSync(clip);
    writeFileSync(join(dir, 'truncated.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.4)));
  });

  it('prints the stable JSON contract for a good clip', async () => {
    const result = await runCli(['analyze', clip, '--prompt', 'basketball-bounce-hardwood', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as AnalyzeJson;
    expect(report.schemaVersion).toBe(1);
    expect(report.video).toMatchObject({ path: clip, width: 320, height: 180, fps: 30, frames: 60, hasAudio: true });
    expect(Object.keys(report.metrics ?? {})).toEqual(expect.arrayContaining(['trajectory', 'temporal', 'avsync']));
    expect(report.verdict?.pass).toBe(true);
    const gravityMS2 = report.metrics?.trajectory?.gravityMS2;
    expect(typeof gravityMS2).toBe('number');
    expect(Math.abs((gravityMS2 as number) - 9.81) / 9.81).toBeLessThan(0.05);
  });

  it('gives each bad input a clear message that names the file, and exits 2 when nothing could be analysed', async () => {
    for (const [name, pattern] of [
      ['empty.mp4', /empty/i],
      ['notes.txt', /not a video|not media|invalid data/i],
      ['truncated.mp4', /truncated|moov|invalid data|decode/i],
      ['missing.mp4', /not found|no such file|does not exist/i],
    ] as const) {
      const path = join(dir, name);
      const result = await runCli(['analyze', path, '--json']);
      expect(result.code, name).toBe(2);
      const report = JSON.parse(result.stdout) as AnalyzeJson;
      expect(report.error?.message, name).toContain(name);
      expect(report.error?.message, name).toMatch(pattern);
      expect(result.stderr, name).toContain(name);
    }
  });

  it('analyses an audio-less clip and says it has no audio, without failing it for that', async () => {
    const result = await runCli(['analyze', silent, '--expect', '{"objectDiameterM": 0.239}', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as AnalyzeJson;
    expect(report.video.hasAudio).toBe(false);
    expect(report.metrics?.avsync?.hasAudio).toBe(false);
    expect(report.verdict?.failures.filter((f) => f.code === 'av-desync')).toEqual([]);
  });

  it('analyses the good clips of a mixed list, reports the bad one, and exits 0', async () => {
    const result = await runCli(['analyze', clip, join(dir, 'notes.txt'), '--json']);
    expect(result.code).toBe(0);
    const reports = JSON.parse(result.stdout) as AnalyzeJson[];
    expect(reports).toHaveLength(2);
    expect(reports[0]?.verdict).toBeDefined();
    expect(reports[1]?.error?.message).toContain('notes.txt');
  });

  it('exits 1 with --fail-on-violation when a clip breaks physics', async () => {
    const flawed = join(dir, 'flawed.mp4');
    expect((await runCli(['sim', 'basketball-bounce-hardwood', '-o', flawed, '--size', '320x180', '--duration', '2', '--defect', 'gravity-off=0.5'])).code).toBe(0);
    const result = await runCli(['analyze', flawed, '--prompt', 'basketball-bounce-hardwood', '--fail-on-violation']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL/);
    expect(result.stdout).toMatch(/gravity-off/);
  });

  it('rejects bad --expect input naming the key', async () => {
    const result = await runCli(['analyze', clip, '--expect', '{"gravityMS2": "high"}']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/gravityMS2/);
  });
});

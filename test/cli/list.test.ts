import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('physeval list', () => {
  it('lists at least 24 curated prompts', async () => {
    const result = await runCli(['list', 'prompts', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ id: string; category: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(24);
    expect(new Set(rows.map((row) => row.category))).toContain('collision');
  });

  it('lists every suite with a non-empty prompt set', async () => {
    const result = await runCli(['list', 'suites', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ id: string; prompts: number }>;
    expect(rows.map((row) => row.id)).toEqual(['default', 'smoke', 'bouncing-balls', 'av-sync', 'fluids', 'cloth']);
    for (const row of rows) expect(row.prompts, row.id).toBeGreaterThan(0);
    expect(rows.find((row) => row.id === 'smoke')?.prompts).toBe(3);
  });

  it('lists the simulator generators and the metrics with their codes', async () => {
    const generators = JSON.parse((await runCli(['list', 'generators', '--json'])).stdout) as Array<{ id: string; priceUsdPerS: number }>;
    expect(generators.map((g) => g.id)).toEqual(expect.arrayContaining(['sim:ideal', 'sim:flawed']));
    const metrics = JSON.parse((await runCli(['list', 'metrics', '--json'])).stdout) as Array<{ id: string; codes: string }>;
    expect(metrics.map((m) => m.id)).toEqual(expect.arrayContaining(['trajectory', 'temporal', 'avsync']));
    expect(metrics.find((m) => m.id === 'avsync')?.codes).toContain('av-desync');
  });

  it('rejects an unknown kind with a usage error', async () => {
    const result = await runCli(['list', 'promts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/promts/);
  });
});

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { hostileFixture, resultsFixture } from '../reports/fixture.js';

/** A run folder holding only results.json, as `physeval run` leaves it. */
function runFolder(results: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-report-cli-'));
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return dir;
}

describe('physeval report', () => {
  it('writes the chosen formats into --out, with the results copied', async () => {
    const dir = runFolder(hostileFixture());
    const out = join(dir, 'published');
    const result = await runCli(['report', dir, '--format', 'md,junit,json,html', '--out', out]);
    expect(result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`physeval: 4 files from 7 items → ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8').match(/<testcase /g)).toHaveLength(7);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('**7 items: 3 passed, 2 failed, 2 not analysed**');
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
  });

  it('writes into the run folder by default and leaves its results.json alone', async () => {
    const fixture = resultsFixture();
    const dir = runFolder({ ...fixture, items: fixture.items.slice(0, 1) });
    const before = readFileSync(join(dir, 'results.json'), 'utf8');
    const result = await runCli(['report', dir, '--format', 'json,svg']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(before);
    const charts = readdirSync(join(dir, 'charts')).sort();
    expect(charts).toEqual(['clip-1-gravity-arcs.svg', 'clip-1-restitution.svg', 'clip-1-trajectory.svg', 'leaderboard.svg', 'pass-matrix.svg', 'score.svg']);
    expect(readFileSync(join(dir, 'charts', 'score.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*mark-rect[\s\S]*<\/svg>$/);
  });

  it('says in one sentence that a folder has no results, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'physeval-report-cli-'));
    const result = await runCli(['report', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`physeval: ${join(dir, 'results.json')} does not exist: pass the folder of a run (physeval run --out DIR) [results-missing]\n`);
  });

  it('rejects an unknown format with a suggestion, exit 2', async () => {
    const dir = runFolder(resultsFixture());
    const result = await runCli(['report', dir, '--format', 'html,jnuit']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown format 'jnuit' (did you mean 'junit'?); known: html, md, junit, json, svg, png");
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('reports an invalid results file by path', async () => {
    const dir = runFolder({ schemaVersion: 1, items: 'none' });
    const result = await runCli(['report', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/results\.json: .*\[results-invalid\]\n$/);
  });
});

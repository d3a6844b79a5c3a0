import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeChartImages } from '../../reports/chart-files.js';
import { allCharts } from '../../reports/chart-set.js';
import { REPORTERS, REPORT_FORMATS, writeReports } from '../../reports/index.js';
import { resultsFileSchema } from '../../suites/results.js';
import { hostileFixture, resultsFixture } from './fixture.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'physeval-reporters-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('every reporter', () => {
  it('writes its files, and the same results give the same bytes', { timeout: 30_000 }, async () => {
    const results = hostileFixture();
    const [first, second] = [await tempDir(), await tempDir()];
    const outcome = await writeReports(results, first, REPORT_FORMATS.map((format) => REPORTERS[format]));
    expect(outcome.errors).toEqual({});
    // A fresh copy of the results, so nothing is reused from the first write; charts are slow, so only two of them.
    const again = hostileFixture();
    await writeReports(again, second, [REPORTERS.html, REPORTERS.md, REPORTERS.junit, REPORTERS.json]);
    await writeChartImages({ ...again, items: again.items.slice(0, 2) }, second, 'svg');
    await writeChartImages({ ...again, items: again.items.slice(0, 2) }, second, 'png');

    const charts = allCharts(results).map((chart) => chart.name).sort();
    expect((await readdir(first)).sort()).toEqual(['charts', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    const chartFiles = (await readdir(join(first, 'charts'))).sort();
    expect(chartFiles).toEqual([...charts.map((name) => `${name}.png`), ...charts.map((name) => `${name}.svg`)].sort());
    expect(outcome.written).toHaveLength(4 + 2 * charts.length);

    for (const file of ['report.html', 'summary.md', 'junit.xml', 'results.json', 'charts/clip-1-trajectory.svg', 'charts/clip-2-flicker.png']) {
      expect(await readFile(join(second, file))).toEqual(await readFile(join(first, file)));
    }
    const copy: unknown = JSON.parse(await readFile(join(first, 'results.json'), 'utf8'));
    expect(resultsFileSchema.parse(copy)).toEqual(JSON.parse(JSON.stringify(results)));
  });

  it('removes chart images an earlier, larger report left behind, and nothing else', async () => {
    const outDir = await tempDir();
    await mkdir(join(outDir, 'charts'), { recursive: true });
    await writeFile(join(outDir, 'charts', 'clip-99-trajectory.svg'), '<svg/>');
    await writeFile(join(outDir, 'charts', 'notes.txt'), 'mine');
    await REPORTERS.svg.write(resultsFixture(), outDir);
    const files = await readdir(join(outDir, 'charts'));
    expect(files).not.toContain('clip-99-trajectory.svg');
    expect(files).toContain('notes.txt');
    expect(files).toContain('score.svg');
  });
});

import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsFile } from '../suites/results.js';
import { allCharts } from './chart-set.js';
import { svgToPng } from './render-png.js';
import { renderChartSvg } from './render-svg.js';
import { writeReportFile } from './write-text.js';

/** Folder of the chart images, inside the report folder. */
export const CHARTS_DIR = 'charts';

export type ChartImageFormat = 'svg' | 'png';

/** Only names that chart-set.ts produces, so a clean-up never touches a file someone else put there. */
const CHART_FILE = /^[a-z0-9-]+\.(svg|png)$/;

/**
 * Writes every chart of the report as `charts/<name>.<format>` and removes images of that format
 * left by an earlier report of the same folder (a run with more clips), so the folder matches
 * the results exactly.
 */
export async function writeChartImages(results: ResultsFile, outDir: string, format: ChartImageFormat): Promise<string[]> {
  const chartsDir = join(outDir, CHARTS_DIR);
  const written: string[] = [];
  for (const chart of allCharts(results)) {
    const svg = await renderChartSvg(chart.spec);
    const path = join(chartsDir, `${chart.name}.${format}`);
    written.push(await writeReportFile(path, format === 'svg' ? svg : svgToPng(svg)));
  }
  const keep = new Set(written);
  for (const file of await readdir(chartsDir).catch(() => [])) {
    const path = join(chartsDir, file);
    if (CHART_FILE.test(file) && file.endsWith(`.${format}`) && !keep.has(path)) await rm(path, { force: true });
  }
  return written;
}

import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsFile } from '../suites/results.js';
import { allCharts, type NamedChart } from './chart-set.js';
import { svgToPng } from './render-png.js';
import { renderChartSvg } from './render-svg.js';
import { writeReportFile } from './write-text.js';

/** Folder of the chart images, inside the report folder. */
export const CHARTS_DIR = 'charts';

export type ChartImageFormat = 'svg' | 'png';

/**
 * SVG of each chart by results object: when both image formats are written for the same results,
 * vega lays each chart out once and the PNG is rasterised from that SVG.
 */
const svgCache = new WeakMap<ResultsFile, Map<string, Promise<string>>>();

function chartSvg(results: ResultsFile, chart: NamedChart): Promise<string> {
  let byName = svgCache.get(results);
  if (byName === undefined) {
    byName = new Map();
    svgCache.set(results, byName);
  }
  let svg = byName.get(chart.name);
  if (svg === undefined) {
    svg = renderChartSvg(chart.spec);
    byName.set(chart.name, svg);
  }
  return svg;
}

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
    const svg = await chartSvg(results, chart);
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

import { join } from 'node:path';
import type { ResultsFile } from '../suites/results.js';
import { renderHtmlReport } from './html.js';
import { renderJunitXml } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';
import type { Reporter } from './types.js';
import { writeReportFile } from './write-text.js';

/** File names of the report formats inside the report folder (chart images go to `charts/`). */
export const REPORT_FILES = {
  html: 'report.html',
  md: 'summary.md',
  junit: 'junit.xml',
  json: 'results.json',
} as const;

function fileReporter(id: keyof typeof REPORT_FILES, render: (results: ResultsFile) => string): Reporter {
  return {
    id,
    async write(results, outDir) {
      return [await writeReportFile(join(outDir, REPORT_FILES[id]), render(results))];
    },
  };
}

export const htmlReporter = fileReporter('html', renderHtmlReport);
export const markdownReporter = fileReporter('md', renderMarkdownSummary);
export const junitReporter = fileReporter('junit', renderJunitXml);
/** The results as `physeval run` writes them (two-space JSON), for a report folder that stands alone. */
export const jsonReporter = fileReporter('json', (results) => `${JSON.stringify(results, null, 2)}\n`);
/** vega and resvg load only when images are asked for: every other command starts without them. */
async function writeImages(results: ResultsFile, outDir: string, format: 'svg' | 'png'): Promise<string[]> {
  const { writeChartImages } = await import('./chart-files.js');
  return writeChartImages(results, outDir, format);
}

export const svgReporter: Reporter = { id: 'svg', write: (results, outDir) => writeImages(results, outDir, 'svg') };
export const pngReporter: Reporter = { id: 'png', write: (results, outDir) => writeImages(results, outDir, 'png') };

/** Every report format by its id (`physeval report --format`), in the order they are written. */
export const REPORTERS = {
  html: htmlReporter,
  md: markdownReporter,
  junit: junitReporter,
  json: jsonReporter,
  svg: svgReporter,
  png: pngReporter,
} as const satisfies Record<string, Reporter>;

export type ReportFormat = keyof typeof REPORTERS;

export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];

export function isReportFormat(id: string): id is ReportFormat {
  return Object.hasOwn(REPORTERS, id);
}

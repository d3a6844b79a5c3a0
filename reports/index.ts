import type { ResultsFile } from '../suites/results.js';
import { htmlReporter } from './reporters.js';
import type { Reporter } from './types.js';

export type { Reporter } from './types.js';
export { renderHtmlReport } from './html.js';
export { renderJunitXml } from './junit.js';
export { renderMarkdownSummary } from './markdown.js';
export { bootstrapCi, BOOTSTRAP_DEFAULTS, type BootstrapOptions, type ConfidenceInterval } from './stats/bootstrap-ci.js';
export {
  REPORTERS,
  REPORT_FILES,
  REPORT_FORMATS,
  htmlReporter,
  isReportFormat,
  jsonReporter,
  junitReporter,
  markdownReporter,
  pngReporter,
  svgReporter,
  type ReportFormat,
} from './reporters.js';

export interface WriteReportsOutcome {
  /** Paths written, by every reporter that succeeded. */
  written: string[];
  /** The error message of each reporter that threw, by reporter id. */
  errors: Record<string, string>;
}

/** Runs every reporter in turn; one that throws is recorded and the others still write. */
export async function writeReports(
  results: ResultsFile,
  outDir: string,
  reporters: readonly Reporter[] = [htmlReporter],
): Promise<WriteReportsOutcome> {
  const written: string[] = [];
  const errors: Record<string, string> = {};
  for (const reporter of reporters) {
    try {
      written.push(...(await reporter.write(results, outDir)));
    } catch (error) {
      errors[reporter.id] = error instanceof Error ? error.message : String(error);
    }
  }
  return { written, errors };
}

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ResultsFile } from '../suites/results.js';
import { renderHtmlReport } from './html.js';
import type { Reporter } from './types.js';

export type { Reporter } from './types.js';
export { renderHtmlReport } from './html.js';

export const HTML_REPORT_FILE = 'report.html';

/** Writes `outDir/report.html` atomically, so a reader never sees half a page. */
export const htmlReporter: Reporter = {
  id: 'html',
  async write(results: ResultsFile, outDir: string): Promise<string[]> {
    const path = join(outDir, HTML_REPORT_FILE);
    await mkdir(outDir, { recursive: true });
    await writeFileAtomic(path, renderHtmlReport(results), { encoding: 'utf8' });
    return [path];
  },
};

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

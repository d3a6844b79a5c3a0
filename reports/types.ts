import type { ResultsFile } from '../suites/results.js';

/** One output format for a run's results; its files are a pure function of the results. */
export interface Reporter {
  id: string;
  /** Writes its files under `outDir` and returns the paths written. */
  write(results: ResultsFile, outDir: string): Promise<string[]>;
}

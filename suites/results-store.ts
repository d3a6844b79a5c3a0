import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { RunError } from './errors.js';
import { resultsFileSchema, type ItemResult, type ResultsFile } from './results.js';

export const RESULTS_FILE = 'results.json';

/** Reads and validates `DIR/results.json`; undefined when there is none yet. */
export async function readResults(outDir: string): Promise<ResultsFile | undefined> {
  const path = join(outDir, RESULTS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunError('results-invalid', `${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RunError('results-invalid', `${path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** Writes the whole results file atomically (temp file + rename): a kill never leaves half a file. */
export async function writeResults(outDir: string, results: ResultsFile): Promise<void> {
  await writeFileAtomic(join(outDir, RESULTS_FILE), JSON.stringify(results, null, 2) + '\n');
}

/** Counts recomputed from the items, so merged or resumed runs never carry stale totals. */
export function summarize(items: readonly ItemResult[]): ResultsFile['summary'] {
  const analysed = items.filter((item) => item.status === 'ok');
  const passed = analysed.filter((item) => item.verdict.pass).length;
  return {
    items: items.length,
    analysed: analysed.length,
    passed,
    failed: analysed.length - passed,
    notAnalysed: items.length - analysed.length,
    costUsd: Math.round(items.reduce((sum, item) => sum + item.costUsd, 0) * 1e6) / 1e6,
  };
}

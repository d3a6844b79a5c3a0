import { RESULTS_FILE, readResults } from './results-store.js';
import type { ResultsFile } from './results.js';

export type RunDirErrorCode = 'run-missing' | 'run-invalid';

/** A run folder given to gate, merge or history that holds no usable results. */
export class RunDirError extends Error {
  override readonly name = 'RunDirError';
  constructor(
    readonly code: RunDirErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A finished or partial run read from `dir/results.json`, validated; `role` names the folder in errors ("baseline"). */
export async function readRunDir(dir: string, role: string): Promise<ResultsFile> {
  let results: ResultsFile | undefined;
  try {
    results = await readResults(dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RunDirError('run-invalid', `${role} ${dir}: cannot read its results (${reason})`);
  }
  if (results === undefined) throw new RunDirError('run-missing', `${role} ${dir}: no ${RESULTS_FILE} there (is it a physeval run folder?)`);
  return results;
}

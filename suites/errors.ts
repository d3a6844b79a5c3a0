/** Stable codes for errors a user can fix (bad flag, unknown id, unusable output folder). */
export type RunErrorCode = 'unknown-suite' | 'unknown-generator' | 'unknown-metric' | 'run-mismatch' | 'invalid-option' | 'results-invalid';

export class RunError extends Error {
  override readonly name = 'RunError';
  constructor(
    readonly code: RunErrorCode,
    message: string,
  ) {
    super(message);
  }
}

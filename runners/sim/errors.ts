/** Stable failure codes of the simulator; callers branch on `code`, never on the message. */
export type SimErrorCode =
  | 'unsupported-category'
  | 'unknown-defect'
  | 'invalid-defect-value'
  | 'defect-not-applicable'
  | 'invalid-option'
  | 'physics-runaway';

/**
 * A simulation that cannot be made. The message starts with what it was about (a prompt id, a
 * file or a CLI argument) and says what is wrong, e.g.
 * `drop-tennis: energy-gain needs a bounce, but the ball never touches the floor in 1.5 s`.
 */
export class SimError extends Error {
  override readonly name = 'SimError';

  constructor(
    readonly code: SimErrorCode,
    /** What the error is about: a prompt id, an output path or the offending argument. */
    readonly subject: string,
    problem: string,
  ) {
    super(`${subject}: ${problem}`);
  }
}

export function isSimError(value: unknown): value is SimError {
  return value instanceof SimError;
}

/** Exit codes of every physeval command. */
export const EXIT = {
  ok: 0,
  /** The run or analysis finished, and `--fail-on-violation` found a clip that broke physics. */
  violation: 1,
  /** Nothing could be done: bad usage, unknown id, or no input could be analysed. */
  error: 2,
} as const;

/** One sentence for the user, no stack trace: typed errors carry a `code` and a message that says what and where. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} [${code}]` : error.message;
  }
  return String(error);
}

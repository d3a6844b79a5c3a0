import { spawn, type ChildProcess } from 'node:child_process';

/** Keeps the last few complete stderr lines of a tool, for error messages; memory stays bounded. */
export class StderrTail {
  private readonly kept: string[] = [];
  private partial = '';

  /** `ignore` matches per-frame chatter (showinfo) that must not push the real error out of the tail. */
  constructor(
    private readonly maxLines = 12,
    private readonly ignore: RegExp | null = null,
  ) {}

  /** Adds a chunk; returns the complete lines it finished, for callers that parse them. */
  push(chunk: Buffer | string): string[] {
    const text = this.partial + chunk.toString();
    const lines = text.split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    const complete = lines.filter((line) => line.trim() !== '');
    for (const line of complete) this.keep(line);
    return complete;
  }

  /** Flushes an unterminated last line when the stream ends. */
  end(): string[] {
    const rest = this.partial.trim();
    this.partial = '';
    if (rest === '') return [];
    this.keep(rest);
    return [rest];
  }

  lines(): readonly string[] {
    return this.kept;
  }

  lastLine(): string {
    return this.kept[this.kept.length - 1] ?? '(no stderr output)';
  }

  private keep(line: string): void {
    if (this.ignore?.test(line)) return;
    this.kept.push(line);
    if (this.kept.length > this.maxLines) this.kept.shift();
  }
}

export interface ExitStatus {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the child has exited and its stdio is closed; rejects only if it could not start. */
export function waitForExit(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ exitCode: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('error', reject);
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => resolve({ exitCode, signal }));
  });
}

/** Kills a child that is still running and waits until it is gone, so no ffmpeg outlives its caller. */
export async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child).catch(() => undefined);
  child.kill('SIGKILL');
  await exited;
}

export interface RunToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Sees every complete stderr line, including those `stderrIgnore` keeps out of the tail. */
  onStderrLine?: (line: string) => void;
  stderrIgnore?: RegExp;
}

export interface ToolRun extends ExitStatus {
  stdout: Buffer;
  stderr: StderrTail;
}

/**
 * Runs a tool to completion, collecting stdout (for small outputs: JSON, short PCM) and the stderr
 * tail. A timeout or an abort kills the tool; the caller sees `signal: 'SIGKILL'`.
 */
export async function runTool(
  binaryPath: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolRun> {
  const child = spawn(binaryPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  const stderr = new StderrTail(12, options.stderrIgnore ?? null);
  const onLines = (lines: readonly string[]): void => {
    if (options.onStderrLine) for (const line of lines) options.onStderrLine(line);
  };
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => onLines(stderr.push(chunk)));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(kill, options.timeoutMs);
  options.signal?.addEventListener('abort', kill, { once: true });
  try {
    const status = await waitForExit(child);
    onLines(stderr.end());
    return { ...status, stdout: Buffer.concat(chunks), stderr };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', kill);
  }
}

import type { RunEvent } from '../suites/run.js';

/**
 * Shows a run's progress: one redrawn bar on a terminal, plain log lines elsewhere (CI logs),
 * so neither gets the other's noise.
 */
export function progressPrinter(stream: NodeJS.WriteStream): (event: RunEvent) => void {
  const interactive = stream.isTTY === true && process.env.CI === undefined;
  const phases = new Map<string, string>();
  /** Items that are provider jobs (they pass through `queued`): in CI logs their stage changes get a line each. */
  const jobPhases = new Map<string, string>();
  let total = 0;
  let finished = 0;
  const bar = (): void => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((finished / total) * width);
    const active = [...phases.entries()].map(([key, phase]) => `${key} ${phase}`).join(', ');
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${total} ${active}`;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
  };
  return (event) => {
    switch (event.type) {
      case 'planned':
        total = event.total;
        finished = event.resumed;
        if (event.resumed > 0) stream.write(`physeval: resuming, ${event.resumed} of ${event.total} items already done\n`);
        else if (!interactive) stream.write(`physeval: ${event.total} items\n`);
        break;
      case 'phase':
        phases.set(event.key, event.detail === undefined ? event.phase : `${event.phase} ${event.detail}`);
        if (!interactive && (event.phase === 'queued' || jobPhases.has(event.key)) && jobPhases.get(event.key) !== event.phase) {
          jobPhases.set(event.key, event.phase);
          stream.write(`physeval: ${event.key} ${event.phase}${event.detail === undefined ? '' : ` ${event.detail}`}\n`);
        }
        break;
      case 'done': {
        finished = event.finished;
        phases.delete(event.result.key);
        jobPhases.delete(event.result.key);
        if (!interactive) {
          const { result } = event;
          const outcome = result.status !== 'ok'
            ? `${result.status}: ${result.message ?? ''}`
            : result.verdict.pass ? 'pass' : `fail (${result.verdict.failures.map((f) => f.code).join(', ') || 'metric error'})`;
          stream.write(`physeval: [${event.finished}/${event.total}] ${result.key} ${outcome}\n`);
        }
        break;
      }
    }
    if (interactive) {
      bar();
      if (event.type === 'done' && event.finished === event.total) stream.write('\n');
    }
  };
}

import { dirname, join, parse } from 'node:path';
import type { Command } from 'commander';
import { renderHistoryHtml } from '../reports/charts/trend.js';
import { writeReportFile } from '../reports/write-text.js';
import { HISTORY_FILE, historyRows, mergeHistory, readHistory, writeHistory } from '../suites/history.js';
import { readRunDir } from '../suites/read-run.js';

interface HistoryFlags {
  file: string;
  json?: boolean;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('record runs in a history file (one JSON line per run × generator × metric) and chart each metric over runs in an offline history.html')
    .argument('[dir...]', 'run folders to add (none: only redraw the chart)')
    .option('-f, --file <path>', 'history file; the chart is written beside it with the extension .html', HISTORY_FILE)
    .option('--json', 'print every row of the history as JSON')
    .action(async (dirs: string[], flags: HistoryFlags) => {
      const added = [];
      for (const dir of dirs) added.push(...historyRows(await readRunDir(dir, 'run')));
      const rows = mergeHistory(await readHistory(flags.file), added);
      if (dirs.length > 0) await writeHistory(flags.file, rows);
      const chartPath = join(dirname(flags.file), `${parse(flags.file).name}.html`);
      await writeReportFile(chartPath, renderHistoryHtml(rows));
      process.stderr.write(`physeval: ${dirs.length} run${dirs.length === 1 ? '' : 's'} added, ${added.length} rows; ${flags.file} holds ${rows.length} rows; wrote ${chartPath}\n`);
      if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    });
}

import { Argument, type Command } from 'commander';
import { METRICS } from '../metrics/registry.js';
import { loadCatalog } from '../prompts/catalog.js';
import { createGenerator, knownGeneratorIds } from '../runners/registry.js';
import { SUITES } from '../suites/definitions.js';
import { selectPrompts } from '../suites/suite.js';

const KINDS = ['prompts', 'suites', 'generators', 'metrics'] as const;
type Kind = (typeof KINDS)[number];

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the prompts, suites, generators or metrics physeval knows')
    .addArgument(new Argument('<kind>', 'what to list').choices(KINDS))
    .option('--json', 'print JSON')
    .action((kind: Kind, flags: { json?: boolean }) => {
      const rows = listRows(kind);
      if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      else process.stdout.write(formatTable(rows) + '\n');
    });
}

type Row = Record<string, string | number>;

export function listRows(kind: Kind): Row[] {
  switch (kind) {
    case 'prompts':
      return loadCatalog().map((prompt) => ({ id: prompt.id, category: prompt.category, durationS: prompt.durationS, text: prompt.text }));
    case 'suites': {
      const catalog = loadCatalog();
      return Object.values(SUITES).map((suite) => ({
        id: suite.id,
        prompts: selectPrompts(suite, catalog).length,
        metrics: suite.metrics.join(','),
        description: suite.description,
      }));
    }
    case 'generators':
      return [
        ...knownGeneratorIds().map((id) => createGenerator(id).info).map((info) => ({
          id: info.id,
          modes: info.modes.join(','),
          priceUsdPerS: info.priceUsdPerS,
          key: info.needsKey ? 'yes' : 'no',
          description: info.description,
        })),
        { id: 'files:<dir>', modes: 'existing videos', priceUsdPerS: 0, key: 'no', description: 'videos you already have, matched to prompts by <dir>/manifest.json or by file name <promptId>[-s<seed>].mp4' },
      ];
    case 'metrics':
      return Object.values(METRICS).map((metric) => ({
        id: metric.id,
        version: metric.version,
        codes: metric.codes.join(','),
        description: metric.description,
      }));
  }
}

/** Aligned columns; the last column (free text) is left to wrap. */
function formatTable(rows: Row[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(columns), ...rows.map((row) => line(columns.map((column) => String(row[column]))))].join('\n');
}

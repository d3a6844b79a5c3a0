import type { Command } from 'commander';
import { REPORTERS, writeReports, type ReportFormat } from '../reports/index.js';
import { mergeRuns } from '../suites/merge.js';
import { reportFormatList } from './report.js';
import { summaryLines } from './run.js';

interface MergeFlags {
  out: string;
  report: boolean;
  reportFormat: ReportFormat[];
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join the folders of a sharded run (`physeval run --shard i/n`) into one run with its videos, results.json and report')
    .argument('<dir...>', 'run folders, one per shard')
    .requiredOption('-o, --out <dir>', 'folder for the merged run (not one of the inputs)')
    .option('--report-format <list>', 'comma-separated report formats written after the merge (see `physeval report`)', reportFormatList, ['html' as const])
    .option('--no-report', 'write results.json only')
    .action(async (dirs: string[], flags: MergeFlags) => {
      const { results, filesCopied, warnings } = await mergeRuns(dirs, flags.out);
      for (const warning of warnings) process.stderr.write(`physeval: warning: ${warning}\n`);
      process.stderr.write(`physeval: merged ${dirs.length} folder${dirs.length === 1 ? '' : 's'}, ${filesCopied} files (videos, ground truth, key frames) linked or copied\n`);
      if (flags.report) {
        const { written, errors } = await writeReports(results, flags.out, flags.reportFormat.map((format) => REPORTERS[format]));
        for (const path of written) process.stderr.write(`physeval: wrote ${path}\n`);
        for (const [reporter, message] of Object.entries(errors)) process.stderr.write(`physeval: reporter ${reporter} failed: ${message}\n`);
      }
      process.stdout.write(summaryLines(results, flags.out).join('\n') + '\n');
    });
}

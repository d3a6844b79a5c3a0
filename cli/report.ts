import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { didYouMean } from '../prompts/did-you-mean.js';
import { REPORTERS, REPORT_FORMATS, isReportFormat, writeReports, type ReportFormat } from '../reports/index.js';
import type { ResultsFile } from '../suites/results.js';
import { RESULTS_FILE, readResults } from '../suites/results-store.js';
import { EXIT } from './exit-codes.js';
import { idList } from './parse.js';

interface ReportFlags {
  format: ReportFormat[];
  out?: string;
}

export class ReportCommandError extends Error {
  override readonly name = 'ReportCommandError';
  constructor(
    readonly code: 'results-missing',
    message: string,
  ) {
    super(message);
  }
}

export function registerReport(program: Command, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('write the reports of a finished run from its results.json: HTML, Markdown summary, JUnit XML, JSON, chart SVG and PNG')
    .argument('<dir>', 'folder of a run (holds results.json)')
    .option('-f, --format <list>', `comma-separated formats: ${REPORT_FORMATS.join(',')}`, reportFormatList, [...REPORT_FORMATS])
    .option('-o, --out <dir>', 'folder to write the reports to (default: the run folder)')
    .action(async (dir: string, flags: ReportFlags) => {
      const results = await readResults(dir);
      if (results === undefined) {
        throw new ReportCommandError('results-missing', `${resolve(dir, RESULTS_FILE)} does not exist: pass the folder of a run (physeval run --out DIR)`);
      }
      const outDir = flags.out ?? dir;
      // The run folder already holds its results.json; rewriting it would only risk the original.
      const formats = resolve(outDir) === resolve(dir) ? flags.format.filter((format) => format !== 'json') : flags.format;
      const { written, errors } = await writeReports(results, outDir, formats.map((format) => REPORTERS[format]));
      if (formats.includes('html') && resolve(outDir) !== resolve(dir)) written.push(...(await copyKeyFrames(results, dir, outDir)));
      for (const path of written) process.stderr.write(`physeval: wrote ${path}\n`);
      for (const [reporter, message] of Object.entries(errors)) process.stderr.write(`physeval: reporter ${reporter} failed: ${message}\n`);
      process.stdout.write(`physeval: ${written.length} files from ${results.items.length} items → ${outDir}\n`);
      setExit(Object.keys(errors).length > 0 ? EXIT.error : EXIT.ok);
    });
}

/** The HTML links each key frame relative to itself: a report written elsewhere takes copies along. */
async function copyKeyFrames(results: ResultsFile, runDir: string, outDir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const item of results.items) {
    if (item.keyFrame === undefined) continue;
    const target = join(outDir, item.keyFrame);
    try {
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(runDir, item.keyFrame), target);
      copied.push(target);
    } catch {
      // A frame that is gone leaves its image out of the report, as in the run folder itself.
    }
  }
  return copied;
}

/** `--format` / `--report-format`: known ids, each once, in the order given. */
export function reportFormatList(value: string): ReportFormat[] {
  const formats: ReportFormat[] = [];
  for (const id of idList(value)) {
    if (!isReportFormat(id)) throw new InvalidArgumentError(`unknown format '${id}'${didYouMean(id, REPORT_FORMATS)}; known: ${REPORT_FORMATS.join(', ')}`);
    if (!formats.includes(id)) formats.push(id);
  }
  return formats;
}

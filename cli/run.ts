import { InvalidArgumentError, type Command } from 'commander';
import { writeReports } from '../reports/index.js';
import type { ResultsFile } from '../suites/results.js';
import { parseShard, type Shard } from '../suites/plan.js';
import { RUN_DEFAULTS, run } from '../suites/run.js';
import { EXIT } from './exit-codes.js';
import { frameSize, idList, intList, positiveInt } from './parse.js';
import { progressPrinter } from './progress.js';

interface RunFlags {
  suite: string;
  generators?: string[];
  seeds?: number[];
  out?: string;
  concurrency?: number;
  size?: { width: number; height: number };
  fps?: number;
  retryFailed?: boolean;
  shard?: Shard;
  failOnViolation?: boolean;
  report: boolean;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('generate a clip for every prompt of a suite with each generator, analyse them, write results.json and report.html')
    .option('-s, --suite <name>', 'suite to run (see `physeval list suites`)', RUN_DEFAULTS.suite)
    .option('-g, --generators <ids>', "comma-separated generator ids (default: the suite's, sim:ideal,sim:flawed)", idList)
    .option('--seeds <list>', 'comma-separated seeds, one item per prompt × generator × seed (default: 1)', intList)
    .option('-o, --out <dir>', 'output folder; running again with the same folder resumes (default: physeval-results/<suite>)')
    .option('-j, --concurrency <n>', 'items in flight at once (default: the number of cores)', positiveInt)
    .option('--size <WxH>', `size of simulated clips (default: ${RUN_DEFAULTS.width}x${RUN_DEFAULTS.height})`, frameSize)
    .option('--fps <n>', `frame rate of simulated clips (default: ${RUN_DEFAULTS.fps})`, positiveInt)
    .option('--shard <i/n>', 'run only shard i of n (contiguous slices of the key-sorted items; `physeval merge` joins them)', shardOption)
    .option('--retry-failed', 'when resuming, run again the items whose generation failed or timed out')
    .option('--fail-on-violation', 'exit 1 when any analysed clip fails a physics check (for release gates)')
    .option('--no-report', 'write results.json only')
    .action(async (flags: RunFlags) => {
      const outDir = flags.out ?? `physeval-results/${flags.suite}`;
      const results = await run({
        outDir,
        suite: flags.suite,
        ...(flags.generators ? { generators: flags.generators } : {}),
        ...(flags.seeds ? { seeds: flags.seeds } : {}),
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(flags.size ?? {}),
        ...(flags.fps ? { fps: flags.fps } : {}),
        ...(flags.retryFailed ? { retryFailed: true } : {}),
        ...(flags.shard ? { shard: flags.shard } : {}),
        onEvent: progressPrinter(process.stderr),
      });
      if (flags.report) {
        const { written, errors } = await writeReports(results, outDir);
        for (const path of written) process.stderr.write(`physeval: wrote ${path}\n`);
        for (const [reporter, message] of Object.entries(errors)) process.stderr.write(`physeval: reporter ${reporter} failed: ${message}\n`);
      }
      process.stdout.write(summaryLines(results, outDir).join('\n') + '\n');
      const violated = results.items.some((item) => item.status === 'ok' && !item.verdict.pass);
      setExit(flags.failOnViolation && violated ? EXIT.violation : EXIT.ok);
    });
}

/** Per generator: passed / analysed, what was not analysed, and for simulated defects how many were caught. */
export function summaryLines(results: ResultsFile, outDir: string): string[] {
  const lines = [`physeval: ${results.summary.items} items, ${results.summary.passed} passed, ${results.summary.failed} failed, ${results.summary.notAnalysed} not analysed → ${outDir}/results.json`];
  for (const generator of results.config.generators) {
    const items = results.items.filter((item) => item.generator === generator);
    const analysed = items.filter((item) => item.status === 'ok');
    const passed = analysed.filter((item) => item.verdict.pass).length;
    const planted = analysed.filter((item) => typeof item.plantedDefect === 'string');
    const caught = planted.filter((item) => item.verdict.failures.some((failure) => failure.code === item.plantedDefect));
    const notAnalysed = items.length - analysed.length;
    lines.push(
      `  ${generator}: ${passed}/${analysed.length} passed` +
        (planted.length > 0 ? `, planted defects caught ${caught.length}/${planted.length}` : '') +
        (notAnalysed > 0 ? `, ${notAnalysed} not analysed` : ''),
    );
  }
  return lines;
}

function shardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

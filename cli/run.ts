import { InvalidArgumentError, type Command } from 'commander';
import { REPORTERS, writeReports, type ReportFormat } from '../reports/index.js';
import { findConfigFile, loadConfig, takeFirst, type LoadedConfig } from '../suites/config.js';
import { describePlan, planRun } from '../suites/dry-run.js';
import type { ResultsFile } from '../suites/results.js';
import { parseShard, type Shard } from '../suites/plan.js';
import { RUN_DEFAULTS, run } from '../suites/run.js';
import { PROVIDER_NAMES, providerLimitEnvNames, resolveProviderLimits, type ProviderLimitSettings } from '../runners/provider-limits.js';
import { EXIT } from './exit-codes.js';
import { frameSize, idList, intList, positiveInt } from './parse.js';
import { progressPrinter } from './progress.js';
import { reportFormatList } from './report.js';

interface RunFlags {
  suite?: string;
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
  reportFormat: ReportFormat[];
  config?: string;
  dryRun?: boolean;
  maxCost?: number;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('generate a clip for every prompt of a suite with each generator, analyse them, write results.json and report.html')
    .option('-s, --suite <name>', `suite to run (see \`physeval list suites\`; default: ${RUN_DEFAULTS.suite})`)
    .option('-g, --generators <ids>', "comma-separated generator ids (default: the suite's, sim:ideal,sim:flawed)", idList)
    .option('--seeds <list>', 'comma-separated seeds, one item per prompt × generator × seed (default: 1)', intList)
    .option('-o, --out <dir>', 'output folder; running again with the same folder resumes (default: physeval-results/<suite>)')
    .option('-j, --concurrency <n>', 'items in flight at once (default: the number of cores)', positiveInt)
    .option('--size <WxH>', `size of simulated clips (default: ${RUN_DEFAULTS.width}x${RUN_DEFAULTS.height})`, frameSize)
    .option('--fps <n>', `frame rate of simulated clips (default: ${RUN_DEFAULTS.fps})`, positiveInt)
    .option('--shard <i/n>', 'run only shard i of n (contiguous slices of the key-sorted items; `physeval merge` joins them)', shardOption)
    .option('--retry-failed', 'when resuming, run again the items whose generation failed or timed out')
    .option('--fail-on-violation', 'exit 1 when any analysed clip fails a physics check (for release gates)')
    .option('--report-format <list>', 'comma-separated report formats written after the run (see `physeval report`)', reportFormatList, ['html' as const])
    .option('--no-report', 'write results.json only')
    .option('--config <file>', 'config file (.mjs, .js, .json, .yaml); default: physeval.config.* in the working folder; flags override it')
    .option('--dry-run', 'print the plan (what each generator would be asked, unsupported items) and its estimated cost; send nothing')
    .option('--max-cost <usd>', 'stop submitting before the estimated spend would pass this many US dollars', usdAmount)
    .action(async (flags: RunFlags) => {
      const configPath = flags.config ?? findConfigFile();
      const file: Partial<LoadedConfig> = configPath === undefined ? {} : await loadConfig(configPath);
      const suite = takeFirst(flags.suite, file.suite) ?? RUN_DEFAULTS.suite;
      const generators = takeFirst(flags.generators, file.generators);
      const seeds = takeFirst(flags.seeds, file.seeds);
      const concurrency = takeFirst(flags.concurrency, file.concurrency);
      const maxCostUsd = takeFirst(flags.maxCost, file.maxCostUsd);
      const shared = {
        suite,
        ...(generators ? { generators } : {}),
        ...(seeds ? { seeds } : {}),
        ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
        ...(file.generatorOptions ? { generatorOptions: file.generatorOptions } : {}),
        ...(file.prices ? { prices: file.prices } : {}),
        ...(file.providerLimits ? { providerLimits: file.providerLimits } : {}),
        ...(flags.shard ? { shard: flags.shard } : {}),
      };
      if (flags.dryRun) {
        const plan = planRun(shared);
        const limits = providerLimitLines([...new Set(plan.items.map((item) => item.generator))], file.providerLimits ?? {});
        process.stdout.write([...describePlan(plan), ...limits].join('\n') + '\n');
        setExit(EXIT.ok);
        return;
      }
      const outDir = takeFirst(flags.out, file.out) ?? `physeval-results/${suite}`;
      const results = await run({
        outDir,
        ...shared,
        ...(concurrency ? { concurrency } : {}),
        ...(flags.size ?? {}),
        ...(flags.fps ? { fps: flags.fps } : {}),
        ...(flags.retryFailed ? { retryFailed: true } : {}),
        onEvent: progressPrinter(process.stderr),
      });
      if (flags.report) {
        const { written, errors } = await writeReports(results, outDir, flags.reportFormat.map((format) => REPORTERS[format]));
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
  const lines = [`physeval: ${results.summary.items} items, ${results.summary.passed} passed, ${results.summary.failed} failed, ${results.summary.notAnalysed} not analysed${results.summary.costUsd > 0 ? `, cost $${results.summary.costUsd.toFixed(2)}` : ''} → ${outDir}/results.json`];
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

/** The limits each provider of the plan would run under, and the variables that change them. */
function providerLimitLines(generatorIds: readonly string[], config: Readonly<Record<string, ProviderLimitSettings>>): string[] {
  const providers = PROVIDER_NAMES.filter((provider) => generatorIds.some((id) => id.startsWith(`${provider}:`)));
  return providers.map((provider) => {
    const limits = resolveProviderLimits(provider, config[provider]);
    const names = providerLimitEnvNames(provider);
    const perMinute = limits.requestsPerMinute > 0 ? `${limits.requestsPerMinute} creates a minute` : 'no limit on creates a minute';
    return `limits ${provider}: ${limits.concurrency} jobs at once, ${perMinute} (${names.concurrency}, ${names.requestsPerMinute})`;
  });
}

function usdAmount(value: string): number {
  const parsed = Number(value.replace(/^\$/, ''));
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError(`expected an amount of US dollars, e.g. 5 or 2.50, got '${value}'`);
  return parsed;
}

function shardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

import { InvalidArgumentError, type Command } from 'commander';
import { didYouMean } from '../prompts/did-you-mean.js';
import { GATE_DEFAULTS, gate, type GateVerdict, type GeneratorPair } from '../suites/gate.js';
import { GATE_METRICS, SUITE_GATE_LIMITS, isGateMetricId, type GateLimits, type GateMetricId } from '../suites/gate-metrics.js';
import { readRunDir } from '../suites/read-run.js';
import { EXIT } from './exit-codes.js';
import { idList } from './parse.js';

interface GateFlags {
  baseline?: string;
  candidate: string;
  maxDrop?: Partial<Record<GateMetricId, number>>;
  limit?: Partial<Record<GateMetricId, number>>;
  minPassRate?: number;
  suiteThresholds?: boolean;
  alpha?: number;
  generators?: string[];
  pair?: GeneratorPair[];
  json?: boolean;
}

export function registerGate(program: Command, setExit: (code: number) => void): void {
  const defaultDrops = GATE_METRICS.map((metric) => `${metric.id}=${metric.defaultMaxDrop}`).join(', ');
  program
    .command('gate')
    .description('release gate: compare a candidate run with a baseline (paired tests over prompts and seeds), or hold one run to limits; exit 0 pass, 1 regression, 2 could not compare')
    .requiredOption('-c, --candidate <dir>', 'the run to judge (a folder written by `physeval run` or `physeval merge`)')
    .option('-b, --baseline <dir>', 'the run to compare against, item by item (matched by generator|prompt|seed)')
    .option('--max-drop <metric=value>', `largest tolerated worsening of a metric, repeatable (defaults: ${defaultDrops})`, metricValue)
    .option('--min-pass-rate <rate>', 'each generator of the candidate must pass at least this share of its items (0..1)', rate)
    .option('--limit <metric=value>', 'the median of a metric per generator must not be worse than this; repeatable', metricValue)
    .option('--suite-thresholds', "also apply the limits physeval sets for the candidate's suite (see the README); explicit flags win")
    .option('--alpha <p>', `one-sided significance level of each test (default: ${GATE_DEFAULTS.alpha})`, rate)
    .option('-g, --generators <ids>', 'judge only these generators (comma-separated)', idList)
    .option('--pair <old=new>', "compare the candidate's generator NEW with the baseline's OLD, by prompt and seed (a new model version against the old); repeatable, judges only paired generators", generatorPair)
    .option('--json', 'print the verdict as JSON')
    .action(async (flags: GateFlags) => {
      const candidate = { dir: flags.candidate, results: await readRunDir(flags.candidate, 'candidate') };
      const baseline = flags.baseline === undefined ? null : { dir: flags.baseline, results: await readRunDir(flags.baseline, 'baseline') };
      const verdict = gate(baseline, candidate, {
        ...(flags.maxDrop ? { maxDrop: flags.maxDrop } : {}),
        ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
        ...(flags.generators ? { generators: flags.generators } : {}),
        ...(flags.pair ? { pairs: flags.pair } : {}),
        ...limitsOf(flags, candidate.results.config.suite),
      });
      process.stdout.write(flags.json ? JSON.stringify(verdict, null, 2) + '\n' : verdictLines(verdict).join('\n') + '\n');
      setExit(verdict.pass ? EXIT.ok : EXIT.violation);
    });
}

/** Explicit --min-pass-rate and --limit over the suite's limits (with --suite-thresholds); none when neither is given. */
function limitsOf(flags: GateFlags, suite: string): { limits?: GateLimits } {
  const fromSuite = flags.suiteThresholds ? SUITE_GATE_LIMITS[suite] : undefined;
  const minPassRate = flags.minPassRate ?? fromSuite?.minPassRate;
  const limits = { ...fromSuite?.limits, ...flags.limit };
  if (minPassRate === undefined && Object.keys(limits).length === 0) return {};
  return { limits: { ...(minPassRate === undefined ? {} : { minPassRate }), limits } };
}

/** The verdict in words: one headline, then each comparison and limit, the newly failing items and notes. */
export function verdictLines(verdict: GateVerdict): string[] {
  const regressions = verdict.comparisons.filter((c) => c.status === 'regressed').length + verdict.limits.filter((check) => !check.pass).length;
  const against =
    verdict.baseline === null
      ? `candidate ${verdict.candidate.dir} (run ${verdict.candidate.runId}, ${verdict.candidate.items} items) against limits`
      : `candidate ${verdict.candidate.dir} (run ${verdict.candidate.runId}) against baseline ${verdict.baseline.dir} (run ${verdict.baseline.runId}), ${verdict.matchedItems} matched items`;
  const lines = [`physeval gate: ${verdict.pass ? 'PASS' : `FAIL, ${regressions} regression${regressions === 1 ? '' : 's'}`}: ${against}`];
  for (const comparison of verdict.comparisons) if (comparison.status !== 'no-data') lines.push(`  ${comparison.sentence}`);
  for (const check of verdict.limits) lines.push(`  ${check.pass ? '' : 'LIMIT BROKEN: '}${check.sentence}`);
  if (verdict.newFailures.length > 0) {
    lines.push(`Items that passed in the baseline and now fail (${verdict.newFailures.length}):`);
    for (const failure of verdict.newFailures) lines.push(`  ${failure.sentence}`);
  }
  for (const note of verdict.notes) lines.push(`note: ${note}`);
  return lines;
}

function metricValue(text: string, previous: Partial<Record<GateMetricId, number>> = {}): Partial<Record<GateMetricId, number>> {
  const match = /^([A-Za-z]+)=(.+)$/.exec(text.trim());
  const id = match?.[1] ?? '';
  const value = Number(match?.[2]);
  if (!match || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`expected METRIC=VALUE with a number of at least 0, e.g. gravityError=0.02, got '${text}'`);
  }
  if (!isGateMetricId(id)) {
    throw new InvalidArgumentError(`unknown metric '${id}'${didYouMean(id, GATE_METRICS.map((metric) => metric.id))}; known: ${GATE_METRICS.map((metric) => metric.id).join(', ')}`);
  }
  return { ...previous, [id]: value };
}

function generatorPair(text: string, previous: GeneratorPair[] = []): GeneratorPair[] {
  const [baseline = '', candidate = ''] = text.split('=', 2).map((part) => part.trim());
  if (baseline === '' || candidate === '' || text.split('=').length !== 2) {
    throw new InvalidArgumentError(`expected OLD=NEW generator ids, e.g. vendor:model-1=vendor:model-2, got '${text}'`);
  }
  return [...previous, { baseline, candidate }];
}

function rate(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new InvalidArgumentError(`expected a number from 0 to 1, got '${text}'`);
  return value;
}

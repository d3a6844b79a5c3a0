import { loadCatalog } from '../prompts/catalog.js';
import type { Prompt } from '../prompts/schema.js';
import {
  GATE_METRICS,
  STANDARD_GRAVITY_MS2,
  type GateLimits,
  type GateMetric,
  type GateMetricId,
  type ItemExpectation,
} from './gate-metrics.js';
import { mcnemarExact, median, minimumPairsFor, signedRankTest } from './gate-stats.js';
import type { ItemResult, ResultsFile } from './results.js';

export type GateErrorCode = 'gate-incomparable' | 'gate-no-common-items' | 'gate-invalid-option';

/** The two runs cannot be compared, or the gate was asked something it cannot do (exit 2). */
export class GateError extends Error {
  override readonly name = 'GateError';
  constructor(
    readonly code: GateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Defaults of the gate, in one place the README points to. */
export const GATE_DEFAULTS = {
  /** One-sided significance level of each test. */
  alpha: 0.05,
} as const;

export interface GeneratorPair {
  baseline: string;
  candidate: string;
}

export interface GateRun {
  dir: string;
  results: ResultsFile;
}

export interface GateOptions {
  alpha?: number;
  /** Largest tolerated worsening per metric, in its unit; the metric's `defaultMaxDrop` otherwise. */
  maxDrop?: Partial<Record<GateMetricId, number>>;
  /** Absolute limits the candidate must meet on its own. */
  limits?: GateLimits;
  /** Only these generators (all by default). */
  generators?: readonly string[];
  /**
   * Compare a candidate generator with another baseline generator (a new model version against
   * the old): items are matched by prompt and seed, and only the paired generators are judged.
   */
  pairs?: ReadonlyArray<GeneratorPair>;
  /** What each item was expected to show; by default the catalog prompt's expectations. */
  expectationOf?: (item: ItemResult) => ItemExpectation;
}

/**
 * regressed: significantly worse by more than the tolerated drop. too-few: worse, but too few
 * items changed for the test to tell it from noise. improved: significantly better.
 */
export type ComparisonStatus = 'regressed' | 'too-few' | 'ok' | 'improved' | 'no-data';

export interface MetricComparison {
  generator: string;
  metric: GateMetricId;
  better: 'higher' | 'lower';
  /** Matched items with a value in both runs. */
  pairs: number;
  /** Pass rate, or median over the paired items. */
  baseline: number | null;
  candidate: number | null;
  /** Worsening (positive = worse): the drop in pass rate, or the median paired worsening. */
  worsening: number | null;
  maxDrop: number;
  test: 'mcnemar-exact' | 'wilcoxon-signed-rank';
  /** One-sided p of "worse by more than maxDrop". */
  pValue: number | null;
  status: ComparisonStatus;
  sentence: string;
}

export interface LimitCheck {
  generator: string;
  metric: GateMetricId;
  /** Pass rate or median of the candidate's items. */
  value: number | null;
  limit: number;
  items: number;
  pass: boolean;
  sentence: string;
}

export interface NewFailure {
  key: string;
  sentence: string;
}

export interface RunRef {
  dir: string;
  runId: string;
  suite: string;
  items: number;
}

export interface GateVerdict {
  pass: boolean;
  alpha: number;
  baseline: RunRef | null;
  candidate: RunRef;
  matchedItems: number;
  onlyInBaseline: string[];
  onlyInCandidate: string[];
  comparisons: MetricComparison[];
  limits: LimitCheck[];
  /** Items that passed in the baseline and fail in the candidate, in words. */
  newFailures: NewFailure[];
  notes: string[];
}

/** Expectations per prompt id from the shipped catalog; unknown prompts get standard gravity and no restitution range. */
export function catalogExpectations(catalog: readonly Prompt[] = loadCatalog()): (item: ItemResult) => ItemExpectation {
  const byId = new Map(catalog.map((prompt) => [prompt.id, prompt.expect]));
  return (item) => {
    const expect = byId.get(item.promptId);
    // A trajectory metric that records the expectation it judged against wins over the catalog.
    const recorded = item.metrics['trajectory']?.['expectedGravityMS2'];
    const gravityMS2 = typeof recorded === 'number' && recorded > 0 ? recorded : (expect?.gravityMS2 ?? STANDARD_GRAVITY_MS2);
    return { gravityMS2, ...(expect?.restitution ? { restitution: expect.restitution } : {}) };
  };
}

function runRef(run: GateRun): RunRef {
  return { dir: run.dir, runId: run.results.runId, suite: run.results.config.suite, items: run.results.items.length };
}

function selected(results: ResultsFile, generators: readonly string[] | undefined): ItemResult[] {
  return generators === undefined ? results.items : results.items.filter((item) => generators.includes(item.generator));
}

/** The key a candidate item is matched by: its own, or the key its baseline generator's item has. */
function matchKeyOf(item: ItemResult, pairs: ReadonlyArray<GeneratorPair> | undefined): string {
  const pair = pairs?.find((p) => p.candidate === item.generator);
  return pair === undefined ? item.key : `${pair.baseline}|${item.promptId}|${item.seed}`;
}

/** How a comparison is named: the generator, or "old → new" for a pair. */
function comparisonName(baselineGenerator: string, candidateGenerator: string): string {
  return baselineGenerator === candidateGenerator ? baselineGenerator : `${baselineGenerator} → ${candidateGenerator}`;
}

function generatorsIn(items: readonly ItemResult[]): string[] {
  return [...new Set(items.map((item) => item.generator))].sort();
}

/**
 * Compares a candidate run with a baseline item by item (matched by key) and per generator and
 * metric, and checks the candidate against absolute limits. Without a baseline only the limits apply.
 */
export function gate(baseline: GateRun | null, candidate: GateRun, options: GateOptions = {}): GateVerdict {
  const alpha = options.alpha ?? GATE_DEFAULTS.alpha;
  if (!(alpha > 0 && alpha < 1)) throw new GateError('gate-invalid-option', `alpha must lie between 0 and 1, got ${alpha}`);
  const expectationOf = options.expectationOf ?? catalogExpectations();
  const pairs = options.pairs !== undefined && options.pairs.length > 0 ? options.pairs : undefined;
  for (const side of ['baseline', 'candidate'] as const) {
    const named = pairs?.map((pair) => pair[side]) ?? [];
    const twice = named.find((generator, index) => named.indexOf(generator) !== index);
    if (twice !== undefined) throw new GateError('gate-invalid-option', `generator ${twice} is in two pairs as the ${side}: pair each generator once`);
  }
  const candidateItems = selected(candidate.results, pairs?.map((pair) => pair.candidate) ?? options.generators);
  const comparison =
    baseline === null
      ? { matchedItems: 0, onlyInBaseline: [], onlyInCandidate: [], comparisons: [], newFailures: [], notes: [] }
      : compareRuns(baseline, candidate, candidateItems, { ...options, alpha, expectationOf, pairs });
  const limits = checkLimits(candidateItems, options.limits, expectationOf);
  if (baseline === null && limits.length === 0) {
    throw new GateError('gate-invalid-option', 'nothing to check: give --baseline DIR to compare runs, or limits such as --min-pass-rate 0.95');
  }
  return {
    pass: !comparison.comparisons.some((c) => c.status === 'regressed') && limits.every((check) => check.pass),
    alpha,
    baseline: baseline === null ? null : runRef(baseline),
    candidate: runRef(candidate),
    ...comparison,
    limits,
  };
}

type RunComparison = Pick<GateVerdict, 'matchedItems' | 'onlyInBaseline' | 'onlyInCandidate' | 'comparisons' | 'newFailures' | 'notes'>;

interface CompareSettings {
  alpha: number;
  expectationOf: (item: ItemResult) => ItemExpectation;
  pairs: ReadonlyArray<GeneratorPair> | undefined;
  generators?: readonly string[];
  maxDrop?: Partial<Record<GateMetricId, number>>;
}

/** The paired part of the gate: items matched by key, each generator × metric tested, new failures in words. */
function compareRuns(baseline: GateRun, candidate: GateRun, candidateItems: readonly ItemResult[], settings: CompareSettings): RunComparison {
  const { pairs } = settings;
  if (baseline.results.config.suite !== candidate.results.config.suite) {
    throw new GateError(
      'gate-incomparable',
      `baseline ${baseline.dir} ran suite '${baseline.results.config.suite}' and candidate ${candidate.dir} suite '${candidate.results.config.suite}': compare runs of one suite`,
    );
  }
  const baselineItems = selected(baseline.results, pairs?.map((pair) => pair.baseline) ?? settings.generators);
  const candidateByKey = new Map(candidateItems.map((item) => [matchKeyOf(item, pairs), item]));
  const baselineKeys = new Set(baselineItems.map((item) => item.key));
  const matched = baselineItems.flatMap((item) => {
    const other = candidateByKey.get(item.key);
    return other === undefined ? [] : [{ baseline: item, candidate: other }];
  });
  if (matched.length === 0) {
    throw new GateError('gate-no-common-items', `baseline ${baseline.dir} and candidate ${candidate.dir} share no item (items are matched by generator|prompt|seed)`);
  }
  const onlyInBaseline = baselineItems.filter((item) => !candidateByKey.has(item.key)).map((item) => item.key);
  const onlyInCandidate = candidateItems.filter((item) => !baselineKeys.has(matchKeyOf(item, pairs))).map((item) => item.key);

  const comparisons: MetricComparison[] = [];
  const groups = [...new Set(matched.map((pair) => comparisonName(pair.baseline.generator, pair.candidate.generator)))].sort();
  for (const name of groups) {
    const own = matched.filter((pair) => comparisonName(pair.baseline.generator, pair.candidate.generator) === name);
    for (const metric of GATE_METRICS) {
      const maxDrop = settings.maxDrop?.[metric.id] ?? metric.defaultMaxDrop;
      comparisons.push(compareMetric(name, metric, own, settings.expectationOf, maxDrop, settings.alpha));
    }
  }
  const newFailures = matched
    .filter((pair) => passed(pair.baseline) && !passed(pair.candidate))
    .map((pair) => ({ key: pair.candidate.key, sentence: newFailureSentence(pair.candidate) }));

  const notes: string[] = [];
  const clip = (results: ResultsFile): string => `${results.config.width}x${results.config.height} at ${results.config.fps} fps`;
  if (clip(baseline.results) !== clip(candidate.results)) {
    notes.push(`the runs' clips differ (${clip(baseline.results)} vs ${clip(candidate.results)}): measurements may differ with the size`);
  }
  for (const [id, version] of Object.entries(candidate.results.metricVersions)) {
    const before = baseline.results.metricVersions[id];
    if (before !== undefined && before !== version) notes.push(`metric ${id} changed version (${before} → ${version}): differences may come from the metric, not the generator`);
  }
  if (onlyInBaseline.length > 0) notes.push(`${onlyInBaseline.length} baseline item(s) missing from the candidate, e.g. ${onlyInBaseline[0]}`);
  if (onlyInCandidate.length > 0) notes.push(`${onlyInCandidate.length} candidate item(s) have no baseline to compare with, e.g. ${onlyInCandidate[0]}`);
  return { matchedItems: matched.length, onlyInBaseline, onlyInCandidate, comparisons, newFailures, notes };
}

function passed(item: ItemResult): boolean {
  return item.status === 'ok' && item.verdict.pass;
}

interface Pair {
  baseline: ItemResult;
  candidate: ItemResult;
}

function compareMetric(
  generator: string,
  metric: GateMetric,
  pairs: readonly Pair[],
  expectationOf: (item: ItemResult) => ItemExpectation,
  maxDrop: number,
  alpha: number,
): MetricComparison {
  const values = pairs.flatMap((pair) => {
    const expectation = expectationOf(pair.baseline);
    const before = metric.read(pair.baseline, expectation);
    const after = metric.read(pair.candidate, expectation);
    return before === undefined || after === undefined ? [] : [{ before, after }];
  });
  const base = { generator, metric: metric.id as GateMetricId, better: metric.better, pairs: values.length, maxDrop };
  const name = `${generator} ${metric.label}`;
  if (metric.kind === 'binary') {
    // Worse means a pass turned into a failure (higher is better for pass rate).
    const regressed = values.filter((v) => v.before > v.after).length;
    const improved = values.filter((v) => v.before < v.after).length;
    const test = mcnemarExact(regressed, improved);
    const baselineRate = mean(values.map((v) => v.before));
    const candidateRate = mean(values.map((v) => v.after));
    const worsening = values.length === 0 ? null : (regressed - improved) / values.length;
    const status = binaryStatus(test.pValue, worsening, maxDrop, regressed, improved, alpha);
    const change = `${baselineRate === null ? '–' : metric.format(baselineRate)} → ${candidateRate === null ? '–' : metric.format(candidateRate)}`;
    const evidence = `${regressed} of ${values.length} matched items now fail, ${improved} now pass; McNemar exact p = ${formatP(test.pValue)}`;
    return {
      ...base,
      baseline: baselineRate,
      candidate: candidateRate,
      worsening,
      test: 'mcnemar-exact',
      pValue: values.length === 0 ? null : test.pValue,
      status,
      sentence: `${name}: ${change} (${evidence})${statusWords(status, metric, maxDrop, alpha)}`,
    };
  }
  const worse = values.map((v) => (metric.better === 'lower' ? v.after - v.before : v.before - v.after));
  const baselineMedian = median(values.map((v) => v.before)) ?? null;
  const candidateMedian = median(values.map((v) => v.after)) ?? null;
  const worsening = median(worse) ?? null;
  if (values.length === 0) {
    return { ...base, baseline: null, candidate: null, worsening: null, test: 'wilcoxon-signed-rank', pValue: null, status: 'no-data', sentence: `${name}: no item measured in both runs` };
  }
  // H1: worse by more than maxDrop, i.e. the worsenings shifted by maxDrop tend to be positive.
  const regression = signedRankTest(worse.map((d) => d - maxDrop));
  const improvement = signedRankTest(worse.map((d) => -d));
  let status: ComparisonStatus = 'ok';
  if (regression.pValue < alpha) status = 'regressed';
  else if (worsening !== null && worsening > maxDrop && 2 ** -regression.n >= alpha) status = 'too-few';
  else if (improvement.pValue < alpha) status = 'improved';
  const change = `median ${metric.format(baselineMedian as number)} → ${metric.format(candidateMedian as number)}`;
  const evidence = `${values.length} matched items, median change ${signed(worsening as number, metric)}; Wilcoxon signed-rank p = ${formatP(regression.pValue)}`;
  return {
    ...base,
    baseline: baselineMedian,
    candidate: candidateMedian,
    worsening,
    test: 'wilcoxon-signed-rank',
    pValue: regression.pValue,
    status,
    sentence: `${name}: ${change} (${evidence})${statusWords(status, metric, maxDrop, alpha)}`,
  };
}

function binaryStatus(pValue: number, worsening: number | null, maxDrop: number, regressed: number, improved: number, alpha: number): ComparisonStatus {
  if (worsening === null) return 'no-data';
  if (worsening > maxDrop && pValue < alpha) return 'regressed';
  // Even if every changed item had regressed, the exact test could not have reached alpha.
  if (worsening > maxDrop && 2 ** -(regressed + improved) >= alpha) return 'too-few';
  if (mcnemarExact(improved, regressed).pValue < alpha) return 'improved';
  return 'ok';
}

function statusWords(status: ComparisonStatus, metric: GateMetric, maxDrop: number, alpha: number): string {
  switch (status) {
    case 'regressed':
      return maxDrop === 0
        ? ` — REGRESSION: significantly worse at α = ${alpha}`
        : ` — REGRESSION: worse by more than ${metric.kind === 'binary' ? metric.format(maxDrop) : signed(maxDrop, metric)} at α = ${alpha}`;
    case 'too-few':
      return ` — worse, but too few items changed to tell it from noise at α = ${alpha} (needs ${minimumPairsFor(alpha)} or more)`;
    case 'improved':
      return ' — improved';
    default:
      return '';
  }
}

function newFailureSentence(item: ItemResult): string {
  const reasons: string[] = [];
  if (item.status !== 'ok') reasons.push(`not analysed (${item.status}${item.message ? `: ${item.message}` : ''})`);
  for (const failure of item.verdict.failures) reasons.push(`${failure.code} — ${failure.message}`);
  for (const [metricId, message] of Object.entries(item.metricErrors)) reasons.push(`metric ${metricId} failed — ${message}`);
  return `${item.key} now fails: ${reasons.length > 0 ? reasons.join('; ') : 'no reason recorded'}`;
}

function checkLimits(items: readonly ItemResult[], limits: GateLimits | undefined, expectationOf: (item: ItemResult) => ItemExpectation): LimitCheck[] {
  if (limits === undefined) return [];
  const checks: LimitCheck[] = [];
  for (const generator of generatorsIn(items)) {
    const own = items.filter((item) => item.generator === generator);
    if (limits.minPassRate !== undefined) {
      const rate = mean(own.map((item) => (passed(item) ? 1 : 0)));
      const pass = rate !== null && rate >= limits.minPassRate;
      const passedCount = own.filter(passed).length;
      checks.push({
        generator,
        metric: 'passRate',
        value: rate,
        limit: limits.minPassRate,
        items: own.length,
        pass,
        sentence: `${generator} pass rate ${rate === null ? '–' : percentText(rate)} (${passedCount} of ${own.length}) ${pass ? 'meets' : 'is below'} the minimum ${percentText(limits.minPassRate)}`,
      });
    }
    for (const metric of GATE_METRICS) {
      const limit = limits.limits[metric.id];
      if (limit === undefined || metric.kind === 'binary') continue;
      const values = own.flatMap((item) => {
        const value = metric.read(item, expectationOf(item));
        return value === undefined ? [] : [value];
      });
      const value = median(values) ?? null;
      const pass = value !== null && (metric.better === 'lower' ? value <= limit : value >= limit);
      const bound = metric.better === 'lower' ? 'at most' : 'at least';
      checks.push({
        generator,
        metric: metric.id,
        value,
        limit,
        items: values.length,
        pass,
        sentence:
          value === null
            ? `${generator} ${metric.label}: no item measured, the limit (${bound} ${metric.format(limit)}) cannot be met`
            : `${generator} ${metric.label}: median ${metric.format(value)} over ${values.length} items ${pass ? 'is within' : 'breaks'} the limit (${bound} ${metric.format(limit)})`,
      });
    }
  }
  return checks;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function percentText(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function signed(value: number, metric: GateMetric): string {
  return `${value >= 0 ? '+' : '−'}${metric.format(Math.abs(value))}`;
}

function formatP(pValue: number): string {
  return pValue < 0.0001 ? '< 0.0001' : pValue.toFixed(4);
}

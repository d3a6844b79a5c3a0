import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { loadCatalog } from '../prompts/catalog.js';
import { physevalVersion } from '../prompts/package-root.js';
import type { Prompt } from '../prompts/schema.js';
import { ProviderLimits, type ProviderLimitSettings } from '../runners/provider-limits.js';
import { createGenerator as createRegisteredGenerator, RegistryError, type GeneratorOptions, type GeneratorSettings } from '../runners/registry.js';
import type { Generator, SourceClip } from '../runners/types.js';
import { getSuite } from './definitions.js';
import { metricById } from './metric-lookup.js';
import { RunError } from './errors.js';
import { filterForShard, itemKey, planItems, type PlannedItem, type Shard } from './plan.js';
import { RESULTS_SCHEMA_VERSION, type ItemResult, type ResultsFile, type RunConfig } from './results.js';
import { readResults, summarize, writeResults } from './results-store.js';
import { runItem, type ItemPhase } from './run-item.js';
import { selectPrompts } from './suite.js';

export interface RunOptions {
  outDir: string;
  suite?: string;
  generators?: readonly string[];
  seeds?: readonly number[];
  concurrency?: number;
  /** Size and rate of simulated clips. */
  width?: number;
  height?: number;
  fps?: number;
  /** Run only this slice of the key-sorted items; `physeval merge` joins the shards' folders. */
  shard?: Shard;
  /** Re-run items whose generation failed or timed out in an earlier, interrupted run. */
  retryFailed?: boolean;
  /** Prompts to use instead of the shipped catalog. */
  catalog?: readonly Prompt[];
  /** Stop submitting before the estimated spend (plus what was spent) would pass this, USD. */
  maxCostUsd?: number;
  /** Per-generator options from the config file, by generator id. */
  generatorOptions?: Readonly<Record<string, GeneratorOptions>>;
  /** Price overrides, USD per second, by generator id or family (`runway:*`). */
  prices?: Readonly<Record<string, number>>;
  /** Concurrency and create calls per minute by provider (`openai`, `google`...); `PHYSEVAL_<PROVIDER>_CONCURRENCY` / `_RPM` override them. */
  providerLimits?: Readonly<Record<string, ProviderLimitSettings>>;
  /** Where the provider limits' environment overrides are read; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: RunEvent) => void;
}

export type RunEvent =
  | { type: 'planned'; total: number; resumed: number }
  | { type: 'phase'; key: string; phase: ItemPhase; detail?: string }
  | { type: 'done'; result: ItemResult; finished: number; total: number };

export const RUN_DEFAULTS = { suite: 'default', seeds: [1], width: 640, height: 360, fps: 30 } as const;

/** Statuses that a resumed run keeps; failed and timed-out generations can be retried with `retryFailed`. */
const RETRYABLE: ReadonlySet<ItemResult['status']> = new Set(['failed', 'timeout']);

/**
 * Runs a suite: prompts × generators × seeds, generated and analysed with bounded concurrency.
 * Each finished item is written to `outDir/results.json` at once (atomically); running again with the
 * same `outDir` resumes, skipping finished items.
 */
export async function run(options: RunOptions): Promise<ResultsFile> {
  const suite = getSuite(options.suite ?? RUN_DEFAULTS.suite);
  const generatorIds = [...(options.generators ?? suite.defaultGenerators)];
  const config: RunConfig = {
    suite: suite.id,
    generators: generatorIds,
    seeds: [...(options.seeds ?? RUN_DEFAULTS.seeds)],
    concurrency: options.concurrency ?? availableParallelism(),
    width: options.width ?? RUN_DEFAULTS.width,
    height: options.height ?? RUN_DEFAULTS.height,
    fps: options.fps ?? RUN_DEFAULTS.fps,
    thresholds: Object.fromEntries(Object.entries(suite.thresholds).map(([id, values]) => [id, { ...values }])),
    ...(options.shard ? { shard: options.shard } : {}),
  };
  if (config.concurrency < 1 || !Number.isInteger(config.concurrency)) {
    throw new RunError('invalid-option', `concurrency must be a whole number of at least 1, got ${config.concurrency}`);
  }
  const settings: GeneratorSettings = {
    width: config.width,
    height: config.height,
    fps: config.fps,
    maxDurationS: suite.maxSimDurationS,
    jobsDir: join(options.outDir, 'jobs'),
    ...(options.generatorOptions ? { options: options.generatorOptions } : {}),
    ...(options.prices ? { prices: options.prices } : {}),
    providerLimits: new ProviderLimits(options.providerLimits, options.env ?? process.env),
  };
  const generators = new Map(generatorIds.map((id) => [id, createGenerator(id, settings)]));
  const metrics = suite.metrics.map(metricById);
  const allItems = planItems(selectPrompts(suite, options.catalog ?? loadCatalog()), generatorIds, config.seeds);
  const items = options.shard ? filterForShard(allItems, options.shard) : allItems;

  await mkdir(options.outDir, { recursive: true });
  const previous = await readResults(options.outDir);
  if (previous) assertSameRun(previous.config, config, options.outDir);
  const done = new Map<string, ItemResult>();
  for (const item of previous?.items ?? []) {
    // Items the budget stopped are tried again by any later run (with a larger budget).
    if (item.status !== 'skipped-budget' && !(options.retryFailed && RETRYABLE.has(item.status))) done.set(item.key, item);
  }

  const startedAt = previous?.startedAt ?? new Date().toISOString();
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    physevalVersion: physevalVersion(),
    runId: previous?.runId ?? runIdFor(startedAt),
    startedAt,
    finishedAt: null,
    config,
    metricVersions: Object.fromEntries(metrics.map((metric) => [metric.id, metric.version])),
    summary: summarize([]),
    items: [],
  };
  const todo = items.filter((item) => !done.has(item.key));
  options.onEvent?.({ type: 'planned', total: items.length, resumed: items.length - todo.length });

  // Writes are chained so that two items finishing together never race on the file.
  let writing = Promise.resolve();
  const save = (finishedAt: string | null): Promise<void> => {
    const snapshot = [...done.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    writing = writing.then(() => writeResults(options.outDir, { ...results, finishedAt, summary: summarize(snapshot), items: snapshot }));
    return writing;
  };
  await save(null);

  const limit = pLimit(config.concurrency);
  // An item that continues another item's clip waits for it, outside the limit so that waiting holds no slot.
  const finishedItems = new Map(todo.map((item) => [item.key, settleable<ItemResult>()]));
  const sourceFor = (item: PlannedItem): Promise<SourceClip | ItemResult | undefined> =>
    findSource(item, items, (key) => done.get(key) ?? finishedItems.get(key)?.promise, options.outDir);
  let finished = items.length - todo.length;
  // Spent by finished items plus the estimates of items in flight: what the budget is checked against.
  let committedUsd = [...done.values()].reduce((sum, item) => sum + item.costUsd, 0);
  await Promise.all(
    todo.map(async (item: PlannedItem) => {
      // An item its generator cannot make does not wait for a source.
      const source = generators.get(item.generatorId)?.plan(item.prompt).supported === true ? await sourceFor(item) : undefined;
      await limit(async () => {
        const generator = generators.get(item.generatorId);
        if (!generator) return;
        // With the seed, a clip already in the video cache is estimated at no cost, so the budget never skips it.
        const plan = generator.plan(item.prompt, item.seed);
        const estimateUsd = plan.supported ? (plan.costUsd ?? 0) : 0;
        let result: ItemResult;
        if (source !== undefined && 'status' in source) {
          result = source;
        } else if (options.maxCostUsd !== undefined && estimateUsd > 0 && committedUsd + estimateUsd > options.maxCostUsd + 1e-9) {
          result = skippedForBudget(item, estimateUsd, committedUsd, options.maxCostUsd);
        } else {
          committedUsd += estimateUsd;
          result = await runItem(item, {
            outDir: options.outDir,
            generator,
            metrics,
            thresholds: config.thresholds,
            onPhase: (phase, detail) => options.onEvent?.({ type: 'phase', key: item.key, phase, ...(detail === undefined ? {} : { detail }) }),
            ...(source === undefined ? {} : { source }),
          });
          committedUsd += result.costUsd - estimateUsd;
        }
        done.set(item.key, result);
        finishedItems.get(item.key)?.settle(result);
        await save(null);
        finished += 1;
        options.onEvent?.({ type: 'done', result, finished, total: items.length });
      });
    }),
  );
  const finishedAt = new Date().toISOString();
  await save(finishedAt);
  const final = [...done.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  return { ...results, finishedAt, summary: summarize(final), items: final };
}

function createGenerator(id: string, settings: GeneratorSettings): Generator {
  try {
    return createRegisteredGenerator(id, settings);
  } catch (error) {
    if (error instanceof RegistryError) throw new RunError('unknown-generator', error.message);
    throw error;
  }
}

/**
 * The clip a `fromClip` item continues: a named file, or the finished clip of the source prompt's item
 * (same generator and seed), awaited when it is still running. An item that cannot have its source
 * gets its result at once: `unsupported` when the run does not make the source (or the prompts
 * continue each other in a circle), `failed` when the source item ended without a clip.
 */
async function findSource(
  item: PlannedItem,
  items: readonly PlannedItem[],
  resultOf: (key: string) => ItemResult | Promise<ItemResult> | undefined,
  outDir: string,
): Promise<SourceClip | ItemResult | undefined> {
  const fromClip = item.prompt.fromClip;
  if (fromClip === undefined) return undefined;
  if (fromClip.promptId === undefined) return fromClip.videoPath === undefined ? undefined : { videoPath: resolve(fromClip.videoPath) };
  const promptsById = new Map(items.map((planned) => [planned.prompt.id, planned.prompt]));
  const chain = [item.prompt.id];
  for (let id: string | undefined = fromClip.promptId; id !== undefined; id = promptsById.get(id)?.fromClip?.promptId) {
    if (chain.includes(id)) return notRun(item, 'unsupported', `prompts continue each other in a circle: ${[...chain, id].join(' → ')}`);
    chain.push(id);
  }
  const sourceKey = itemKey(item.generatorId, fromClip.promptId, item.seed);
  const source = await resultOf(sourceKey);
  if (source === undefined) {
    return notRun(item, 'unsupported', `continues the clip of prompt ${fromClip.promptId}, which this run does not make (add it to the suite, or run the whole suite without --shard)`);
  }
  if (source.status !== 'ok' || source.video === null) {
    return notRun(item, 'failed', `its source ${sourceKey} ended '${source.status}'${source.message ? `: ${source.message}` : ''}`);
  }
  return { videoPath: join(outDir, source.video.path), promptId: fromClip.promptId };
}

/** A promise with its resolver, for items that wait for another item's result. */
function settleable<T>(): { promise: Promise<T>; settle: (value: T) => void } {
  let settle: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolvePromise) => (settle = resolvePromise));
  return { promise, settle };
}

/** An item that was not generated, with why. */
function notRun(item: PlannedItem, status: 'unsupported' | 'failed' | 'skipped-budget', message: string): ItemResult {
  return {
    key: item.key,
    promptId: item.prompt.id,
    category: item.prompt.category,
    generator: item.generatorId,
    seed: item.seed,
    status,
    message,
    video: null,
    costUsd: 0,
    metrics: {},
    metricErrors: {},
    verdict: { pass: false, failures: [] },
    elapsedS: 0,
  };
}

/** An item not submitted because its estimate would pass the budget; a later run tries it again. */
function skippedForBudget(item: PlannedItem, estimateUsd: number, committedUsd: number, maxCostUsd: number): ItemResult {
  const usd = (value: number): string => `$${value.toFixed(2)}`;
  return notRun(item, 'skipped-budget', `not submitted: its estimated ${usd(estimateUsd)} on top of ${usd(committedUsd)} would pass the budget of ${usd(maxCostUsd)}`);
}

function assertSameRun(previous: RunConfig, current: RunConfig, outDir: string): void {
  const describe = (config: RunConfig): string =>
    JSON.stringify({ suite: config.suite, generators: config.generators, seeds: config.seeds, size: `${config.width}x${config.height}`, fps: config.fps, shard: config.shard ?? null });
  if (describe(previous) !== describe(current)) {
    throw new RunError(
      'run-mismatch',
      `${outDir} holds a different run (${describe(previous)}); resume it with the same options, or choose another --out`,
    );
  }
}

/** A readable, sortable run id from the start time, e.g. `20261125-163000`. */
export function runIdFor(startedAt: string): string {
  return startedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { readRunDir } from './read-run.js';
import { RESULTS_SCHEMA_VERSION, type ItemResult, type ResultsFile, type RunConfig } from './results.js';
import { summarize, writeResults } from './results-store.js';
import { runIdFor } from './run.js';

export type MergeErrorCode = 'merge-mismatch' | 'merge-duplicate-item' | 'merge-shards' | 'merge-unsafe-path' | 'merge-usage';

/** Runs that cannot be joined into one (exit 2). */
export class MergeError extends Error {
  override readonly name = 'MergeError';
  constructor(
    readonly code: MergeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface MergeOutcome {
  results: ResultsFile;
  /** Files linked or copied into the merged folder (videos, ground truth, key frames). */
  filesCopied: number;
  /** Things the user should know that do not stop the merge: missing shards, missing videos. */
  warnings: string[];
}

interface Input {
  dir: string;
  results: ResultsFile;
}

/**
 * Joins the results of shards (`physeval run --shard i/n --out DIRi`) into one self-contained run
 * in `outDir`: union of the items by key, summary recomputed, the config without the shard, and
 * every file the items name (video, ground truth, key frame) linked or copied beside the new results.
 */
export async function mergeRuns(inputDirs: readonly string[], outDir: string): Promise<MergeOutcome> {
  if (inputDirs.length === 0) throw new MergeError('merge-usage', 'give at least one run folder to merge');
  const out = resolve(outDir);
  const clash = inputDirs.find((dir) => resolve(dir) === out);
  if (clash !== undefined) throw new MergeError('merge-usage', `--out ${outDir} is also an input (${clash}): merge into a new folder`);
  const inputs: Input[] = [];
  for (const dir of inputDirs) inputs.push({ dir, results: await readRunDir(dir, 'shard') });
  const first = inputs[0] as Input;
  for (const input of inputs.slice(1)) assertSameRun(first, input);
  const warnings = shardWarnings(inputs);

  const owner = new Map<string, { item: ItemResult; dir: string }>();
  for (const input of inputs) {
    for (const item of input.results.items) {
      const previous = owner.get(item.key);
      if (previous !== undefined) {
        throw new MergeError('merge-duplicate-item', `item ${item.key} is in both ${previous.dir} and ${input.dir}: each item must come from one shard`);
      }
      owner.set(item.key, { item, dir: input.dir });
    }
  }

  await mkdir(outDir, { recursive: true });
  let filesCopied = 0;
  for (const { item, dir } of owner.values()) {
    for (const path of filesOf(item)) {
      const copied = await bringFile(dir, outDir, path, item.key);
      if (copied) filesCopied += 1;
      else warnings.push(`${join(dir, path)} (named by ${item.key}) is missing: the merged run does not have it`);
    }
  }

  const items = [...owner.values()].map(({ item }) => item).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const startedAt = inputs.map((input) => input.results.startedAt).sort()[0] as string;
  const finished = inputs.map((input) => input.results.finishedAt);
  const { shard: _shard, ...config } = first.results.config;
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    physevalVersion: first.results.physevalVersion,
    runId: runIdFor(startedAt),
    startedAt,
    // A shard that never finished leaves the merged run unfinished too.
    finishedAt: finished.some((at) => at === null) ? null : ((finished as string[]).sort().at(-1) ?? null),
    config,
    metricVersions: first.results.metricVersions,
    summary: summarize(items),
    items,
  };
  await writeResults(outDir, results);
  return { results, filesCopied, warnings };
}

/** What must agree for two folders to be parts of one run: everything in the config but the shard and concurrency. */
function assertSameRun(a: Input, b: Input): void {
  const facets: Array<[string, (results: ResultsFile) => unknown]> = [
    ['suite', (r) => r.config.suite],
    ['generators', (r) => r.config.generators],
    ['seeds', (r) => r.config.seeds],
    ['size', (r) => `${r.config.width}x${r.config.height}`],
    ['fps', (r) => r.config.fps],
    ['thresholds', (r) => r.config.thresholds],
    ['metric versions', (r) => r.metricVersions],
    ['shard count', (r) => r.config.shard?.total ?? null],
  ];
  for (const [name, facet] of facets) {
    const left = JSON.stringify(facet(a.results));
    const right = JSON.stringify(facet(b.results));
    if (left !== right) {
      throw new MergeError('merge-mismatch', `cannot merge ${a.dir} and ${b.dir}: they are different runs (${name} ${left} vs ${right})`);
    }
  }
}

function shardWarnings(inputs: readonly Input[]): string[] {
  const shards = inputs.map((input) => input.results.config.shard);
  const total = shards[0]?.total;
  if (total === undefined) return [];
  const indices = new Set<number>();
  for (const [i, shard] of shards.entries()) {
    if (shard === undefined) continue;
    if (indices.has(shard.index)) throw new MergeError('merge-shards', `shard ${shard.index}/${total} is given twice (again as ${inputs[i]?.dir})`);
    indices.add(shard.index);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((index) => !indices.has(index));
  const unfinished = inputs.filter((input) => input.results.finishedAt === null).map((input) => input.dir);
  return [
    ...(missing.length > 0 ? [`shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${total}`).join(', ')} not given: the merged run lacks their items`] : []),
    ...unfinished.map((dir) => `${dir} did not finish: the merged run lacks its unfinished items`),
  ];
}

/** Files an item names, relative to its run folder: its video, ground truth and key frame. */
function filesOf(item: ItemResult): string[] {
  return [item.video?.path, item.groundTruth, item.keyFrame].filter((path): path is string => path !== undefined);
}

/** Hard-links `dir/path` to `outDir/path` (a copy across file systems); false when the source is missing. */
async function bringFile(dir: string, outDir: string, path: string, key: string): Promise<boolean> {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
    throw new MergeError('merge-unsafe-path', `${dir}: item ${key} names ${path}, outside its run folder`);
  }
  const from = join(dir, clean);
  const to = join(outDir, clean);
  await mkdir(dirname(to), { recursive: true });
  await rm(to, { force: true });
  try {
    await link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
  }
  await copyFile(from, to);
  return true;
}

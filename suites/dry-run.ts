import { loadCatalog } from '../prompts/catalog.js';
import { createGenerator, DEFAULT_GENERATOR_SETTINGS, RegistryError } from '../runners/registry.js';
import type { Generator } from '../runners/types.js';
import { getSuite } from './definitions.js';
import { RunError } from './errors.js';
import { filterForShard, planItems } from './plan.js';
import { RUN_DEFAULTS, type RunOptions } from './run.js';
import { selectPrompts } from './suite.js';

/** One item as a run would send it: what the generator would be asked, or why it cannot be. */
export interface DryRunItem {
  key: string;
  generator: string;
  promptId: string;
  seed: number;
  supported: boolean;
  /** The generator's notes (what it would ask, any rounding), or the reason it cannot. */
  notes: string[];
  costUsd: number;
}

export interface DryRunPlan {
  suite: string;
  items: DryRunItem[];
  estimatedCostUsd: number;
  /** Items a `maxCostUsd` budget would let through, in run order (cached videos not counted as free). */
  withinBudget: number;
  maxCostUsd?: number;
}

/**
 * What `physeval run` would do, from each generator's side-effect-free `plan()`: no network call,
 * no file written. The budget line assumes items run in key order and every estimate is paid.
 */
export function planRun(options: Omit<RunOptions, 'outDir' | 'onEvent'>): DryRunPlan {
  const suite = getSuite(options.suite ?? RUN_DEFAULTS.suite);
  const generatorIds = [...(options.generators ?? suite.defaultGenerators)];
  const settings = {
    ...DEFAULT_GENERATOR_SETTINGS,
    ...(options.generatorOptions ? { options: options.generatorOptions } : {}),
    ...(options.prices ? { prices: options.prices } : {}),
  };
  const generators = new Map<string, Generator>(generatorIds.map((id) => [id, createOrExplain(id, settings)]));
  const allItems = planItems(selectPrompts(suite, options.catalog ?? loadCatalog()), generatorIds, options.seeds ?? RUN_DEFAULTS.seeds);
  const planned = options.shard ? filterForShard(allItems, options.shard) : allItems;
  let estimatedCostUsd = 0;
  let committedUsd = 0;
  let withinBudget = 0;
  const items = planned.map((item): DryRunItem => {
    const generator = generators.get(item.generatorId);
    const plan = generator ? generator.plan(item.prompt) : { supported: false as const, reason: 'unknown generator' };
    const costUsd = plan.supported ? (plan.costUsd ?? 0) : 0;
    // The same rule as the run: a priced item goes only while the committed spend stays within the budget.
    if (plan.supported && (options.maxCostUsd === undefined || costUsd === 0 || committedUsd + costUsd <= options.maxCostUsd + 1e-9)) {
      withinBudget += 1;
      committedUsd += costUsd;
    }
    estimatedCostUsd += costUsd;
    return {
      key: item.key,
      generator: item.generatorId,
      promptId: item.prompt.id,
      seed: item.seed,
      supported: plan.supported,
      notes: plan.supported ? (plan.notes ?? []) : [plan.reason],
      costUsd,
    };
  });
  return {
    suite: suite.id,
    items,
    estimatedCostUsd: Math.round(estimatedCostUsd * 1000) / 1000,
    withinBudget,
    ...(options.maxCostUsd === undefined ? {} : { maxCostUsd: options.maxCostUsd }),
  };
}

/** The plan as plain lines: items by generator, unsupported ones with their reason, then the cost. */
export function describePlan(plan: DryRunPlan): string[] {
  const usd = (value: number): string => `$${value.toFixed(2)}`;
  const lines = [`physeval: dry run of suite ${plan.suite}: ${plan.items.length} items, no request sent`];
  for (const generator of [...new Set(plan.items.map((item) => item.generator))]) {
    const items = plan.items.filter((item) => item.generator === generator);
    lines.push(`  ${generator}: ${items.filter((item) => item.supported).length} of ${items.length} supported`);
    for (const item of items) {
      const head = `    ${item.promptId} seed ${item.seed}`;
      lines.push(item.supported ? `${head}  ${usd(item.costUsd)}  ${item.notes.join('; ')}`.trimEnd() : `${head}  unsupported: ${item.notes.join('; ')}`);
    }
  }
  lines.push(`estimated cost: ${usd(plan.estimatedCostUsd)} (at most: videos already in the cache cost nothing)`);
  if (plan.maxCostUsd !== undefined) {
    const supported = plan.items.filter((item) => item.supported).length;
    lines.push(`budget ${usd(plan.maxCostUsd)}: ${plan.withinBudget} of ${supported} supported items would be submitted`);
  }
  return lines;
}

function createOrExplain(id: string, settings: typeof DEFAULT_GENERATOR_SETTINGS): Generator {
  try {
    return createGenerator(id, settings);
  } catch (error) {
    if (error instanceof RegistryError) throw new RunError('unknown-generator', error.message);
    throw error;
  }
}

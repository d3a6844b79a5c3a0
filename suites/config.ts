import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ProviderLimitSettings } from '../runners/provider-limits.js';
import { PROVIDER_NAMES } from '../runners/provider-limits.js';
import type { GeneratorOptions } from '../runners/registry.js';

/**
 * physeval's config file: `physeval.config.mjs` / `.js` (export default `defineConfig({...})`),
 * `.json`, `.yaml` or `.yml`. Every field is optional; a CLI flag beats the file, the file beats
 * the defaults. Keys never go here: they come from the environment only.
 */
const generatorOptionsShape = {
  /** Seconds between polls when the provider gives no hint (PHYSEVAL_POLL_INTERVAL_S overrides it). */
  pollIntervalS: z.number().positive().optional(),
  /** Longest a job may take before the item is a `timeout`. */
  timeoutS: z.number().positive().optional(),
  /** Jobs of this generator in flight at once. */
  concurrency: z.number().int().positive().optional(),
  /** Create calls started per minute; 0 for no limit. */
  requestsPerMinute: z.number().nonnegative().optional(),
};

/** Limits of a provider account, shared by all of its generators in a run. */
const providerLimitsSchema = z
  .object({
    /** Jobs of this provider in flight at once; `PHYSEVAL_<PROVIDER>_CONCURRENCY` overrides it. */
    concurrency: z.number().int().positive().optional(),
    /** Create calls per minute; 0 for no limit; `PHYSEVAL_<PROVIDER>_RPM` overrides it. */
    requestsPerMinute: z.number().nonnegative().optional(),
  })
  .strict();

const generatorEntrySchema = z.union([z.string().min(1), z.object({ id: z.string().min(1), ...generatorOptionsShape }).strict()]);

export const configSchema = z
  .object({
    suite: z.string().min(1).optional(),
    /** Generator ids, or `{ id, ...options }` to tune one. */
    generators: z.array(generatorEntrySchema).min(1).optional(),
    seeds: z.array(z.number().int()).min(1).optional(),
    /** Items in flight at once across all generators. */
    concurrency: z.number().int().positive().optional(),
    /** Stop submitting before the estimated spend would pass this many US dollars. */
    maxCostUsd: z.number().nonnegative().optional(),
    /** Price overrides, USD per second of video, by generator id or family (`runway:*`). */
    prices: z.record(z.string(), z.number().nonnegative()).optional(),
    /** Limits by provider (`openai`, `azure`, `google`, `runway`, `fal`), shared by all its generators. */
    providers: z.partialRecord(z.enum(PROVIDER_NAMES), providerLimitsSchema).optional(),
    /** Output folder. */
    out: z.string().min(1).optional(),
  })
  .strict();

export type PhysevalConfig = z.input<typeof configSchema>;

/** Identity at run time; gives editors the config's types and completion. */
export function defineConfig(config: PhysevalConfig): PhysevalConfig {
  return config;
}

/** A config file read and checked, with generator options split out by id. */
export interface LoadedConfig {
  path: string;
  suite?: string;
  generators?: string[];
  generatorOptions: Record<string, GeneratorOptions>;
  seeds?: number[];
  concurrency?: number;
  maxCostUsd?: number;
  prices?: Record<string, number>;
  providerLimits?: Record<string, ProviderLimitSettings>;
  out?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: 'config-not-found' | 'config-unreadable' | 'config-invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Names looked for in the working folder when no `--config` is given, in this order. */
export const CONFIG_FILE_NAMES = ['physeval.config.mjs', 'physeval.config.js', 'physeval.config.json', 'physeval.config.yaml', 'physeval.config.yml'] as const;

/** The config file in `cwd`, if there is one. */
export function findConfigFile(cwd: string = process.cwd()): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/** Reads and validates a config file; an invalid one is an error naming the file and the field, never a warning. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  if (!existsSync(path)) throw new ConfigError('config-not-found', `${path}: no such config file`);
  const raw = await readRaw(path);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new ConfigError('config-invalid', `${path}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  const generatorOptions: Record<string, GeneratorOptions> = {};
  const generators = config.generators?.map((entry) => {
    if (typeof entry === 'string') return entry;
    const { id, ...options } = entry;
    generatorOptions[id] = options;
    return id;
  });
  return {
    path,
    generatorOptions,
    ...(config.suite !== undefined ? { suite: config.suite } : {}),
    ...(generators !== undefined ? { generators } : {}),
    ...(config.seeds !== undefined ? { seeds: config.seeds } : {}),
    ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
    ...(config.maxCostUsd !== undefined ? { maxCostUsd: config.maxCostUsd } : {}),
    ...(config.prices !== undefined ? { prices: config.prices } : {}),
    ...(config.providers !== undefined ? { providerLimits: config.providers } : {}),
    ...(config.out !== undefined ? { out: config.out } : {}),
  };
}

async function readRaw(path: string): Promise<unknown> {
  const extension = extname(path).toLowerCase();
  if (extension === '.ts' || extension === '.mts') {
    throw new ConfigError('config-unreadable', `${path}: Node 20 cannot load TypeScript; compile it, or name it physeval.config.mjs (defineConfig works the same there)`);
  }
  if (extension === '.js' || extension === '.mjs') {
    try {
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      return module.default;
    } catch (error) {
      throw new ConfigError('config-unreadable', `${path}: cannot load (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('config-unreadable', `${path}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return extension === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (error) {
    throw new ConfigError('config-invalid', `${path}: not valid ${extension === '.json' ? 'JSON' : 'YAML'} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}

/** The first value that is set: CLI flag, then config file, then default (Playwright's takeFirst). */
export function takeFirst<T>(...values: (T | undefined)[]): T | undefined {
  return values.find((value) => value !== undefined);
}

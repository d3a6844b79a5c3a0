import pLimit, { type LimitFunction } from 'p-limit';
import { RateLimiter } from './http-client.js';

/**
 * Limits that belong to a provider account, not to one model: OpenAI counts sora-2 and sora-2-pro
 * jobs against one organisation, Runway throttles every model of a project together. One run shares
 * one `ProviderLimits`, so all of a provider's generators draw from the same slots and create budget.
 */

export interface ProviderLimitSettings {
  /** Jobs of this provider in flight at once (create to finished download). */
  concurrency?: number;
  /** Create calls started per minute (the limit providers publish is on generation requests); 0 for none. */
  requestsPerMinute?: number;
}

export type ResolvedProviderLimits = Required<ProviderLimitSettings>;

/**
 * Defaults per provider. Azure documents two video-job creations per minute for Sora 2; Vertex
 * documents 10 requests a minute for veo-3.0 (the Gemini API's are not published: [UNCERTAIN]);
 * Runway's tier 1 allows one or two tasks at once and holds the rest as THROTTLED; OpenAI and fal
 * publish no video limits, so a moderate 4 jobs and 60 creates a minute.
 */
export const PROVIDER_LIMIT_DEFAULTS: Readonly<Record<(typeof PROVIDER_NAMES)[number], ResolvedProviderLimits>> = {
  openai: { concurrency: 4, requestsPerMinute: 60 },
  azure: { concurrency: 2, requestsPerMinute: 2 },
  google: { concurrency: 4, requestsPerMinute: 10 },
  runway: { concurrency: 2, requestsPerMinute: 60 },
  fal: { concurrency: 4, requestsPerMinute: 60 },
};

/** Providers physeval speaks to (the `provider` of each protocol). */
export const PROVIDER_NAMES = ['openai', 'azure', 'google', 'runway', 'fal'] as const;

/** For a provider the table does not name. */
export const FALLBACK_PROVIDER_LIMITS: ResolvedProviderLimits = { concurrency: 4, requestsPerMinute: 60 };

export class ProviderLimitError extends Error {
  override readonly name = 'ProviderLimitError';
  constructor(
    readonly code: 'invalid-limit',
    message: string,
  ) {
    super(message);
  }
}

/** `PHYSEVAL_OPENAI_CONCURRENCY` and `PHYSEVAL_OPENAI_RPM` for `openai`. */
export function providerLimitEnvNames(provider: string): { concurrency: string; requestsPerMinute: string } {
  const stem = `PHYSEVAL_${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return { concurrency: `${stem}_CONCURRENCY`, requestsPerMinute: `${stem}_RPM` };
}

/** A provider's limits: the environment, then the config file, then the defaults. */
export function resolveProviderLimits(provider: string, config: ProviderLimitSettings = {}, env: NodeJS.ProcessEnv = process.env): ResolvedProviderLimits {
  const names = providerLimitEnvNames(provider);
  const defaults = (PROVIDER_LIMIT_DEFAULTS as Readonly<Record<string, ResolvedProviderLimits>>)[provider] ?? FALLBACK_PROVIDER_LIMITS;
  return {
    concurrency: envNumber(env, names.concurrency, 1) ?? config.concurrency ?? defaults.concurrency,
    requestsPerMinute: envNumber(env, names.requestsPerMinute, 0) ?? config.requestsPerMinute ?? defaults.requestsPerMinute,
  };
}

/** The slots and create budget one provider's generators share. */
export interface ProviderSlot {
  provider: string;
  limits: ResolvedProviderLimits;
  /** Runs a whole job (create, polls, download) inside one of the provider's concurrency slots. */
  run: LimitFunction;
  /** Paces create calls. */
  creates: RateLimiter;
}

/** One per run: hands every generator of a provider the same slot. */
export class ProviderLimits {
  private readonly slots = new Map<string, ProviderSlot>();

  constructor(
    private readonly config: Readonly<Record<string, ProviderLimitSettings>> = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  slotFor(provider: string): ProviderSlot {
    let slot = this.slots.get(provider);
    if (slot === undefined) {
      slot = createProviderSlot(provider, resolveProviderLimits(provider, this.config[provider], this.env));
      this.slots.set(provider, slot);
    }
    return slot;
  }
}

export function createProviderSlot(provider: string, limits: ResolvedProviderLimits): ProviderSlot {
  return { provider, limits, run: pLimit(limits.concurrency), creates: new RateLimiter(limits.requestsPerMinute) };
}

function envNumber(env: NodeJS.ProcessEnv, name: string, minimum: 0 | 1): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new ProviderLimitError('invalid-limit', `${name} must be a whole number of at least ${minimum}, got '${text}'`);
  }
  return value;
}

import { didYouMean } from '../prompts/did-you-mean.js';
import { createFilesGenerator } from './files.js';
import { resolvePriceUsdPerS, SORA_PRICES_USD_PER_S } from './pricing.js';
import { createProviderGenerator, type ProviderGeneratorOptions } from './provider-generator.js';
import type { ProviderLimits } from './provider-limits.js';
import type { ProviderProtocol } from './provider-protocol.js';
import { createFalProtocol, FAL_ENDPOINTS, falInfo, isFalEndpoint } from './providers/fal.js';
import { createGoogleVeoProtocol, GOOGLE_VEO_MODELS, googleVeoInfo, type GoogleVeoModel } from './providers/google-veo.js';
import { createSoraProtocol } from './providers/openai.js';
import { createRunwayProtocol, isRunwayModel, RUNWAY_MODELS, runwayInfo } from './providers/runway.js';
import { createSimGenerator } from './sim/generator.js';
import type { GenerateRequest, Generator, GeneratorInfo } from './types.js';

/** Per-generator options a config may set (all optional; see `PROVIDER_DEFAULTS` and `ProviderGeneratorOptions`). */
export type GeneratorOptions = Pick<ProviderGeneratorOptions, 'pollIntervalS' | 'timeoutS' | 'concurrency' | 'requestsPerMinute'>;

/** What a run asks of every generator it creates. */
export interface GeneratorSettings {
  /** Size and rate of locally rendered clips; providers map them onto what they accept. */
  width: number;
  height: number;
  fps: number;
  /** Longest clip a local simulator renders, seconds, so runs stay quick; providers ignore it. */
  maxDurationS: number;
  /** The run's job journal folder (`<out>/jobs`); provider generators need it to resume. */
  jobsDir?: string;
  /** Options by generator id, from the config file. */
  options?: Readonly<Record<string, GeneratorOptions>>;
  /** Price overrides, USD per second, by generator id or family (`runway:*`). */
  prices?: Readonly<Record<string, number>>;
  /** The run's per-provider limits, shared by all of a provider's generators (openai:sora-2 and openai:sora-2-pro). */
  providerLimits?: ProviderLimits;
}

export const DEFAULT_GENERATOR_SETTINGS: GeneratorSettings = { width: 640, height: 360, fps: 30, maxDurationS: 3 };

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: 'unknown-generator',
    message: string,
  ) {
    super(message);
  }
}

const VEO_GENERATORS = Object.fromEntries(
  (Object.keys(GOOGLE_VEO_MODELS) as GoogleVeoModel[]).map((model) => [
    `google:${model}`,
    (settings: GeneratorSettings) => providerGenerator(createGoogleVeoProtocol(model), googleVeoInfo(model), settings),
  ]),
) as Record<`google:${GoogleVeoModel}`, (settings: GeneratorSettings) => Generator>;

/** Every generator with a fixed id. */
export const GENERATORS = {
  'sim:ideal': (settings: GeneratorSettings) => cappedDuration(createSimGenerator('sim:ideal', simOptions(settings)), settings.maxDurationS),
  'sim:flawed': (settings: GeneratorSettings) => cappedDuration(createSimGenerator('sim:flawed', simOptions(settings)), settings.maxDurationS),
  'openai:sora-2': (settings: GeneratorSettings) =>
    providerGenerator(createSoraProtocol({ kind: 'openai', model: 'sora-2' }), soraInfo('openai:sora-2', 'OpenAI Sora 2 (public API shut down 2026-09-24; for replays and compatible servers), with audio'), settings),
  'openai:sora-2-pro': (settings: GeneratorSettings) =>
    providerGenerator(createSoraProtocol({ kind: 'openai', model: 'sora-2-pro' }), soraInfo('openai:sora-2-pro', 'OpenAI Sora 2 Pro (public API shut down 2026-09-24), with audio'), settings),
  'azure:sora-2': (settings: GeneratorSettings) =>
    providerGenerator(
      createSoraProtocol({ kind: 'azure', deployment: process.env.AZURE_OPENAI_DEPLOYMENT || 'sora-2' }),
      soraInfo('azure:sora-2', 'Sora 2 through Azure OpenAI (AZURE_OPENAI_ENDPOINT, deployment AZURE_OPENAI_DEPLOYMENT, default sora-2)'),
      settings,
    ),
  ...VEO_GENERATORS,
} as const satisfies Record<string, (settings: GeneratorSettings) => Generator>;

export type GeneratorId = keyof typeof GENERATORS;

/** Generators whose id carries a parameter after the family name: `runway:<model>`, `fal:<endpoint-id>`, `files:<dir>`. */
export const GENERATOR_FAMILIES = {
  runway: {
    parameter: '<model>',
    members: () => Object.keys(RUNWAY_MODELS),
    create: (model: string, settings: GeneratorSettings) => (isRunwayModel(model) ? providerGenerator(createRunwayProtocol(model), runwayInfo(model), settings) : undefined),
  },
  fal: {
    parameter: '<endpoint-id>',
    members: () => Object.keys(FAL_ENDPOINTS),
    create: (endpoint: string, settings: GeneratorSettings) => (isFalEndpoint(endpoint) ? providerGenerator(createFalProtocol(endpoint), falInfo(endpoint), settings) : undefined),
  },
  files: {
    parameter: '<dir>',
    members: () => [],
    create: (dir: string) => (dir === '' ? undefined : createFilesGenerator(dir)),
  },
} as const satisfies Record<string, { parameter: string; members: () => string[]; create: (parameter: string, settings: GeneratorSettings) => Generator | undefined }>;

export function isGeneratorId(id: string): id is GeneratorId {
  return Object.hasOwn(GENERATORS, id);
}

/** Every concrete id physeval knows (fixed ids, then each family's known members), for listings and suggestions. */
export function knownGeneratorIds(): string[] {
  const members = Object.entries(GENERATOR_FAMILIES).flatMap(([family, entry]) => entry.members().map((member) => `${family}:${member}`));
  return [...Object.keys(GENERATORS), ...members];
}

/** Creates a generator by id; an unknown id throws with the nearest known one ("did you mean"). */
export function createGenerator(id: string, settings: GeneratorSettings = DEFAULT_GENERATOR_SETTINGS): Generator {
  if (isGeneratorId(id)) return GENERATORS[id](settings);
  const colon = id.indexOf(':');
  const family = colon < 0 ? '' : id.slice(0, colon);
  if (Object.hasOwn(GENERATOR_FAMILIES, family)) {
    const entry = GENERATOR_FAMILIES[family as keyof typeof GENERATOR_FAMILIES];
    const generator = entry.create(id.slice(colon + 1), settings);
    if (generator !== undefined) return generator;
    const known = entry.members().map((member) => `${family}:${member}`);
    throw new RegistryError(
      'unknown-generator',
      `unknown generator '${id}'${didYouMean(id, known)}; ${family} takes ${family}:${entry.parameter}${known.length > 0 ? `, one of ${known.join(', ')}` : ''}`,
    );
  }
  const families = Object.entries(GENERATOR_FAMILIES).map(([name, entry]) => `${name}:${entry.parameter}`);
  throw new RegistryError('unknown-generator', `unknown generator '${id}'${didYouMean(id, knownGeneratorIds())}; known: ${[...Object.keys(GENERATORS), ...families].join(', ')}`);
}

function providerGenerator(protocol: ProviderProtocol, info: GeneratorInfo, settings: GeneratorSettings): Generator {
  const priced: GeneratorInfo = { ...info, priceUsdPerS: resolvePriceUsdPerS(info, settings.prices) };
  return createProviderGenerator(protocol, priced, {
    ...settings.options?.[info.id],
    ...(settings.jobsDir ? { jobsDir: settings.jobsDir } : {}),
    ...(settings.providerLimits ? { providerSlot: settings.providerLimits.slotFor(protocol.provider) } : {}),
  });
}

function soraInfo(id: keyof typeof SORA_PRICES_USD_PER_S, description: string): GeneratorInfo {
  return { id, description, modes: ['text-to-video', 'image-to-video'], priceUsdPerS: SORA_PRICES_USD_PER_S[id], needsKey: true };
}

function simOptions(settings: GeneratorSettings): { width: number; height: number; fps: number } {
  return { width: settings.width, height: settings.height, fps: settings.fps };
}

/**
 * The simulator renders a prompt's full duration; a run caps it so the default suite stays quick.
 * For a video extension the cap applies to the new part, which follows the source's part up to the boundary.
 */
function cappedDuration(generator: Generator, maxDurationS: number): Generator {
  return {
    info: generator.info,
    plan: generator.plan,
    generate: (request: GenerateRequest) =>
      generator.generate({ ...request, prompt: { ...request.prompt, durationS: Math.min(request.prompt.durationS, maxDurationS) } }),
  };
}

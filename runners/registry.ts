import { createSimGenerator } from './sim/generator.js';
import type { GenerateRequest, Generator } from './types.js';

/** What a run asks of every generator it creates. */
export interface GeneratorSettings {
  /** Size and rate of locally rendered clips; providers map them onto what they accept. */
  width: number;
  height: number;
  fps: number;
  /** Longest clip a local simulator renders, seconds, so runs stay quick; providers ignore it. */
  maxDurationS: number;
}

export const DEFAULT_GENERATOR_SETTINGS: GeneratorSettings = { width: 640, height: 360, fps: 30, maxDurationS: 3 };

/** Every generator physeval can run, by id. */
export const GENERATORS = {
  'sim:ideal': (settings: GeneratorSettings) => cappedDuration(createSimGenerator('sim:ideal', simOptions(settings)), settings.maxDurationS),
  'sim:flawed': (settings: GeneratorSettings) => cappedDuration(createSimGenerator('sim:flawed', simOptions(settings)), settings.maxDurationS),
} as const satisfies Record<string, (settings: GeneratorSettings) => Generator>;

export type GeneratorId = keyof typeof GENERATORS;

export function isGeneratorId(id: string): id is GeneratorId {
  return Object.hasOwn(GENERATORS, id);
}

export function createGenerator(id: GeneratorId, settings: GeneratorSettings = DEFAULT_GENERATOR_SETTINGS): Generator {
  return GENERATORS[id](settings);
}

function simOptions(settings: GeneratorSettings): { width: number; height: number; fps: number } {
  return { width: settings.width, height: settings.height, fps: settings.fps };
}

/** The simulator renders a prompt's full duration; a run caps it so the default suite stays quick. */
function cappedDuration(generator: Generator, maxDurationS: number): Generator {
  return {
    info: generator.info,
    plan: (prompt) => generator.plan(prompt),
    generate: (request: GenerateRequest) =>
      generator.generate({ ...request, prompt: { ...request.prompt, durationS: Math.min(request.prompt.durationS, maxDurationS) } }),
  };
}

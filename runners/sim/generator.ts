import type { Prompt } from '../../prompts/schema.js';
import type { GenerateOutcome, GenerateRequest, Generator, PlanResult } from '../types.js';
import { chooseDefect } from './defects.js';
import type { SimOptions } from './options.js';
import { isClothPrompt } from './cloth/cloth-scene.js';
import { isFluidPrompt } from './fluid/fluid-scene.js';
import { isBallCategory } from './scene.js';
import { simulateClip, truthPathFor } from './simulate-clip.js';

export type SimGeneratorId = 'sim:ideal' | 'sim:flawed';

const DESCRIPTIONS: Record<SimGeneratorId, string> = {
  'sim:ideal': 'built-in physics simulator: exact rigid-ball, cloth and fluid clips with ground truth',
  'sim:flawed': 'built-in physics simulator with one planted defect per clip (chosen from the prompt id and seed)',
};

/**
 * The simulator as a generator. `sim:ideal` renders every ball, cloth and fluid prompt exactly; `sim:flawed` plants
 * one applicable defect chosen from the prompt id and seed. The request's seed replaces `options.seed`.
 */
export function createSimGenerator(id: SimGeneratorId, options: SimOptions = {}): Generator {
  const plan = (prompt: Prompt): PlanResult =>
    isBallCategory(prompt) || isClothPrompt(prompt) || isFluidPrompt(prompt)
      ? { supported: true }
      : { supported: false, reason: `the simulator renders rigid balls, cloth and fluids (with expect.fluid) only, not this ${prompt.category} scene` };

  async function generate(request: GenerateRequest): Promise<GenerateOutcome> {
    const { prompt, seed, outPath } = request;
    const planned = plan(prompt);
    if (!planned.supported) return { status: 'failed', message: `${prompt.id}: ${planned.reason}`, costUsd: 0 };
    try {
      if (request.signal?.aborted) return { status: 'failed', message: `${prompt.id}: aborted before rendering`, costUsd: 0 };
      let defect = null;
      if (id === 'sim:flawed') {
        defect = chooseDefect(prompt, seed, options);
        if (defect === null) return { status: 'failed', message: `${prompt.id}: no defect can be planted in this scene`, costUsd: 0 };
      }
      await simulateClip(prompt, outPath, { ...options, seed, defect });
      return { status: 'ok', videoPath: outPath, groundTruthPath: truthPathFor(outPath), costUsd: 0 };
    } catch (error) {
      return { status: 'failed', message: error instanceof Error ? error.message : String(error), costUsd: 0 };
    }
  }

  return {
    info: { id, description: DESCRIPTIONS[id], modes: ['text-to-video'], priceUsdPerS: 0, needsKey: false },
    plan,
    generate,
  };
}

import { CatalogError, getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import type { GenerateOutcome, GenerateRequest, Generator, PlanResult } from '../types.js';
import { chooseDefect } from './defects.js';
import { continuationProblem, readSourceRender, renderContinuation, SimExtensionError } from './extension.js';
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
 * A video extension of a ball clip it rendered is the source's scene rendered on (see `renderContinuation`);
 * `sim:flawed` then plants its defect at or after the boundary.
 */
export function createSimGenerator(id: SimGeneratorId, options: SimOptions = {}): Generator {
  // The prompts this generator rendered, by id: a continuation renders its source's scene again.
  const rendered = new Map<string, Prompt>();

  const plan = (prompt: Prompt): PlanResult => {
    const problem = prompt.fromClip === undefined ? null : continuationProblem(id, prompt, prompt.fromClip);
    if (problem !== null) return { supported: false, reason: problem };
    return isBallCategory(prompt) || isClothPrompt(prompt) || isFluidPrompt(prompt)
      ? { supported: true }
      : { supported: false, reason: `the simulator renders rigid balls, cloth and fluids (with expect.fluid) only, not this ${prompt.category} scene` };
  };

  /** The source's prompt: one this generator rendered, else (a run resumed after the source was made) the shipped catalog's. */
  function sourcePromptOf(promptId: string, continuationId: string): Prompt {
    const known = rendered.get(promptId);
    if (known !== undefined) return known;
    try {
      return getPrompt(promptId);
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      throw new SimExtensionError('source-not-rendered', `${continuationId}: ${id} did not render the source prompt ${promptId}, and the shipped catalog has no such prompt`);
    }
  }

  async function continueClip(request: GenerateRequest, boundaryAskedS: number | undefined): Promise<GenerateOutcome> {
    const { prompt, seed, outPath, source } = request;
    if (source?.promptId === undefined) return { status: 'failed', message: `${prompt.id}: the run gave no source clip of a prompt to continue`, costUsd: 0 };
    const { boundaryS } = await renderContinuation({
      sourcePrompt: sourcePromptOf(source.promptId, prompt.id),
      source: await readSourceRender(source.videoPath),
      prompt,
      boundaryS: boundaryAskedS,
      seed,
      outPath,
      flawed: id === 'sim:flawed',
      options,
    });
    return { status: 'ok', videoPath: outPath, groundTruthPath: truthPathFor(outPath), costUsd: 0, generation: { mode: 'video-extension', via: 'native', boundaryS } };
  }

  async function generate(request: GenerateRequest): Promise<GenerateOutcome> {
    const { prompt, seed, outPath } = request;
    const planned = plan(prompt);
    if (!planned.supported) return { status: 'failed', message: `${prompt.id}: ${planned.reason}`, costUsd: 0 };
    try {
      if (request.signal?.aborted) return { status: 'failed', message: `${prompt.id}: aborted before rendering`, costUsd: 0 };
      if (prompt.fromClip !== undefined) return await continueClip(request, prompt.fromClip.boundaryS);
      let defect = null;
      if (id === 'sim:flawed') {
        defect = chooseDefect(prompt, seed, options);
        if (defect === null) return { status: 'failed', message: `${prompt.id}: no defect can be planted in this scene`, costUsd: 0 };
      }
      await simulateClip(prompt, outPath, { ...options, seed, defect });
      rendered.set(prompt.id, prompt);
      return { status: 'ok', videoPath: outPath, groundTruthPath: truthPathFor(outPath), costUsd: 0 };
    } catch (error) {
      return { status: 'failed', message: error instanceof Error ? error.message : String(error), costUsd: 0 };
    }
  }

  return {
    info: { id, description: DESCRIPTIONS[id], modes: ['text-to-video', 'video-extension'], priceUsdPerS: 0, needsKey: false },
    plan,
    generate,
  };
}

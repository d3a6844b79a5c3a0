import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { encodeVideo } from '../../media/encode.js';
import type { FromClip, Prompt } from '../../prompts/schema.js';
import { boundaryInClipS } from '../source-clip.js';
import { PICKED_DEFECT_CODES, pickBySeed } from './defects.js';
import { isSimError } from './errors.js';
import type { SimOptions } from './options.js';
import { isBallCategory } from './scene.js';
import { prepareClip, truthPathFor, type PreparedClip } from './simulate-clip.js';
import type { GroundTruth, PlantedDefect } from './truth.js';

/**
 * Video extension by the simulator: the continuation of a clip it rendered is the same scene rendered
 * further on, with the same seed, size and frame rate, so the part before the boundary is the source's.
 */

export class SimExtensionError extends Error {
  override readonly name = 'SimExtensionError';
  constructor(
    readonly code: 'source-not-rendered' | 'source-mismatch' | 'source-is-continuation' | 'no-defect-after-boundary',
    message: string,
  ) {
    super(message);
  }
}

/** What a continuation takes from its source clip, read from the ground truth the simulator wrote beside it. */
export interface SourceRender {
  promptId: string;
  seed: number;
  width: number;
  height: number;
  fps: number;
  durationS: number;
}

/** A frame this close after the boundary still counts as at it (float rounding of k/fps). */
const BOUNDARY_EPS_S = 1e-9;

/** Why the simulator cannot continue this way, or null when it can (an extension of a ball scene of the same run). */
export function continuationProblem(generatorId: string, prompt: Prompt, fromClip: FromClip): string | null {
  if (fromClip.as === 'remix') return `${generatorId} continues clips it rendered itself; it cannot remix a clip`;
  if (fromClip.promptId === undefined) {
    return `${generatorId} continues only clips it rendered itself (a source prompt of the run), not the file ${fromClip.videoPath ?? '(none)'}`;
  }
  if (!isBallCategory(prompt)) return `${generatorId} continues rigid-ball clips only, not this ${prompt.category} scene`;
  return null;
}

/** The render settings of the clip at `videoPath`, from its `.truth.json`; a clip without one was not rendered by the simulator. */
export async function readSourceRender(videoPath: string): Promise<SourceRender> {
  const truthPath = truthPathFor(videoPath);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(truthPath, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SimExtensionError('source-not-rendered', `${truthPath}: no simulator ground truth beside the source clip (${reason}); the simulator continues only clips it rendered`);
  }
  const record: Record<string, unknown> = typeof raw === 'object' && raw !== null ? { ...raw } : {};
  const notTruth = (name: string): SimExtensionError =>
    new SimExtensionError('source-not-rendered', `${truthPath}: not a simulator ground truth (${name} missing or not valid)`);
  const number = (name: keyof SourceRender): number => {
    const value = record[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw notTruth(name);
    return value;
  };
  const promptId = record.promptId;
  if (typeof promptId !== 'string') throw notTruth('promptId');
  return { promptId, seed: number('seed'), width: number('width'), height: number('height'), fps: number('fps'), durationS: number('durationS') };
}

export interface ContinuationRequest {
  /** The prompt whose clip is continued: its scene is the one rendered on. */
  sourcePrompt: Prompt;
  source: SourceRender;
  /** The continuation's own prompt: its `durationS` is the new part's length, its id names the truth and picks the defect. */
  prompt: Prompt;
  /** Where the new part starts, s; the source's end when absent. */
  boundaryS: number | undefined;
  seed: number;
  outPath: string;
  /** Plant one defect at or after the boundary (sim:flawed). */
  flawed: boolean;
  /** The generator's options; size, rate, seed, length and defect are set here. */
  options: SimOptions;
}

/**
 * Writes the continued clip (source part, then `prompt.durationS` more) and its ground truth, which
 * covers the whole clip; returns the truth and where the new part starts.
 */
export async function renderContinuation(request: ContinuationRequest): Promise<{ truth: GroundTruth; boundaryS: number }> {
  const { sourcePrompt, source, prompt, seed } = request;
  if (source.promptId !== sourcePrompt.id || source.seed !== seed) {
    throw new SimExtensionError(
      'source-mismatch',
      `${prompt.id}: the source clip is prompt ${source.promptId} with seed ${source.seed}, not ${sourcePrompt.id} with seed ${seed}`,
    );
  }
  if (sourcePrompt.fromClip !== undefined) {
    throw new SimExtensionError('source-is-continuation', `${prompt.id}: its source ${sourcePrompt.id} continues another clip itself; the simulator continues first-generation clips only`);
  }
  const boundaryS = boundaryInClipS(request.boundaryS, source.durationS, source.fps);
  const options: SimOptions = {
    ...request.options,
    seed,
    width: source.width,
    height: source.height,
    fps: source.fps,
    durationS: boundaryS + prompt.durationS,
  };
  const continuedFrom = { sourceDurationS: source.durationS };
  const clip = request.flawed
    ? flawedContinuation(sourcePrompt, prompt.id, seed, options, continuedFrom.sourceDurationS, boundaryS)
    : prepareClip(sourcePrompt, { ...options, defect: null }, continuedFrom);
  if (clip === null) {
    throw new SimExtensionError('no-defect-after-boundary', `${prompt.id}: no defect can be planted at or after the boundary at ${boundaryS} s`);
  }
  const truth: GroundTruth = { ...clip.truth, promptId: prompt.id };
  const { width, height, fps, crf } = clip.settings;
  await encodeVideo(clip.frames(), { outPath: request.outPath, width, height, fps, crf, audio: clip.audio });
  await writeFileAtomic(truthPathFor(request.outPath), `${JSON.stringify(truth, null, 1)}\n`);
  return { truth, boundaryS };
}

/** When a planted defect first changes the clip: its start, or for a leading soundtrack (negative offset) its earliest shifted sound. */
function firstChangeS(defect: PlantedDefect): number {
  return defect.code === 'av-desync' ? defect.atS + Math.min(0, defect.value / 1000) : defect.atS;
}

/**
 * sim:flawed's continuation: of the defects (default values) that leave everything before the boundary
 * as it was, the one a stable hash of the prompt id and seed picks, as `chooseDefect` does; null when none.
 */
function flawedContinuation(sourcePrompt: Prompt, promptId: string, seed: number, options: SimOptions, sourceDurationS: number, boundaryS: number): PreparedClip | null {
  const candidates: PreparedClip[] = [];
  for (const code of PICKED_DEFECT_CODES) {
    let clip: PreparedClip;
    try {
      clip = prepareClip(sourcePrompt, { ...options, defect: { code } }, { sourceDurationS });
    } catch (error) {
      if (isSimError(error) && error.code === 'defect-not-applicable') continue;
      throw error;
    }
    const defect = clip.truth.defect;
    if (defect !== null && firstChangeS(defect) >= boundaryS - BOUNDARY_EPS_S) candidates.push(clip);
  }
  return pickBySeed(candidates, promptId, seed);
}

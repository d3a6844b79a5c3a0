import type { Prompt } from '../prompts/schema.js';

/** Ways a generator can be asked for a clip; the last two follow a prompt's `fromClip`. */
export type GenerationMode = 'text-to-video' | 'image-to-video' | 'video-extension' | 'video-remix';

export interface GeneratorInfo {
  id: string;
  description: string;
  modes: GenerationMode[];
  /** Price per second of generated video; 0 for local generators. */
  priceUsdPerS: number;
  needsKey: boolean;
}

export type PlanResult =
  | {
      supported: true;
      /** What the provider will be asked, in its words, and any adjustment (a rounded duration). */
      notes?: string[];
      /** Estimated price of this clip before any cache hit, USD; absent for local generators. */
      costUsd?: number;
    }
  | { supported: false; reason: string };

/** Where a provider job is: waiting in the queue, generating (with the provider's progress), or downloading. */
export type GenerationStage = 'queued' | 'generating' | 'downloading';

export interface GenerateRequest {
  prompt: Prompt;
  seed: number;
  /** Where the video must be written (the generator may add a sibling `.truth.json`). */
  outPath: string;
  signal?: AbortSignal;
  /** Called as a provider job moves on; `detail` is e.g. the provider's percent. */
  onProgress?: (stage: GenerationStage, detail?: string) => void;
  /** The clip a `fromClip` prompt continues or remixes, found by the run. */
  source?: SourceClip;
}

/** A clip to continue or remix: a video on disk, and the prompt that made it when it came from this run. */
export interface SourceClip {
  videoPath: string;
  promptId?: string;
}

/**
 * How a `fromClip` prompt was made. `native`: the provider continued or remixed the clip itself;
 * `last-frame`: image-to-video from the frame at the boundary, joined to the source here.
 * `boundaryS` is where the new part starts in the delivered video (the source's part comes first).
 */
export interface GenerationRecord {
  mode: GenerationMode;
  via: 'native' | 'last-frame';
  boundaryS?: number;
}

/** The outcome of one generation: a value, never an exception, so one item cannot sink a run. */
export type GenerateOutcome =
  | { status: 'ok'; videoPath: string; groundTruthPath?: string; costUsd: number; generation?: GenerationRecord }
  | { status: 'refused' | 'unavailable' | 'failed' | 'timeout'; message: string; costUsd: number };

export interface Generator {
  readonly info: GeneratorInfo;
  /**
   * Side-effect free: says whether this prompt can be generated, before any money is spent. With the
   * seed, a provider generator also looks in its cache: a clip already there costs nothing.
   */
  plan(prompt: Prompt, seed?: number): PlanResult;
  generate(request: GenerateRequest): Promise<GenerateOutcome>;
}

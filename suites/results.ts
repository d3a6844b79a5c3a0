import { z } from 'zod';
import { FAILURE_CODES, type FailureCode } from '../prompts/codes.js';

export const RESULTS_SCHEMA_VERSION = 1;

const failureCodeSchema = z.enum(Object.keys(FAILURE_CODES) as [FailureCode, ...FailureCode[]]);

export const failureSchema = z.object({
  code: failureCodeSchema,
  message: z.string(),
  atS: z.number().optional(),
});

export const verdictSchema = z.object({
  pass: z.boolean(),
  failures: z.array(failureSchema),
});

export const videoSummarySchema = z.object({
  path: z.string(),
  sha256: z.string().optional(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  frames: z.number().int(),
  durationS: z.number(),
  hasAudio: z.boolean(),
});

/**
 * How a `fromClip` item was made (a video extension or remix): natively by the provider or from the
 * source's frame at the boundary, which clip it continues, and where the new part starts.
 */
export const generationSchema = z.object({
  mode: z.enum(['text-to-video', 'image-to-video', 'video-extension', 'video-remix']),
  via: z.enum(['native', 'last-frame']),
  /** The prompt whose clip (same generator, same seed) was continued or remixed. */
  sourcePromptId: z.string().optional(),
  /** The video file that was continued, when the prompt named a file. */
  sourceVideo: z.string().optional(),
  /** Where the new part starts in this item's video, seconds; physics must carry on across it. */
  boundaryS: z.number().nonnegative().optional(),
});

/** What happened to an item: generated and analysed, or why not. */
export const ITEM_STATUSES = ['ok', 'refused', 'unavailable', 'failed', 'timeout', 'unsupported', 'bad-video', 'skipped-budget'] as const;

export const itemResultSchema = z.object({
  key: z.string(),
  promptId: z.string(),
  category: z.string(),
  generator: z.string(),
  seed: z.number().int(),
  status: z.enum(ITEM_STATUSES),
  /** The provider's or decoder's words when status is not ok. */
  message: z.string().optional(),
  video: videoSummarySchema.nullable(),
  /** Ground truth written by the simulator beside the clip, relative to the run folder. */
  groundTruth: z.string().optional(),
  /** The defect the simulator planted (a failure code the metrics must raise), null for an exact clip. */
  plantedDefect: z.string().nullable().optional(),
  costUsd: z.number().nonnegative(),
  metrics: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Metrics that threw, with their error; the item then fails. */
  metricErrors: z.record(z.string(), z.string()).default({}),
  verdict: verdictSchema,
  elapsedS: z.number().nonnegative(),
  /** A JPEG of the clip at its first timed failure (else its middle), relative to the run folder. */
  keyFrame: z.string().optional(),
  /** Present for a video extension or remix (a prompt's `fromClip`). */
  generation: generationSchema.optional(),
});

export const runConfigSchema = z.object({
  suite: z.string(),
  generators: z.array(z.string()),
  seeds: z.array(z.number().int()),
  concurrency: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().positive(),
  thresholds: z.record(z.string(), z.record(z.string(), z.number())),
  /** Present when this run is one shard of a larger one (`--shard index/total`). */
  shard: z.object({ index: z.number().int().positive(), total: z.number().int().positive() }).optional(),
});

export const resultsFileSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  physevalVersion: z.string(),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  config: runConfigSchema,
  metricVersions: z.record(z.string(), z.string()),
  summary: z.object({
    items: z.number().int(),
    analysed: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    notAnalysed: z.number().int(),
    costUsd: z.number(),
  }),
  items: z.array(itemResultSchema),
});

export type FailureRecord = z.infer<typeof failureSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type VideoSummary = z.infer<typeof videoSummarySchema>;
export type GenerationSummary = z.infer<typeof generationSchema>;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export type ItemResult = z.infer<typeof itemResultSchema>;
export type RunConfig = z.infer<typeof runConfigSchema>;
export type ResultsFile = z.infer<typeof resultsFileSchema>;

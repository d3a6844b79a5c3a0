import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { analyzeVideo } from '../metrics/analyze-video.js';
import type { Metric } from '../metrics/types.js';
import type { GenerationStage, Generator, SourceClip } from '../runners/types.js';
import type { PlannedItem } from './plan.js';
import { videoPathFor } from './plan.js';
import type { GenerationSummary, ItemResult, VideoSummary } from './results.js';
import { keyFrameTimeS, writeKeyFrame } from './key-frame.js';
import { verdictOf } from './verdict.js';

/** Where an item is; provider jobs add `queued` and `downloading` around `generating`. */
export type ItemPhase = GenerationStage | 'analysing';

export interface RunItemOptions {
  outDir: string;
  generator: Generator;
  metrics: readonly Metric[];
  thresholds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** `detail` is e.g. the provider's progress, `42%`. */
  onPhase?: (phase: ItemPhase, detail?: string) => void;
  /** The clip a `fromClip` prompt continues, found by the run. */
  source?: SourceClip;
}

/** Generates and analyses one item. Never throws for a bad clip or a provider's refusal: those are results. */
export async function runItem(item: PlannedItem, options: RunItemOptions): Promise<ItemResult> {
  const startedMs = Date.now();
  const base = {
    key: item.key,
    promptId: item.prompt.id,
    category: item.prompt.category,
    generator: item.generatorId,
    seed: item.seed,
    metricErrors: {},
    metrics: {},
  };
  const elapsedS = (): number => Math.round((Date.now() - startedMs) / 10) / 100;
  const notAnalysed = (status: ItemResult['status'], message: string, costUsd: number, video: VideoSummary | null = null): ItemResult => ({
    ...base,
    status,
    message,
    video,
    costUsd,
    verdict: { pass: false, failures: [] },
    elapsedS: elapsedS(),
  });

  const plan = options.generator.plan(item.prompt);
  if (!plan.supported) return notAnalysed('unsupported', plan.reason, 0);

  options.onPhase?.('generating');
  const videoPath = join(options.outDir, videoPathFor(item));
  await mkdir(dirname(videoPath), { recursive: true });
  const outcome = await options.generator.generate({
    prompt: item.prompt,
    seed: item.seed,
    outPath: videoPath,
    onProgress: (stage, detail) => options.onPhase?.(stage, detail),
    ...(options.source === undefined ? {} : { source: options.source }),
  });
  if (outcome.status !== 'ok') return notAnalysed(outcome.status, outcome.message, outcome.costUsd);

  const plantedDefect = outcome.groundTruthPath === undefined ? undefined : await plantedDefectOf(outcome.groundTruthPath);
  const generation: GenerationSummary | undefined =
    outcome.generation === undefined
      ? undefined
      : {
          ...outcome.generation,
          ...(options.source?.promptId !== undefined ? { sourcePromptId: options.source.promptId } : options.source ? { sourceVideo: options.source.videoPath } : {}),
        };
  const provenance = {
    ...(outcome.groundTruthPath === undefined ? {} : { groundTruth: relative(options.outDir, outcome.groundTruthPath) }),
    ...(plantedDefect === undefined ? {} : { plantedDefect }),
    ...(generation === undefined ? {} : { generation }),
  };

  options.onPhase?.('analysing');
  let analysis;
  try {
    analysis = await analyzeVideo(outcome.videoPath, {
      expect: item.prompt.expect,
      metrics: options.metrics,
      thresholds: options.thresholds,
      // A video extension: motion must carry on across the boundary where the new part starts.
      ...(generation?.boundaryS === undefined ? {} : { boundaryS: generation.boundaryS }),
    });
  } catch (error) {
    return { ...notAnalysed('bad-video', error instanceof Error ? error.message : String(error), outcome.costUsd), ...provenance };
  }
  const { video } = analysis;
  const verdict = verdictOf(analysis.failures, analysis.errors);
  const keyFrame = await writeKeyFrame(outcome.videoPath, options.outDir, item.key, keyFrameTimeS(verdict.failures, video.durationS));
  return {
    ...base,
    ...provenance,
    ...(keyFrame === undefined ? {} : { keyFrame }),
    status: 'ok',
    video: {
      path: relative(options.outDir, outcome.videoPath),
      sha256: await sha256Of(outcome.videoPath),
      width: video.width,
      height: video.height,
      fps: video.fps,
      frames: video.frameCount,
      durationS: video.durationS,
      hasAudio: video.hasAudio,
    },
    costUsd: outcome.costUsd,
    metrics: Object.fromEntries(Object.entries(analysis.outcomes).map(([id, metricOutcome]) => [id, metricOutcome.value])),
    metricErrors: analysis.errors,
    verdict,
    elapsedS: elapsedS(),
  };
}

async function plantedDefectOf(truthPath: string): Promise<string | null | undefined> {
  try {
    const truth = JSON.parse(await readFile(truthPath, 'utf8')) as { defect?: { code?: unknown } | null };
    if (truth.defect === null) return null;
    return typeof truth.defect?.code === 'string' ? truth.defect.code : undefined;
  } catch {
    return undefined;
  }
}

export function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

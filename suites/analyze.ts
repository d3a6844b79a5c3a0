import { z } from 'zod';
import { analyzeVideo } from '../metrics/analyze-video.js';
import { expectationsSchema, type Expectations, type ExpectationsInput } from '../prompts/schema.js';
import { getSuite } from './definitions.js';
import { RunError } from './errors.js';
import { metricById } from './metric-lookup.js';
import type { Verdict } from './results.js';
import { verdictOf } from './verdict.js';

export const ANALYZE_SCHEMA_VERSION = 1;

/** One analysed video: the stable contract of `physeval analyze --json`. */
export interface AnalyzeReport {
  schemaVersion: typeof ANALYZE_SCHEMA_VERSION;
  video: { path: string; width: number; height: number; fps: number; frames: number; durationS: number; hasAudio: boolean };
  metrics: Record<string, Record<string, unknown>>;
  metricErrors: Record<string, string>;
  verdict: Verdict;
}

/** A video that could not be analysed at all, with the reason. */
export interface AnalyzeError {
  schemaVersion: typeof ANALYZE_SCHEMA_VERSION;
  video: { path: string };
  error: { code: string; message: string };
}

export interface AnalyzeOptions {
  expect?: ExpectationsInput;
  /** Suite whose metrics and thresholds to use; `default` when absent. */
  suite?: string;
  metrics?: readonly string[];
  /** Where a generated extension starts in every video, s: continuity is checked across it. */
  boundaryS?: number;
}

/** The shortcut keys `--expect` takes besides the catalog's own expectation keys. */
const expectShortcutsSchema = z
  .object({
    objectDiameterM: z.number().positive().optional(),
    objectColorHint: z.string().optional(),
  })
  .loose();

/**
 * Turns `--expect` input (`{"objectDiameterM": 0.22, "gravityMS2": 9.81}` and any catalog expectation key)
 * laid over a base (a prompt's expectations) into validated expectations.
 */
export function resolveExpectations(base: ExpectationsInput | undefined, overrides: unknown): Expectations {
  const shortcuts = expectShortcutsSchema.safeParse(overrides ?? {});
  if (!shortcuts.success) throw new RunError('invalid-option', `--expect: ${shortcuts.error.issues.map(issueText).join('; ')}`);
  const { objectDiameterM, objectColorHint, ...rest } = shortcuts.data;
  const merged: Record<string, unknown> = { ...base, ...rest };
  if (objectDiameterM !== undefined || objectColorHint !== undefined) {
    const objects = Array.isArray(merged.objects) ? [...(merged.objects as unknown[])] : [];
    const first = (objects[0] ?? { name: 'object' }) as Record<string, unknown>;
    objects[0] = {
      ...first,
      ...(objectDiameterM === undefined ? {} : { diameterM: objectDiameterM }),
      ...(objectColorHint === undefined ? {} : { colorHint: objectColorHint }),
    };
    if (objects[0] && (objects[0] as Record<string, unknown>).diameterM === undefined) {
      throw new RunError('invalid-option', '--expect: objectColorHint needs objectDiameterM (or a prompt) to say the object size');
    }
    merged.objects = objects;
  }
  const parsed = expectationsSchema.safeParse(merged);
  if (!parsed.success) throw new RunError('invalid-option', `--expect: ${parsed.error.issues.map(issueText).join('; ')}`);
  return parsed.data;
}

/** Analyses videos a user already has. A bad file becomes an AnalyzeError; the others are still analysed. */
export async function analyze(paths: readonly string[], options: AnalyzeOptions = {}): Promise<Array<AnalyzeReport | AnalyzeError>> {
  const suite = getSuite(options.suite ?? 'default');
  const metrics = (options.metrics ?? suite.metrics).map(metricById);
  const expect = expectationsSchema.parse(options.expect ?? {});
  const reports: Array<AnalyzeReport | AnalyzeError> = [];
  for (const path of paths) {
    try {
      const analysis = await analyzeVideo(path, {
        expect,
        metrics,
        thresholds: suite.thresholds,
        ...(options.boundaryS === undefined ? {} : { boundaryS: options.boundaryS }),
      });
      const { video } = analysis;
      reports.push({
        schemaVersion: ANALYZE_SCHEMA_VERSION,
        video: { path, width: video.width, height: video.height, fps: video.fps, frames: video.frameCount, durationS: video.durationS, hasAudio: video.hasAudio },
        metrics: Object.fromEntries(Object.entries(analysis.outcomes).map(([id, outcome]) => [id, outcome.value])),
        metricErrors: analysis.errors,
        verdict: verdictOf(analysis.failures, analysis.errors),
      });
    } catch (error) {
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'analysis-failed';
      reports.push({ schemaVersion: ANALYZE_SCHEMA_VERSION, video: { path }, error: { code, message: error instanceof Error ? error.message : String(error) } });
    }
  }
  return reports;
}

export function isAnalyzeError(report: AnalyzeReport | AnalyzeError): report is AnalyzeError {
  return 'error' in report;
}

function issueText(issue: z.core.$ZodIssue): string {
  return `${issue.path.length > 0 ? issue.path.join('.') + ': ' : ''}${issue.message}`;
}

/**
 * The cloth section of `npm run bench:accuracy`: renders cloth clips (compressed, with sensor noise
 * and the drifting watermark), exact and with each planted cloth defect, runs the cloth metric, and
 * prints per clip the planted defect, the codes found and the stretch measured against the truth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeVideo } from '../metrics/analyze-video.js';
import { runningMedian } from '../metrics/cloth-measures.js';
import { clothMetric, CLOTH_DEFAULT_THRESHOLDS, type ClothValue } from '../metrics/cloth.js';
import { getPrompt } from '../prompts/catalog.js';
import type { SimOptions } from '../runners/sim/options.js';
import { simulateClip } from '../runners/sim/simulate-clip.js';
import type { DefectCode, GroundTruth } from '../runners/sim/truth.js';

interface ClothCase {
  promptId: string;
  defect: DefectCode | null;
}

interface ClothRow {
  clip: string;
  planted: string | null;
  codes: string[];
  /** Sustained stretch measured, and the truth's (ClothTruth.stretch) judged the same way over the frames measured. */
  stretch: number | null;
  truthStretch: number | null;
  /** The truth's largest strain anywhere in the clip (impacts included). */
  truthPeak: number;
  gravityRatio: number | null;
  truthGravityRatio: number;
  settleS: number | null;
  truthSettleS: number | null;
}

const CASES: ClothCase[] = [
  { promptId: 'towel-dropped-on-chair', defect: null },
  { promptId: 'sheet-dropped-on-table', defect: null },
  { promptId: 'tablecloth-pulled', defect: null },
  { promptId: 'flag-in-wind', defect: null },
  { promptId: 'silk-scarf-drop', defect: null },
  { promptId: 'towel-dropped-on-chair', defect: 'cloth-stretch' },
  { promptId: 'tablecloth-pulled', defect: 'cloth-stretch' },
  { promptId: 'flag-in-wind', defect: 'cloth-stretch' },
  { promptId: 'towel-dropped-on-chair', defect: 'faster-than-gravity' },
  { promptId: 'towel-dropped-on-chair', defect: 'no-settling' },
  { promptId: 'towel-dropped-on-chair', defect: 'cloth-pop' },
  { promptId: 'flag-in-wind', defect: 'cloth-pop' },
];

async function measure(testCase: ClothCase, options: SimOptions, path: string): Promise<ClothRow> {
  const prompt = getPrompt(testCase.promptId);
  const truth: GroundTruth = await simulateClip(prompt, path, { ...options, defect: testCase.defect === null ? null : { code: testCase.defect } });
  const analysis = await analyzeVideo(path, { expect: prompt.expect, metrics: [clothMetric] });
  rmSync(path, { force: true });
  const value = analysis.outcomes['cloth']?.value as unknown as ClothValue | undefined;
  const cloth = truth.cloth;
  if (cloth === undefined) throw new Error(`bench/accuracy-cloth.ts: ${testCase.promptId} gave no cloth truth`);
  const frames = (value?.stretch.series ?? []).map(([timeS]) => Math.round(timeS * truth.fps));
  const window = Math.max(1, Math.round(CLOTH_DEFAULT_THRESHOLDS.stretchWindowS * truth.fps));
  const truthStretch = frames.length === 0 ? null : Math.max(...runningMedian(frames.map((k) => cloth.stretch[k] ?? 0), window));
  const gravityFactor = truth.defect?.code === 'faster-than-gravity' ? truth.defect.value : 1;
  const errors = Object.entries(analysis.errors).map(([id, message]) => `error:${id}:${message}`);
  return {
    clip: `${testCase.promptId} ${options.width}x${options.height}@${options.fps} crf${options.crf} noise${options.noiseSigma}`,
    planted: truth.defect?.code ?? null,
    codes: [...new Set([...analysis.failures.map((failure) => failure.code), ...errors])],
    stretch: value?.stretch.sustained ?? null,
    truthStretch,
    truthPeak: Math.max(...cloth.maxStrain),
    gravityRatio: value?.fall?.gravityRatio ?? null,
    truthGravityRatio: gravityFactor,
    settleS: value?.settle.settleS ?? null,
    truthSettleS: cloth.settleS,
  };
}

const pct = (value: number | null): string => (value === null ? '—' : `${(100 * value).toFixed(1)}%`);
const num = (value: number | null, digits: number): string => (value === null ? '—' : value.toFixed(digits));

/** The bench's seeds start here; a sweep adds each of its offsets to every seed. */
const FIRST_SEED = 200;

interface ClothSummary {
  caught: number;
  planted: number;
  falseAlarms: number;
  exact: number;
  /** Worst |measured − truth| stretch where measured; null when nothing was measured. */
  worstStretchError: number | null;
}

function summarize(rows: readonly ClothRow[]): ClothSummary {
  const exact = rows.filter((row) => row.planted === null);
  const planted = rows.filter((row) => row.planted !== null);
  const stretchErrors = rows.flatMap((row) => (row.stretch === null || row.truthStretch === null ? [] : [Math.abs(row.stretch - row.truthStretch)]));
  return {
    caught: planted.filter((row) => row.codes.includes(row.planted as string)).length,
    planted: planted.length,
    falseAlarms: exact.filter((row) => row.codes.length > 0).length,
    exact: exact.length,
    worstStretchError: stretchErrors.length === 0 ? null : Math.max(...stretchErrors),
  };
}

const check = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
const points = (error: number | null): string => (error === null ? '—' : `${(100 * error).toFixed(1)} points`);
const stretchMeets = (summary: ClothSummary): boolean => summary.worstStretchError !== null && summary.worstStretchError <= 0.02;

/** Renders and measures every case at every setting, seeds counting up from `firstSeed`. */
async function runCases(settings: readonly SimOptions[], firstSeed: number): Promise<ClothRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-accuracy-cloth-'));
  const rows: ClothRow[] = [];
  try {
    let seed = firstSeed;
    for (const options of settings) {
      for (const testCase of CASES) rows.push(await measure(testCase, { ...options, seed: seed++ }, join(dir, `cloth-${seed}.mp4`)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Runs the cloth cases (one size with `quick`, two otherwise) and prints the table and a summary,
 * once per seed offset; with several offsets (`--cloth-seeds 0,100,200`), a last table shows each
 * offset's summary, so a pass that holds only at the bench's own seeds shows.
 */
export async function clothAccuracy(quick: boolean, seedOffsets: readonly number[] = [0]): Promise<void> {
  const settings: SimOptions[] = quick
    ? [{ width: 640, height: 360, fps: 30, crf: 23, noiseSigma: 2, durationS: 3 }]
    : [
        { width: 640, height: 360, fps: 30, crf: 23, noiseSigma: 2, durationS: 3 },
        { width: 1280, height: 720, fps: 24, crf: 28, noiseSigma: 3, durationS: 3 },
      ];
  const sweep: Array<{ offset: number; summary: ClothSummary }> = [];
  for (const offset of seedOffsets) {
    const rows = await runCases(settings, FIRST_SEED + offset);
    console.log(`\ncloth clip (seeds from ${FIRST_SEED + offset}) | planted | codes found | stretch measured | truth where measured | truth peak | g ratio (truth) | settle s (truth)`);
    for (const row of rows) {
      console.log(
        `${row.clip} | ${row.planted ?? '-'} | ${row.codes.join(',') || '-'} | ${pct(row.stretch)} | ${pct(row.truthStretch)} | ${pct(row.truthPeak)} | ${num(row.gravityRatio, 2)} (${row.truthGravityRatio}) | ${num(row.settleS, 2)} (${num(row.truthSettleS, 2)})`,
      );
    }
    const summary = summarize(rows);
    sweep.push({ offset, summary });
    console.log(`\ncloth summary (seeds from ${FIRST_SEED + offset}) | measured | target`);
    console.log(`planted cloth defects caught | ${summary.caught}/${summary.planted} | all ${check(summary.caught === summary.planted)}`);
    console.log(`exact cloth clips with a failure code | ${summary.falseAlarms}/${summary.exact} | 0 ${check(summary.falseAlarms === 0)}`);
    console.log(`stretch error where measured, worst | ${points(summary.worstStretchError)} | 2 points ${check(stretchMeets(summary))}`);
  }
  if (sweep.length < 2) return;
  console.log('\ncloth seed sweep: seeds from | planted caught | exact clips with a code | worst stretch error | all targets');
  for (const { offset, summary } of sweep) {
    const meets = summary.caught === summary.planted && summary.falseAlarms === 0 && stretchMeets(summary);
    console.log(`${FIRST_SEED + offset} | ${summary.caught}/${summary.planted} | ${summary.falseAlarms}/${summary.exact} | ${points(summary.worstStretchError)} | ${check(meets)}`);
  }
}

/** Seed offsets from `--cloth-seeds 0,100,200` among the arguments; [0] (the bench's own seeds) without it. */
export function clothSeedOffsets(argv: readonly string[]): number[] {
  const at = argv.indexOf('--cloth-seeds');
  if (at < 0) return [0];
  const text = argv[at + 1] ?? '';
  const offsets = text === '' ? [] : text.split(',').map(Number);
  if (offsets.length === 0 || offsets.some((offset) => !Number.isInteger(offset) || offset < 0)) {
    throw new Error(`bench/accuracy-cloth.ts: --cloth-seeds wants offsets added to the bench's seeds, whole numbers from 0 separated by commas, e.g. 0,100,200; got "${text}"`);
  }
  return offsets;
}

// Alone (`npm run build && node dist/bench/accuracy-cloth.js [--quick] [--cloth-seeds 0,100,200,300]`) as well as from bench/accuracy.ts.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await clothAccuracy(process.argv.includes('--quick'), clothSeedOffsets(process.argv));

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

/** Runs the cloth cases (one size with `quick`, two otherwise) and prints the table and a summary. */
export async function clothAccuracy(quick: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-accuracy-cloth-'));
  const settings: SimOptions[] = quick
    ? [{ width: 640, height: 360, fps: 30, crf: 23, noiseSigma: 2, durationS: 3 }]
    : [
        { width: 640, height: 360, fps: 30, crf: 23, noiseSigma: 2, durationS: 3 },
        { width: 1280, height: 720, fps: 24, crf: 28, noiseSigma: 3, durationS: 3 },
      ];
  const rows: ClothRow[] = [];
  try {
    let seed = 200;
    for (const options of settings) {
      for (const testCase of CASES) rows.push(await measure(testCase, { ...options, seed: seed++ }, join(dir, `cloth-${seed}.mp4`)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('\ncloth clip | planted | codes found | stretch measured | truth where measured | truth peak | g ratio (truth) | settle s (truth)');
  for (const row of rows) {
    console.log(
      `${row.clip} | ${row.planted ?? '-'} | ${row.codes.join(',') || '-'} | ${pct(row.stretch)} | ${pct(row.truthStretch)} | ${pct(row.truthPeak)} | ${num(row.gravityRatio, 2)} (${row.truthGravityRatio}) | ${num(row.settleS, 2)} (${num(row.truthSettleS, 2)})`,
    );
  }
  const exact = rows.filter((row) => row.planted === null);
  const planted = rows.filter((row) => row.planted !== null);
  const caught = planted.filter((row) => row.codes.includes(row.planted as string));
  const falseAlarms = exact.filter((row) => row.codes.length > 0);
  const stretchErrors = rows.flatMap((row) => (row.stretch === null || row.truthStretch === null ? [] : [Math.abs(row.stretch - row.truthStretch)]));
  const check = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
  console.log('\ncloth summary | measured | target');
  console.log(`planted cloth defects caught | ${caught.length}/${planted.length} | all ${check(caught.length === planted.length)}`);
  console.log(`exact cloth clips with a failure code | ${falseAlarms.length}/${exact.length} | 0 ${check(falseAlarms.length === 0)}`);
  const worst = stretchErrors.length === 0 ? null : Math.max(...stretchErrors);
  console.log(`stretch error where measured, worst | ${worst === null ? '—' : `${(100 * worst).toFixed(1)} points`} | 2 points ${check(worst !== null && worst <= 0.02)}`);
}

// Alone (`npm run build && node dist/bench/accuracy-cloth.js [--quick]`) as well as from bench/accuracy.ts.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await clothAccuracy(process.argv.includes('--quick'));

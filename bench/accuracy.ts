/**
 * Accuracy against simulator ground truth: `npm run bench:accuracy`.
 * Renders clips across sizes, frame rates, compression, noise and planted audio offsets, analyses
 * them with every metric, and prints the errors against truth with the targets they must meet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeVideo } from '../metrics/analyze-video.js';
import { clothAccuracy, clothSeedOffsets } from './accuracy-cloth.js';
import { fluidsAccuracy } from './accuracy-fluids.js';
import { METRICS } from '../metrics/registry.js';
import type { TemporalValue } from '../metrics/temporal.js';
import type { TrackedObject, TrajectoryValue } from '../metrics/trajectory-types.js';
import { getPrompt } from '../prompts/catalog.js';
import { isClothDefect } from '../runners/sim/cloth/cloth-defects.js';
import { isFluidOnlyDefect } from '../runners/sim/fluid/fluid-defects.js';
import { simulateClip } from '../runners/sim/simulate-clip.js';
import type { SimOptions } from '../runners/sim/options.js';
import { DEFECTS, type DefectCode, type GroundTruth, type TruthObject } from '../runners/sim/truth.js';

interface Case {
  promptId: string;
  options: SimOptions;
}

interface Row {
  clip: string;
  gErrPct: number | null;
  /** The error of g in m/s², the scale taken from the ball's stated diameter and its measured radius. */
  gMs2ErrPct: number | null;
  eErr: number | null;
  contactErrMs: number[];
  /** True contacts among the first three that a measured contact was compared with (within 50 ms), and how many there were. */
  contactsFound: number;
  contactsTrue: number;
  avErrMs: number | null;
  codes: string[];
  planted: string | null;
  /** Largest colour change (CIE76 ΔE, first against last third of the sightings) of any tracked object; null when none was judged. */
  appearanceDeltaE: number | null;
  /** Camera shake of the clip, RMS px per axis (0: still). */
  shakePx: number;
}

const quick = process.argv.includes('--quick');
/** `--cloth-seeds 0,100,200` repeats the cloth section at the bench's seeds moved by each offset (read first, so a typo fails at once). */
const clothSeeds = clothSeedOffsets(process.argv);
const metrics = Object.values(METRICS);
const dir = mkdtempSync(join(tmpdir(), 'physeval-accuracy-'));

function exactCases(): Case[] {
  const cases: Case[] = [];
  const sizes: Array<[number, number]> = quick ? [[640, 360]] : [[640, 360], [1280, 720], [1920, 1080]];
  const prompts = ['basketball-bounce-hardwood', 'tennis-ball-lob', 'rubber-ball-bounce-concrete', 'golf-ball-rolls-off-desk', 'rubber-balls-thrown-midair'];
  let seed = 1;
  for (const [width, height] of sizes) {
    for (const fps of [24, 30, 60]) {
      for (const crf of quick ? [23] : [18, 28]) {
        const promptId = prompts[seed % prompts.length]!;
        const offsetMs = ((seed * 97) % 401) - 200;
        cases.push({
          promptId,
          options: { width, height, fps, crf, seed, noiseSigma: 1 + (seed % 3), durationS: 3, defect: offsetMs === 0 ? null : { code: 'av-desync', value: offsetMs } },
        });
        seed += 1;
      }
    }
  }
  return cases;
}

/** Hand-held camera shake (RMS offset per axis: 3 px at 640x360, scaled with the frame), exact and with a planted defect. */
function shakeCases(): Case[] {
  const sizes: Array<[number, number]> = quick ? [[640, 360]] : [[640, 360], [1280, 720]];
  return sizes.flatMap(([width, height], i) => {
    const shakePx = (3 * width) / 640;
    const base = { width, height, fps: 30, crf: 23, durationS: 3, shakePx };
    return [
      { promptId: 'basketball-bounce-hardwood', options: { ...base, seed: 200 + 3 * i, defect: null } },
      { promptId: 'tennis-ball-lob', options: { ...base, seed: 201 + 3 * i, defect: null } },
      { promptId: 'basketball-bounce-hardwood', options: { ...base, seed: 202 + 3 * i, defect: { code: 'gravity-inconsistent' as const } } },
    ];
  });
}

/**
 * Slow lighting changes (the light dims by a third, or brightens by a fifth, over the clip) and
 * low-contrast balls (a grey-beige ball whose lit side is 10-25 grey levels darker than the beige wall
 * behind it), exact.
 */
function lightAndContrastCases(): Case[] {
  const sizes: Array<[number, number]> = quick ? [[640, 360]] : [[640, 360], [1280, 720]];
  return sizes.flatMap(([width, height], i) => {
    const base = { width, height, fps: 30, crf: 23, durationS: 3, defect: null };
    return [
      { promptId: 'basketball-bounce-hardwood', options: { ...base, seed: 300 + 4 * i, lightingRamp: -0.35 } },
      { promptId: 'tennis-ball-lob', options: { ...base, seed: 301 + 4 * i, lightingRamp: 0.2 } },
      { promptId: 'basketball-bounce-hardwood', options: { ...base, seed: 302 + 4 * i, ballColorRgb: [174, 170, 160] as [number, number, number] } },
      { promptId: 'rubber-ball-bounce-concrete', options: { ...base, seed: 303 + 4 * i, ballColorRgb: [185, 181, 171] as [number, number, number] } },
    ];
  });
}

function defectCases(): Case[] {
  // Cloth defects plant on cloth prompts only: bench/accuracy-cloth.ts covers them; fluid defects on fluid prompts only;
  // momentum-violation needs two balls colliding.
  return (Object.keys(DEFECTS) as DefectCode[]).filter((code) => !isClothDefect(code) && !isFluidOnlyDefect(code)).map((code, i) => ({
    promptId: code === 'momentum-violation' ? 'rubber-balls-thrown-midair' : 'basketball-bounce-hardwood',
    options: { width: 640, height: 360, fps: 30, seed: 100 + i, durationS: 3, defect: { code } },
  }));
}

/** The largest appearance ΔE over the objects the temporal metric judged, or null. */
function worstDeltaE(temporal: TemporalValue | undefined): number | null {
  const judged = (temporal?.appearance ?? []).flatMap((object) => (object.deltaE === null ? [] : [object.deltaE]));
  return judged.length > 0 ? Math.max(...judged) : null;
}

/** The absolute error of each of the first three true contacts against the nearest measured one, ms. */
function contactErrorsMs(truthS: readonly number[], measuredS: readonly number[]): number[] {
  return truthS.slice(0, 3).flatMap((t) => {
    const nearest = measuredS.reduce((best, m) => (Math.abs(m - t) < Math.abs(best - t) ? m : best), Infinity);
    return Number.isFinite(nearest) && Math.abs(nearest - t) < 0.05 ? [Math.abs(nearest - t) * 1000] : [];
  });
}

/**
 * |measured − true| restitution at the object's first bounce: its first contact that no other object
 * shares (a contact at the same time on two balls is their collision, where the ratio of vertical
 * speeds is no restitution), against the measured contact nearest it; null when there is none.
 */
function bounceRestitutionError(truth: GroundTruth, object: TruthObject, measured: { contactsS: number[]; restitution: number[] }): number | null {
  const others = truth.objects.filter((o) => o !== object).flatMap((o) => o.contactsS);
  const k = object.contactsS.findIndex((t) => others.every((u) => Math.abs(u - t) > 0.001));
  const timeS = object.contactsS[k];
  const trueE = object.restitution[k];
  if (timeS === undefined || trueE === undefined) return null;
  let nearest = -1;
  for (const [i, m] of measured.contactsS.entries()) {
    if (nearest < 0 || Math.abs(m - timeS) < Math.abs((measured.contactsS[nearest] as number) - timeS)) nearest = i;
  }
  const measuredE = measured.restitution[nearest];
  return measuredE !== undefined && Math.abs((measured.contactsS[nearest] as number) - timeS) < 0.05 ? Math.abs(measuredE - trueE) : null;
}

/** The tracked object that started nearest the truth object's place at that time (a run's ids need not follow the truth's order). */
function matchingObject(object: TruthObject, tracked: readonly TrackedObject[]): TrackedObject | undefined {
  let best: { tracked: TrackedObject; distancePx: number } | undefined;
  for (const candidate of tracked) {
    const first = candidate.track[0];
    if (first === undefined) continue;
    const [timeS, xPx, yPx] = first;
    const sample = object.frames.reduce((a, b) => (Math.abs(b[0] - timeS) < Math.abs(a[0] - timeS) ? b : a));
    const distancePx = Math.hypot(sample[1] - xPx, sample[2] - yPx);
    if (best === undefined || distancePx < best.distancePx) best = { tracked: candidate, distancePx };
  }
  return best?.tracked;
}

async function measure(testCase: Case, index: number): Promise<Row> {
  const path = join(dir, `clip-${index}.mp4`);
  const prompt = getPrompt(testCase.promptId);
  const truth: GroundTruth = await simulateClip(prompt, path, testCase.options);
  const analysis = await analyzeVideo(path, { expect: prompt.expect, metrics });
  const trajectory = analysis.outcomes.trajectory?.value as TrajectoryValue | undefined;
  const avsync = analysis.outcomes.avsync?.value as { offsetMs?: number | null } | undefined;
  const truthMain = truth.objects[0];
  const main = truthMain === undefined ? undefined : matchingObject(truthMain, trajectory?.objects ?? []);
  const defect = truth.defect?.code ?? null;
  // Physics is judged where nothing was planted but a sound offset.
  const judged = defect === null || defect === 'av-desync';
  const gravityTrue = judged ? truth.gravityPxS2 : null;
  const offsetTrue = truth.audio?.offsetMs ?? 0;
  const settings = testCase.options;
  const contactErrMs = truthMain && judged ? contactErrorsMs(truthMain.contactsS, main?.contactsS ?? []) : [];
  rmSync(path, { force: true });
  return {
    clip: `${testCase.promptId} ${settings.width}x${settings.height}@${settings.fps} crf${settings.crf ?? 23}${settings.shakePx ? ` shake${settings.shakePx}px` : ''}${settings.lightingRamp ? ` light×${1 + settings.lightingRamp}` : ''}${settings.ballColorRgb ? ` ball rgb(${settings.ballColorRgb.join(',')})` : ''}${defect ? ` ${defect}${defect === 'av-desync' ? `=${offsetTrue}` : ''}` : ''}`,
    gErrPct: gravityTrue !== null && main?.gravityPxS2 != null ? (100 * Math.abs(main.gravityPxS2 - gravityTrue)) / gravityTrue : null,
    gMs2ErrPct: judged && main?.gravityMS2 != null ? (100 * Math.abs(main.gravityMS2 - truth.gravityMS2)) / truth.gravityMS2 : null,
    eErr: truthMain && main && judged ? bounceRestitutionError(truth, truthMain, main) : null,
    contactErrMs,
    contactsFound: contactErrMs.length,
    contactsTrue: judged && truthMain ? Math.min(3, truthMain.contactsS.length) : 0,
    avErrMs: typeof avsync?.offsetMs === 'number' ? Math.abs(avsync.offsetMs - offsetTrue) : null,
    codes: analysis.failures.map((failure) => failure.code),
    planted: defect,
    appearanceDeltaE: worstDeltaE(analysis.outcomes.temporal?.value as TemporalValue | undefined),
    shakePx: settings.shakePx ?? 0,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (value: number | null, digits: number): string => (value === null || Number.isNaN(value) ? '—' : value.toFixed(digits));

async function main(): Promise<void> {
  const rows: Row[] = [];
  const cases = [...exactCases(), ...shakeCases(), ...lightAndContrastCases(), ...defectCases()];
  for (const [index, testCase] of cases.entries()) rows.push(await measure(testCase, index));
  rmSync(dir, { recursive: true, force: true });

  console.log('clip | g err % | g m/s² err % | e err | contact err ms | AV err ms | failure codes');
  for (const row of rows) {
    console.log(`${row.clip} | ${fmt(row.gErrPct, 2)} | ${fmt(row.gMs2ErrPct, 1)} | ${fmt(row.eErr, 3)} | ${row.contactErrMs.map((e) => e.toFixed(1)).join(' ') || '—'} | ${fmt(row.avErrMs, 1)} | ${row.codes.join(',') || '-'}`);
  }
  const exact = rows.filter((row) => row.planted === null || row.planted === 'av-desync');
  const g = exact.flatMap((row) => (row.gErrPct === null ? [] : [row.gErrPct]));
  const e = exact.flatMap((row) => (row.eErr === null ? [] : [row.eErr]));
  const contacts = exact.flatMap((row) => row.contactErrMs);
  const av = exact.flatMap((row) => (row.avErrMs === null ? [] : [row.avErrMs]));
  const expectedCodes = (row: Row): string[] => {
    if (row.planted !== 'av-desync') return row.planted ? [row.planted] : [];
    const offset = Number(/=(-?\d+)/.exec(row.clip)?.[1] ?? 0);
    return offset > 125 || offset < -45 ? ['av-desync'] : [];
  };
  const falseAlarms = exact.filter((row) => row.codes.some((code) => !expectedCodes(row).includes(code)));
  const planted = rows.filter((row) => row.planted !== null && expectedCodes(row).length > 0);
  const caught = planted.filter((row) => row.codes.includes(row.planted!));
  const check = (ok: boolean): string => (ok ? 'meets' : 'MISSES');
  console.log('\nsummary | measured | target');
  console.log(`g error, median / worst | ${fmt(median(g), 2)}% / ${fmt(Math.max(...g), 2)}% | 1% / 2% ${check(median(g) <= 1 && Math.max(...g) <= 2)}`);
  // Reported, not a target: the scale comes from a radius of a few px, where a tenth of a pixel is a few per cent.
  const gMs2 = exact.flatMap((row) => (row.gMs2ErrPct === null ? [] : [row.gMs2ErrPct]));
  console.log(`g error in m/s² (scale from the ball's diameter), median / worst | ${fmt(median(gMs2), 2)}% / ${fmt(Math.max(...gMs2), 2)}% | reported`);
  console.log(`restitution error, median / worst | ${fmt(median(e), 3)} / ${fmt(Math.max(...e), 3)} | 0.01 / 0.03 ${check(median(e) <= 0.01 && Math.max(...e) <= 0.03)}`);
  console.log(`contact time error, median / worst | ${fmt(median(contacts), 1)} / ${fmt(Math.max(...contacts), 1)} ms | 2 / 5 ms ${check(median(contacts) <= 2 && Math.max(...contacts) <= 5)}`);
  const found = exact.reduce((sum, row) => sum + row.contactsFound, 0);
  const wanted = exact.reduce((sum, row) => sum + row.contactsTrue, 0);
  const missedIn = exact.filter((row) => row.contactsFound < row.contactsTrue).map((row) => row.clip);
  console.log(`first three true contacts of each clip measured (within 50 ms) | ${found}/${wanted}${missedIn.length > 0 ? ` (missed in: ${missedIn.join('; ')})` : ''} | all ${check(found === wanted)}`);
  const shaken = exact.filter((row) => row.shakePx > 0);
  const gShaken = shaken.flatMap((row) => (row.gErrPct === null ? [] : [row.gErrPct]));
  const contactsShaken = shaken.flatMap((row) => row.contactErrMs);
  console.log(`with camera shake: g error / contact error, median / worst | ${fmt(median(gShaken), 2)}% / ${fmt(Math.max(...gShaken), 2)}%, ${fmt(median(contactsShaken), 1)} / ${fmt(Math.max(...contactsShaken), 1)} ms | 1% / 2%, 2 / 5 ms ${check(median(gShaken) <= 1 && Math.max(...gShaken) <= 2 && median(contactsShaken) <= 2 && Math.max(...contactsShaken) <= 5)}`);
  console.log(`AV offset error, median / worst | ${fmt(median(av), 1)} / ${fmt(Math.max(...av), 1)} ms | 5 / 10 ms ${check(median(av) <= 5 && Math.max(...av) <= 10)}`);
  const deltaE = (rows: Row[]): number[] => rows.flatMap((row) => (row.appearanceDeltaE === null ? [] : [row.appearanceDeltaE]));
  const exactDeltaE = deltaE(exact);
  const plantedDeltaE = deltaE(rows.filter((row) => row.planted === 'appearance-change'));
  console.log(`appearance ΔE, exact clips worst / planted appearance-change least | ${fmt(Math.max(...exactDeltaE), 1)} / ${fmt(Math.min(...plantedDeltaE), 1)} | < 20 / > 20 ${check(Math.max(...exactDeltaE) < 20 && Math.min(...plantedDeltaE) > 20)}`);
  console.log(`planted defects caught | ${caught.length}/${planted.length} | all ${check(caught.length === planted.length)}`);
  console.log(`clips with an unexpected failure code | ${falseAlarms.length}/${exact.length} | 0 ${check(falseAlarms.length === 0)}`);
  await clothAccuracy(quick, clothSeeds);
  await fluidsAccuracy(quick);
}

await main();

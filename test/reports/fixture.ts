import type { FittedArc, TrackedObject, TrajectoryValue } from '../../metrics/trajectory-types.js';
import type { ItemResult, ResultsFile } from '../../suites/results.js';

export const XSS = '<script>alert(1)</script>';
export const PX_PER_M = 100;
export const FPS = 30;

/** Mean luma of 45 frames: a slow brightening with a ±3 flicker between 0.4 s and 0.6 s. */
export const LUMA_SERIES = Array.from({ length: 45 }, (_, frame) => 100 + frame * 0.2 + (frame >= 12 && frame < 18 ? (frame % 2 === 0 ? 3 : -3) : 0));

/** A ball dropped from y = 20 px onto a floor at y = 160 px, restitution 0.7, at `gravityMS2`. */
export function bounceTrajectory(gravityMS2: number): TrajectoryValue {
  const gPxS2 = gravityMS2 * PX_PER_M;
  const contactS = Math.sqrt((2 * (160 - 20)) / gPxS2);
  const reboundVyPxS = -0.7 * gPxS2 * contactS;
  const arcs: FittedArc[] = [
    { startS: 0, endS: contactS, tRefS: 0, x0Px: 100, vxPxS: 20, y0Px: 20, vyPxS: 0, gPxS2, gStdErrPxS2: 2, rmsPx: 0.4, points: 16 },
    { startS: contactS, endS: 1.5, tRefS: contactS, x0Px: 100 + 20 * contactS, vxPxS: 20, y0Px: 160, vyPxS: reboundVyPxS, gPxS2, gStdErrPxS2: 2, rmsPx: 0.4, points: 29 },
  ];
  const track: Array<[number, number, number, number]> = [];
  for (let frame = 0; frame < 1.5 * FPS; frame += 1) {
    const tS = frame / FPS;
    const arc = tS < contactS ? arcs[0]! : arcs[1]!;
    const tauS = tS - arc.tRefS;
    track.push([tS, arc.x0Px + arc.vxPxS * tauS, arc.y0Px + arc.vyPxS * tauS + 0.5 * gPxS2 * tauS * tauS, 6]);
  }
  const object: TrackedObject = {
    id: 1,
    frames: track.length,
    gravityPxS2: gPxS2,
    gravityStdErrPxS2: 1.5,
    gravityMS2,
    pxPerM: PX_PER_M,
    meanRadiusPx: 6,
    restitution: [0.7],
    contactsS: [contactS],
    landingsS: [],
    arcs,
    track,
  };
  return { objects: [object], gravityPxS2: gPxS2, gravityMS2, restitution: [0.7], contactsS: [contactS] };
}

function item(overrides: Partial<ItemResult> & Pick<ItemResult, 'promptId' | 'category' | 'generator'>): ItemResult {
  return {
    key: `${overrides.promptId}|${overrides.generator}|1`,
    seed: 1,
    status: 'ok',
    video: { path: `clips/${overrides.promptId}.mp4`, width: 320, height: 180, fps: FPS, frames: 45, durationS: 1.5, hasAudio: false },
    costUsd: 0,
    metrics: {},
    metricErrors: {},
    verdict: { pass: true, failures: [] },
    elapsedS: 0.4,
    ...overrides,
  };
}

/**
 * Two generators; sim:ideal passes three items (one with odd metric values), sim:flawed fails
 * one on gravity and has one item that was never analysed, whose id and message try to inject HTML.
 */
export function resultsFixture(): ResultsFile {
  const items: ItemResult[] = [
    item({ promptId: 'drop-ball', category: 'drop', generator: 'sim:ideal', metrics: { trajectory: { ...bounceTrajectory(9.75) } } }),
    item({
      promptId: 'bounce-ball',
      category: 'bounce',
      generator: 'sim:ideal',
      metrics: {
        trajectory: { ...bounceTrajectory(9.9) },
        avsync: { hasAudio: true, offsetMs: 12.5, confidence: 0.9, pairs: [{ videoS: 0.53, audioS: 0.54 }], onsetsS: [0.54, 1.2], impactsS: [0.53] },
        temporal: { flickerIndex: 0.0123, worstFlickerAtS: 0.5, lumaSeries: LUMA_SERIES },
      },
    }),
    item({
      promptId: 'odd-metrics',
      category: 'bounce',
      generator: 'sim:ideal',
      metrics: {
        trajectory: { objects: [{ id: 'x' }, { id: 2, track: [[0, 1, 2, 3], ['bad'], [0.1, 1, null, 3]], arcs: [{ startS: 1 }] }], gravityMS2: 'fast' },
        avsync: { hasAudio: 'yes' },
        temporal: { flickerIndex: Number.NaN },
      },
    }),
    item({
      promptId: 'drop-ball',
      category: 'drop',
      generator: 'sim:flawed',
      metrics: { trajectory: { ...bounceTrajectory(4.9) } },
      plantedDefect: 'gravity-off',
      verdict: { pass: false, failures: [{ code: 'gravity-off', message: `g is 4.90 m/s², expected 9.81 ${XSS}`, atS: 0.25 }] },
    }),
    item({
      promptId: XSS,
      category: 'bounce',
      generator: 'sim:flawed',
      status: 'failed',
      message: `provider said </script><script>alert(1)</script> <!-- and & more`,
      video: null,
      verdict: { pass: false, failures: [] },
    }),
  ];
  return {
    schemaVersion: 1,
    physevalVersion: '0.1.0',
    runId: 'run-2026-11-25T16-00',
    startedAt: '2026-11-25T16:00:00.000Z',
    finishedAt: '2026-11-25T16:01:30.000Z',
    config: { suite: 'smoke', generators: ['sim:ideal', 'sim:flawed'], seeds: [1], concurrency: 2, width: 320, height: 180, fps: FPS, thresholds: {} },
    metricVersions: { trajectory: '1.0.0' },
    summary: { items: 5, analysed: 4, passed: 3, failed: 2, notAnalysed: 1, costUsd: 0 },
    items,
  };
}

/** Everything that could break HTML, XML or a Markdown table at once. */
export const HOSTILE = `<script>window.__pwned=1</script>]]> & "quoted" 'single' | pipe \`tick\` *star* [link](x)\nnew line`;

/**
 * resultsFixture plus two items whose text is hostile: one that fails a physics check with a
 * hostile message, and one that the generator refused (a skipped test in JUnit).
 */
export function hostileFixture(): ResultsFile {
  const base = resultsFixture();
  const items: ItemResult[] = [
    ...base.items,
    item({
      promptId: HOSTILE,
      category: 'bounce',
      generator: 'sim:ideal',
      metrics: { trajectory: { ...bounceTrajectory(9.8) }, avsync: { hasAudio: true, offsetMs: 160, confidence: 0.8, pairs: [], onsetsS: [0.7], impactsS: [0.53] } },
      verdict: { pass: false, failures: [{ code: 'av-desync', message: `sound 160 ms late ${HOSTILE}`, atS: 0.53 }] },
    }),
    item({ promptId: 'refused-prompt', category: 'drop', generator: 'sim:flawed', status: 'refused', message: `policy: ${HOSTILE}`, video: null, verdict: { pass: false, failures: [] } }),
  ];
  return { ...base, items, summary: { items: 7, analysed: 5, passed: 3, failed: 2, notAnalysed: 2, costUsd: 0 } };
}

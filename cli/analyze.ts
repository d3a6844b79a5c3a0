import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TrajectoryValue } from '../metrics/trajectory-types.js';
import { getPrompt } from '../prompts/catalog.js';
import { analyze, isAnalyzeError, resolveExpectations, type AnalyzeError, type AnalyzeReport } from '../suites/analyze.js';
import { getSuite } from '../suites/definitions.js';
import { RunError } from '../suites/errors.js';
import { EXIT } from './exit-codes.js';
import { idList, positiveNumber } from './parse.js';

interface AnalyzeFlags {
  expect?: string;
  prompt?: string;
  suite?: string;
  metrics?: string[];
  json?: boolean;
  failOnViolation?: boolean;
  boundary?: number;
  faceModel?: string;
}

export function registerAnalyze(program: Command, setExit: (code: number) => void): void {
  program
    .command('analyze')
    .description('analyse videos you already have against physical expectations')
    .argument('<video...>', 'video files')
    .option('-e, --expect <json-or-file>', 'expectations as JSON or a JSON file, e.g. \'{"objectDiameterM": 0.22, "gravityMS2": 9.81}\'')
    .option('-p, --prompt <id>', "start from a catalog prompt's expectations")
    .option('-s, --suite <name>', 'take metrics and thresholds from this suite (default: default)')
    .option('-m, --metrics <ids>', 'comma-separated metric ids (default: the suite\'s)', idList)
    .option('--json', 'print one JSON object per video (an array for several): a stable contract for scripts')
    .option('--fail-on-violation', 'exit 1 when any video fails a physics check')
    .option('--boundary <s>', 'a video extension starts at S seconds: check that the motion carries on across it', positiveNumber)
    .option('--face-model <path>', 'also measure lip sync with this MediaPipe face model (FaceLandmarker .task or FaceDetector .tflite)')
    .action(async (videos: string[], flags: AnalyzeFlags) => {
      const base = flags.prompt === undefined ? undefined : getPrompt(flags.prompt).expect;
      const expect = resolveExpectations(base, flags.expect === undefined ? undefined : readExpectFlag(flags.expect));
      const metrics = flags.faceModel === undefined ? flags.metrics : withLipSync(flags.faceModel, flags.metrics ?? getSuite(flags.suite ?? 'default').metrics);
      const reports = await analyze(videos, {
        expect,
        ...(flags.suite ? { suite: flags.suite } : {}),
        ...(flags.boundary === undefined ? {} : { boundaryS: flags.boundary }),
        ...(metrics ? { metrics } : {}),
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
      } else {
        for (const report of reports) process.stdout.write(describeReport(report) + '\n');
      }
      for (const report of reports) {
        if (isAnalyzeError(report)) process.stderr.write(`physeval: ${report.error.message}\n`);
      }
      const analysed = reports.filter((report): report is AnalyzeReport => !isAnalyzeError(report));
      if (analysed.length === 0) setExit(EXIT.error);
      else setExit(flags.failOnViolation && analysed.some((report) => !report.verdict.pass) ? EXIT.violation : EXIT.ok);
    });
}

/** The lipsync metric reads its model from PHYSEVAL_FACE_MODEL; `--face-model` sets it and adds the metric. */
function withLipSync(faceModel: string, metrics: readonly string[]): string[] {
  if (statSync(faceModel, { throwIfNoEntry: false })?.isFile() !== true) throw new RunError('invalid-option', `--face-model: '${faceModel}' is not a file`);
  process.env.PHYSEVAL_FACE_MODEL = resolve(faceModel);
  return metrics.includes('lipsync') ? [...metrics] : [...metrics, 'lipsync'];
}

function readExpectFlag(value: string): unknown {
  const text = value.trimStart().startsWith('{') ? value : readExpectFile(value);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RunError('invalid-option', `--expect: not valid JSON (${(error as Error).message})`);
  }
}

function readExpectFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new RunError('invalid-option', `--expect: '${path}' is neither JSON nor a readable file`);
  }
}

function describeReport(report: AnalyzeReport | AnalyzeError): string {
  if (isAnalyzeError(report)) return `${report.video.path}: not analysed: ${report.error.message}`;
  const { video, verdict } = report;
  const head = `${video.path}: ${video.width}x${video.height}, ${video.fps.toFixed(2)} fps, ${video.durationS.toFixed(2)} s${video.hasAudio ? '' : ', no audio'}`;
  const numbers = keyNumbers(report);
  const status = verdict.pass ? 'PASS' : 'FAIL';
  const reasons = verdict.failures.map((failure) => `  - ${failure.code}: ${failure.message}`);
  const errors = Object.entries(report.metricErrors).map(([id, message]) => `  - metric ${id} failed: ${message}`);
  return [head, `  ${status}${numbers ? ` (${numbers})` : ''}`, ...trajectoryLines(report), ...reasons, ...errors].join('\n');
}

/** One line per collision (momentum balance) and per object across a boundary (the deviations), when measured. */
function trajectoryLines(report: AnalyzeReport): string[] {
  // The trajectory metric's own output, produced in this process.
  const trajectory = report.metrics.trajectory as Partial<TrajectoryValue> | undefined;
  const collisions = (trajectory?.collisions ?? []).map(
    (c) =>
      `  collision at ${c.timeS.toFixed(2)} s of objects ${c.objectIds.join(' and ')}: momentum changes by ${(100 * c.imbalance).toFixed(1)}% ± ${(100 * c.imbalanceStdErr).toFixed(1)}% of the momentum brought in (masses ${c.massSource === 'prompt' ? 'from the prompt' : 'from size and material'})`,
  );
  const boundary = trajectory?.boundary;
  const objects = (boundary?.objects ?? []).map((o) => {
    const metres = o.jumpM === null ? '' : ` (${o.jumpM.toFixed(3)} m)`;
    const continuation = o.predictionMaxPx === null ? 'a contact at the boundary' : `the continuation of the flight before missed by up to ${o.predictionMaxPx.toFixed(1)} px`;
    return (
      `  boundary ${boundary?.boundaryS.toFixed(2)} s, object ${o.id}: jump ${o.jumpPx.toFixed(1)} ± ${o.jumpStdErrPx.toFixed(1)} px${metres}, ` +
      `velocity jump ${o.velocityJumpPxS.toFixed(0)} ± ${o.velocityJumpStdErrPxS.toFixed(0)} px/s, g ${o.gravityBeforePxS2.toFixed(0)} → ${o.gravityAfterPxS2.toFixed(0)} px/s², ${continuation}`
    );
  });
  return [...collisions, ...objects];
}

function keyNumbers(report: AnalyzeReport): string {
  const parts: string[] = [];
  const trajectory = report.metrics.trajectory;
  if (trajectory && typeof trajectory.gravityMS2 === 'number') parts.push(`g ${trajectory.gravityMS2.toFixed(2)} m/s²`);
  else if (trajectory && typeof trajectory.gravityPxS2 === 'number') parts.push(`g ${trajectory.gravityPxS2.toFixed(0)} px/s²`);
  const avsync = report.metrics.avsync;
  if (avsync && typeof avsync.offsetMs === 'number') {
    const offsetMs = avsync.offsetMs;
    parts.push(`sound ${Math.abs(offsetMs).toFixed(0)} ms ${offsetMs >= 0 ? 'late' : 'early'}`);
  }
  const lipSync = report.metrics.lipsync;
  if (lipSync && typeof lipSync.offsetMs === 'number') {
    const offsetMs = lipSync.offsetMs;
    const confidence = typeof lipSync.confidence === 'number' ? `, confidence ${lipSync.confidence.toFixed(2)}` : '';
    parts.push(`speech ${Math.abs(offsetMs).toFixed(0)} ms ${offsetMs >= 0 ? 'late' : 'early'} on the lips${confidence}`);
  } else if (lipSync && typeof lipSync.reason === 'string') {
    parts.push(`lip sync not measured: ${lipSync.reason}`);
  }
  return parts.join(', ');
}

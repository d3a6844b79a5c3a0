import type { TopLevelSpec } from 'vega-lite';
import type { ItemResult, ResultsFile } from '../suites/results.js';
import { avOffsetsSpec } from './charts/av-offsets.js';
import { avTimelineSpec } from './charts/av-timeline.js';
import { clothEnergySpec } from './charts/cloth-energy.js';
import { clothStretchSpec } from './charts/cloth-stretch.js';
import { readCloth } from './charts/cloth-view.js';
import { flickerSpec } from './charts/flicker.js';
import { fluidTiltSpec } from './charts/fluid-tilt.js';
import { readFluid } from './charts/fluid-view.js';
import { fluidVolumeSpec } from './charts/fluid-volume.js';
import { gravityArcsSpec } from './charts/gravity-arcs.js';
import { leaderboardSpec } from './charts/leaderboard.js';
import { passMatrixSpec } from './charts/pass-matrix.js';
import { restitutionSpec } from './charts/restitution.js';
import { scoreChartSpec } from './charts/score.js';
import { trajectoryChartSpec } from './charts/trajectory.js';
import { readAvSync, readTemporal, readTrajectory } from './metric-values.js';

/** A chart of the report, with a file-safe name (never built from prompt text) and a label for people. */
export interface NamedChart {
  /** Lower-case letters, digits and dashes: the chart's file name without extension. */
  name: string;
  label: string;
  spec: TopLevelSpec;
}

function named(name: string, label: string, spec: TopLevelSpec | null): NamedChart[] {
  return spec === null ? [] : [{ name, label, spec }];
}

/** Charts about the whole run, in page order. */
export function runCharts(results: ResultsFile): NamedChart[] {
  return [
    ...named('score', 'pass rate and gravity error per generator', scoreChartSpec(results)),
    ...named('leaderboard', 'leaderboard: mean per generator and metric with 95% bootstrap intervals', leaderboardSpec(results)),
    ...named('pass-matrix', 'pass rate per category and generator', passMatrixSpec(results)),
    ...named('av-offsets', 'audio-video offset per clip against the ITU-R BT.1359 limits', avOffsetsSpec(results)),
  ];
}

/** Diagnostics of one clip, named by its position in the results (`clip-3-flicker`). */
export function clipCharts(item: ItemResult, index: number): NamedChart[] {
  const prefix = `clip-${index + 1}`;
  const of = `of ${item.promptId} by ${item.generator}, seed ${item.seed}`;
  const trajectory = readTrajectory(item);
  const avSync = readAvSync(item);
  const temporal = readTemporal(item);
  const cloth = readCloth(item);
  const fluid = readFluid(item);
  return [
    ...named(`${prefix}-trajectory`, `trajectory ${of}`, trajectory === null ? null : trajectoryChartSpec(item, trajectory, avSync)),
    ...named(`${prefix}-gravity-arcs`, `g per arc ${of}`, trajectory === null ? null : gravityArcsSpec(item, trajectory)),
    ...named(`${prefix}-restitution`, `restitution per contact ${of}`, trajectory === null ? null : restitutionSpec(item, trajectory)),
    ...named(`${prefix}-av-timeline`, `sound onsets against visual impacts ${of}`, avSync === null ? null : avTimelineSpec(item, avSync)),
    ...named(`${prefix}-flicker`, `brightness over time ${of}`, temporal === null ? null : flickerSpec(item, temporal)),
    ...named(`${prefix}-cloth-stretch`, `cloth strain distribution ${of}`, cloth === null ? null : clothStretchSpec(item, cloth)),
    ...named(`${prefix}-cloth-energy`, `cloth motion energy over time ${of}`, cloth === null ? null : clothEnergySpec(item, cloth)),
    ...named(`${prefix}-fluid-volume`, `liquid volume over time ${of}`, fluid === null ? null : fluidVolumeSpec(item, fluid)),
    ...named(`${prefix}-fluid-tilt`, `liquid surface tilt over time ${of}`, fluid === null ? null : fluidTiltSpec(item, fluid)),
  ];
}

/** Every chart of the report: the run's, then each clip's. */
export function allCharts(results: ResultsFile): NamedChart[] {
  return [...runCharts(results), ...results.items.flatMap((item, index) => clipCharts(item, index))];
}

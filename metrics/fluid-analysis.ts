import type { Failure, FailureCode } from '../prompts/codes.js';
import { fitContinuity, streamWidening } from './fluid-continuity.js';
import { overlaps, touchesBorder, type Region } from './fluid-events.js';
import type { MaskComponent } from './fluid-mask-ops.js';
import { poolOf, streamColumnOf, streamRowsOf, surfaceLineOf, type FrameProfile, type Pool, type StreamRow, type SurfaceLine } from './fluid-profile.js';
import { liquidAreaPx, unfedGrowth, wallLean } from './fluid-puddle.js';
import { lowerRankQuantile } from './robust-stats.js';
import type { FluidValue } from './fluid-types.js';
import { fillRatePerS, fillToDeliveryRatio, medianFilter, volumeEvents, type VolumeEvent } from './fluid-volume.js';
import { round, roundOrNull } from './rounding.js';

/** Default thresholds of the fluid metric. */
export const FLUID_DEFAULT_THRESHOLDS = {
  /** `fluid-appears` / `fluid-vanishes` when the volume changes within `stepWindowS` by more than this fraction of its peak... */
  maxStepFraction: 0.1,
  /** ...and by more than this many times what the stream pours in that time. */
  stepOverInflow: 3,
  stepWindowS: 0.1,
  /** A step or a drain must hold this long, s (something passing in front of the container does not). */
  persistS: 0.25,
  /** Level changes smaller than this are noise for the volume checks, analysis px (compression holds a surface and lets it jump by a pixel or so). */
  minLevelChangePx: 2.5,
  /** `volume-not-conserved` when, steps aside, the volume falls below its running peak by more than this fraction... */
  maxDrainFraction: 0.1,
  /** ...or rises by more than this fraction while no stream pours in (beyond `inflowLagS` after one). */
  maxUnexplainedFraction: 0.15,
  inflowLagS: 0.3,
  /** `surface-not-level` when the resting surface is tilted by more than this, degrees, beyond what reading its height to `surfaceReadPx` at each end allows... */
  maxRestTiltDeg: 2,
  /** ...px (4:2:0 chroma subsampling, which carries most of a tint, blurs the surface over 2 px blocks: at 320x180 crf 23 the columns of a level surface read up to 0.8 px off). */
  surfaceReadPx: 0.5,
  /** The liquid is at rest when its tilt stays within this of its median for `minRestS`, degrees. */
  restWobbleDeg: 0.6,
  minRestS: 0.3,
  /** `stream-continuity` when the stream widens from its top to the surface by more than this fraction. */
  maxStreamWidening: 0.25,
  /** `fluid-appears` / `fluid-vanishes` for a piece of liquid beyond reach larger than this fraction of the container width squared. */
  minPieceAreaFraction: 0.05,
  /** The pool is trusted only when its walls stay put: the spread (MAD) of its edges over frames at most this share of its width... */
  maxEdgeSpreadFraction: 0.06,
  /** ...and the volume's frame-to-frame noise (robust sigma of the differences) at most this share of its peak (a quarter of `maxStepFraction`)... */
  maxVolumeNoiseFraction: 0.025,
  /** ...and its surface a line: the median RMS distance of the column tops from the fitted line at most this share of its width... */
  maxSurfaceResidualFraction: 0.04,
  /** ...and it fills at least this share of its width in the upper quartile of its frames (a pool a few pixels deep is not measured)... */
  minPeakLevelFraction: 0.15,
  /** ...and it is solid: its rows' liquid fills at least this share of the span between their edges (median over frames). */
  minPoolSolidity: 0.85,
  /** `gravity-off` when the splash droplets' combined g is off the expected one by more than this share (as the trajectory metric's `gravityTolerance`)... */
  dropletGravityTolerance: 0.15,
  /** ...and by more than this many standard errors... */
  dropletGravitySigmas: 3,
  /** ...with at least this many droplet arcs fitted. */
  minDropletArcs: 3,
  /** The stream's width is judged only when it is one band: at least this share of its rows hold a single run of liquid (median over frames; spray and speckles do not). */
  minStreamCoherence: 0.85,
} as const;

export type FluidThresholds = { -readonly [K in keyof typeof FLUID_DEFAULT_THRESHOLDS]: number };

/** A pool whose sides lean by more than this share of its width lies on a surface (a puddle seen at an angle reads 0.11-0.18, containers 0). */
const MAX_WALL_LEAN = 0.05;
/** A pool row at least this share of the container width wide belongs to the pool. */
const POOL_ROW_FRACTION = 0.5;
/** A stream is at most this share of the container wide, and needs this many rows to count. */
const MAX_STREAM_FRACTION = 0.45;
const MIN_STREAM_ROWS = 4;
/** A stream is at most this share of the frame wide. */
const STREAM_MAX_FRAME_FRACTION = 0.05;
/** Rows of the stream this close to the surface are its splash, px. */
const SPLASH_MARGIN_PX = 2;
/** Columns this close to the stream or to a wall are left out of the surface line: chroma subsampling and compression mix their colours, px. */
const STREAM_MARGIN_PX = 4;
const WALL_MARGIN_PX = 3;
/** The fill rate is compared once the container holds this share of its peak (a pool just forming over the bottom reads poorly). */
const RATE_FROM_PEAK_FRACTION = 0.25;
/** A surface tilt is measured only over columns spanning at least this share of the pool. */
const MIN_TILT_SPAN = 0.6;
/** Shares of the stream's length left out of its width profile at the top (the outlet) and the bottom (where it lands). */
const STREAM_TRIM_TOP = 0.1;
const STREAM_TRIM_BOTTOM = 0.15;
const MAX_SERIES_POINTS = 200;

/** What a fluid session collected, frame by frame. */
export interface FluidObservations {
  timesS: number[];
  profiles: FrameProfile[];
  /** Pieces that appeared in or vanished from each frame, with the frame they belong to. */
  pieces: Array<{ kind: 'appear' | 'vanish'; frame: number; piece: MaskComponent }>;
  width: number;
  height: number;
  /** Video px per analysis px. */
  toVideoPx: number;
  segmentation: FluidValue['segmentation'];
  fullOpacity: number | null;
  containerDiameterM: number | null;
  expected: FluidValue['expected'];
  gravityMS2: number;
  /** Liquid standing in the starting background (its surface row and opacity), unmixed out of the reference; null when none. */
  standing: { surfaceRow: number; opacity: number; centreXPx: number; warmupFrames: number } | null;
}

/** The measures and checks of a clip from its observations. */
export function analyzeFluid(obs: FluidObservations, t: FluidThresholds): { value: FluidValue; failures: Failure[] } {
  const notes: string[] = [];
  if (obs.standing !== null) notes.push(`liquid stands in the first frames (surface at row ${Math.round(obs.standing.surfaceRow * obs.toVideoPx)} px, opacity ${obs.standing.opacity.toFixed(2)}): it is measured against the background unmixed from under it`);
  const n = obs.timesS.length;
  const streamXPx = streamColumnOf(obs.profiles, STREAM_MAX_FRAME_FRACTION * obs.width, MIN_STREAM_ROWS * 3);
  // The pool is the one the stream falls into, or the one standing from the first frame.
  const anchorXPx = streamXPx ?? obs.standing?.centreXPx ?? null;
  // Standing liquid shows the container's width before anything enters it (a ball sunk to the bottom narrows the rows it lies in).
  const containerWidthPx = containerWidthOf(obs.standing === null ? obs.profiles : obs.profiles.slice(0, obs.standing.warmupFrames), anchorXPx);
  const empty: FluidValue = {
    segmentation: obs.segmentation,
    fullOpacity: obs.fullOpacity,
    containerWidthPx: null,
    pxPerM: null,
    volumeUnit: obs.containerDiameterM === null ? 'container widths' : 'L',
    expected: obs.expected,
    finalVolume: null,
    peakVolume: null,
    fillRatePerS: null,
    volumeSeries: [],
    inflowSpansS: [],
    tiltSeries: [],
    restTiltDeg: null,
    restTiltUncertaintyDeg: null,
    restFromS: null,
    stream: { frames: 0, widening: null, coherence: null, continuity: null, profile: [] },
    fillToDelivery: null,
    volumeEvents: [],
    pieces: [],
    poolTrust: null,
    wallLean: null,
    puddleAreaSeries: null,
    droplets: null,
    notes,
  };
  if (containerWidthPx === null || n === 0) {
    notes.push('no body of liquid was found: nothing judged');
    return { value: empty, failures: [] };
  }
  const pxPerM = obs.containerDiameterM === null ? null : containerWidthPx / obs.containerDiameterM;
  const pools = obs.profiles.map((p) => poolOf(p, containerWidthPx, POOL_ROW_FRACTION, anchorXPx));
  const lean = wallLean(obs.profiles, pools);
  if (lean !== null && lean > MAX_WALL_LEAN) return analyzePuddle(obs, t, { ...empty, containerWidthPx: round(containerWidthPx * obs.toVideoPx, 2), wallLean: round(lean, 3) }, containerWidthPx, pools);
  // Rows hugging a wall are its rim, not a stream (a glass wall above a fallen level reads tinted against the dry wall on both sides).
  const streams = obs.profiles.map((p, i) => {
    const pool = pools[i] ?? null;
    const rows = streamRowsOf(p, pool, MAX_STREAM_FRACTION * containerWidthPx, SPLASH_MARGIN_PX);
    return pool === null ? rows : rows.filter((r) => r.centreXPx - pool.leftPx > STREAM_MARGIN_PX && pool.rightPx - r.centreXPx > STREAM_MARGIN_PX);
  });
  const inflow = streams.map((rows) => rows.length >= MIN_STREAM_ROWS);

  // Surface line per frame, the stream's columns left out.
  const lines = pools.map((pool, i) => {
    if (pool === null || pool.levelHeightPx < 2) return null;
    // Blur spreads the stream's colour a few pixels around it.
    const excluded = inflow[i] ? streamColumns(streams[i]!, STREAM_MARGIN_PX) : null;
    return surfaceLineOf(obs.profiles[i]!, pool, excluded, { edgeFraction: Math.max(0.1, WALL_MARGIN_PX / Math.max(1, pool.rightPx - pool.leftPx)), maxBumpPx: Math.max(3, 0.1 * containerWidthPx), minColumns: 6 });
  });
  // A tilt needs columns across most of the surface (not only those beside the stream).
  const tilts = lines.map((line) => (line !== null && line.spanFraction >= MIN_TILT_SPAN ? line.tiltDeg : null));

  // Volume: a cylinder of the known diameter filled to the pool's height (its rows' when no line fits), or that height in container widths.
  const volumeOfLevel = (heightPx: number): number => {
    if (pxPerM === null || obs.containerDiameterM === null) return heightPx / containerWidthPx;
    return ((Math.PI * obs.containerDiameterM ** 2) / 4) * (heightPx / pxPerM) * 1000;
  };
  // The container's bottom does not move: one lower edge for the clip (the median over frames) keeps a
  // level right when something passes in front of the bottom of the glass; the surface is read per frame.
  const bottoms = lines.flatMap((line) => (line === null ? [] : [line.medianBottomPx]));
  const bottomPx = bottoms.length === 0 ? null : lowerRankQuantile(bottoms, 0.5);
  const volume = pools.map((pool, i) => {
    const line = lines[i];
    if (line === null || line === undefined || bottomPx === null) return volumeOfLevel(pool?.levelHeightPx ?? 0);
    return volumeOfLevel(Math.max(0, bottomPx - line.medianTopPx));
  });
  const fps = n > 1 ? (n - 1) / Math.max(1e-9, obs.timesS[n - 1]! - obs.timesS[0]!) : 30;
  const events: VolumeEvent[] = volumeEvents(obs.timesS, volume, inflow, {
    maxStepFraction: t.maxStepFraction,
    stepOverInflow: t.stepOverInflow,
    stepWindowFrames: Math.max(1, Math.round(t.stepWindowS * fps)),
    minChange: volumeOfLevel(t.minLevelChangePx),
    persistFrames: Math.max(2, Math.round(t.persistS * fps)),
    maxDrainFraction: t.maxDrainFraction,
    maxUnexplainedFraction: t.maxUnexplainedFraction,
    inflowLagS: t.inflowLagS,
  }).events;

  const trust = poolTrust(pools, volume, containerWidthPx, lines, obs.profiles);
  // A typical depth, not one frame's: the upper quartile over the frames with a pool.
  const levels = pools.flatMap((p) => (p === null ? [] : [p.levelHeightPx]));
  const peakLevelPx = levels.length === 0 ? 0 : lowerRankQuantile(levels, 0.75);
  const trusted =
    trust.edgeSpreadPx <= t.maxEdgeSpreadFraction * containerWidthPx &&
    trust.volumeNoise <= t.maxVolumeNoiseFraction &&
    trust.surfaceResidualPx !== null &&
    trust.surfaceResidualPx <= t.maxSurfaceResidualFraction * containerWidthPx &&
    peakLevelPx >= t.minPeakLevelFraction * containerWidthPx &&
    trust.solidity >= t.minPoolSolidity;
  if (!trusted) {
    notes.push(
      `the pool is not measured reliably (edges spread over frames ${trust.edgeSpreadPx.toFixed(1)} px, limit ${(t.maxEdgeSpreadFraction * containerWidthPx).toFixed(1)}; volume noise ${(trust.volumeNoise * 100).toFixed(1)}% of its peak, limit ${(t.maxVolumeNoiseFraction * 100).toFixed(1)}%; surface off a line by ${trust.surfaceResidualPx?.toFixed(2) ?? 'n/a'} px, limit ${(t.maxSurfaceResidualFraction * containerWidthPx).toFixed(2)}; depth (upper quartile) ${peakLevelPx.toFixed(1)} px, at least ${(t.minPeakLevelFraction * containerWidthPx).toFixed(1)}; solidity ${trust.solidity.toFixed(2)}, at least ${t.minPoolSolidity}): volume, level and pieces are not judged`,
    );
  }
  const rest = restOf(obs.timesS, tilts, inflow, t);
  // The columns the resting tilt was read over, px: the median over the resting frames.
  const restSpansPx = rest === null ? [] : lines.flatMap((line, i) => (line === null || obs.timesS[i]! < rest.fromS ? [] : [line.spanFraction * (pools[i]!.rightPx - pools[i]!.leftPx)]));
  const restTiltUncertaintyDeg = restSpansPx.length === 0 ? 0 : tiltUncertaintyDeg(t.surfaceReadPx, lowerRankQuantile(restSpansPx, 0.5));
  if (rest === null) notes.push('the surface never comes to rest after the last inflow: its level is not judged');

  // Stream continuity.
  const widenings: number[] = [];
  const drops: number[] = [];
  const widths: number[] = [];
  streams.forEach((all, i) => {
    if (!inflow[i]) return;
    // The outlet's lip and the splash where the stream lands are not the falling stream.
    const rows = all.slice(Math.floor(STREAM_TRIM_TOP * all.length), Math.ceil((1 - STREAM_TRIM_BOTTOM) * all.length));
    if (rows.length === 0) return;
    const w = streamWidening(rows, MIN_STREAM_ROWS * 2);
    if (w !== null) widenings.push(w);
    const top = rows[0]!.yPx;
    for (const r of rows) {
      drops.push(r.yPx - top);
      widths.push(r.widthPx);
    }
  });
  const widening = widenings.length >= 3 ? lowerRankQuantile(widenings, 0.5) : null;
  const streamFromS = obs.timesS[inflow.indexOf(true)] ?? 0;
  if (widening === null && inflow.some(Boolean)) notes.push('the stream is too short or too brief to judge its width');
  const coherences = streams.flatMap((rows, i) => (inflow[i] && rows.length > 0 ? [singleRunShare(obs.profiles[i]!, rows)] : []));
  const streamCoherence = coherences.length === 0 ? null : lowerRankQuantile(coherences, 0.5);
  const streamTrusted = streamCoherence !== null && streamCoherence >= t.minStreamCoherence;
  if (widening !== null && !streamTrusted) notes.push(`the stream is not seen as one band (share of its rows holding a single run of liquid ${streamCoherence?.toFixed(2) ?? 'n/a'}, at least ${t.minStreamCoherence}): its width is not judged`);
  const profile = medianProfile(drops, widths);
  const fit = fitContinuity(
    profile.map(([d]) => d),
    profile.map(([, w]) => w),
  );

  // Pieces of liquid from nowhere or gone without a trace, away from the stream's path and the frame's border.
  const corridor = streamCorridor(streams, pools, obs.height, 3);
  const minPieceAreaPx = t.minPieceAreaFraction * containerWidthPx ** 2;
  // Only around the container: elsewhere a tinted thing that moves (a logo, a reflection) is not liquid the scene accounts for.
  const band = containerBand(pools, containerWidthPx, obs.height);
  const pieces = obs.pieces.filter(
    ({ piece }) =>
      piece.areaPx >= minPieceAreaPx &&
      !touchesBorder(piece, obs.width, obs.height, 1) &&
      (corridor === null || !overlaps(piece, corridor)) &&
      band !== null &&
      overlaps(piece, band),
  );

  // What the stream delivers goes as its width squared at a fixed drop: the middle third of its rows.
  const streamWidthPx = streams.map((rows, i) => {
    if (!inflow[i]) return null;
    const middle = rows.slice(Math.floor(rows.length / 3), Math.ceil((2 * rows.length) / 3)).map((r) => r.widthPx);
    return middle.length > 0 ? lowerRankQuantile(middle, 0.5) : null;
  });
  const fillRatio = fillToDeliveryRatio(obs.timesS, volume, streamWidthPx, RATE_FROM_PEAK_FRACTION * Math.max(0, ...volume));

  const failures = failuresOf(trusted ? events : [], trusted ? pieces : [], obs, trusted && rest !== null ? { ...rest, uncertaintyDeg: restTiltUncertaintyDeg } : null, streamTrusted ? widening : null, streamFromS, t);
  const scale = obs.toVideoPx;
  const value: FluidValue = {
    ...empty,
    containerWidthPx: round(containerWidthPx * scale, 2),
    pxPerM: pxPerM === null ? null : round(pxPerM * scale, 2),
    finalVolume: round(lowerRankQuantile(volume.slice(-Math.max(1, Math.round(fps * 0.2))), 0.5), 5),
    peakVolume: round(Math.max(...volume), 5),
    fillRatePerS: roundOrNull(fillRatePerS(obs.timesS, volume, inflow), 5),
    volumeSeries: decimate(obs.timesS.map((s, i) => [round(s, 4), round(volume[i]!, 5)])),
    inflowSpansS: spans(obs.timesS, inflow),
    tiltSeries: decimate(obs.timesS.flatMap((s, i) => (tilts[i] === null ? [] : [[round(s, 4), round(tilts[i]!, 3)] as [number, number]]))),
    restTiltDeg: rest === null ? null : round(rest.tiltDeg, 3),
    restTiltUncertaintyDeg: rest === null ? null : round(restTiltUncertaintyDeg, 3),
    restFromS: rest === null ? null : round(rest.fromS, 4),
    stream: {
      frames: inflow.filter(Boolean).length,
      widening: roundOrNull(widening, 4),
      coherence: roundOrNull(streamCoherence, 3),
      continuity:
        fit === null
          ? null
          : {
              topWidthPx: round(fit.topWidthPx * scale, 3),
              velocityHeadPx: round(fit.velocityHeadPx * scale, 2),
              // hv = v0² / 2g.
              outletSpeedMS: pxPerM === null ? null : round(Math.sqrt((2 * obs.gravityMS2 * fit.velocityHeadPx) / pxPerM), 3),
              rmsPx: round(fit.rmsPx * scale, 3),
              modelRatio: round(fit.modelRatio, 4),
            },
      profile: profile.map(([d, w]) => [round(d * scale, 2), round(w * scale, 3)]),
    },
    fillToDelivery: roundOrNull(fillRatio, 4),
    volumeEvents: events.map((e) => ({ ...e, atS: round(e.atS, 4), fraction: round(e.fraction, 4) })),
    wallLean: roundOrNull(lean, 3),
    poolTrust: {
      edgeSpreadPx: round(trust.edgeSpreadPx * scale, 2),
      volumeNoise: round(trust.volumeNoise, 4),
      surfaceResidualPx: trust.surfaceResidualPx === null ? null : round(trust.surfaceResidualPx * scale, 3),
      solidity: round(trust.solidity, 3),
    },
    pieces: pieces.map(({ kind, frame, piece }) => ({
      kind,
      atS: round(obs.timesS[frame]!, 4),
      areaPx: round(piece.areaPx * scale * scale, 1),
      xPx: round(piece.centroidXPx * scale, 1),
      yPx: round(piece.centroidYPx * scale, 1),
    })),
  };
  return { value, failures };
}

/**
 * Liquid lying on a surface (a spill's puddle): no walls, so no level, tilt or stream; the liquid's
 * area stands for its volume (a spread puddle keeps its thickness). A puddle only grows while liquid
 * reaches it (its spreading is its own pour), so it is judged for shrinking: a step down (`fluid-vanishes`)
 * or a drain (`volume-not-conserved`), found as for a container's volume; and for a jump once it has
 * stopped spreading (`fluid-appears`, see `unfedGrowth`).
 */
function analyzePuddle(obs: FluidObservations, t: FluidThresholds, base: FluidValue, containerWidthPx: number, pools: ReadonlyArray<Pool | null>): { value: FluidValue; failures: Failure[] } {
  const area = liquidAreaPx(obs.profiles);
  // Trusted as a container's pool is, but for its walls (a puddle spreads) and its surface (seen from above): solid, and its area smooth (a splashing spray is neither).
  const trust = poolTrust(pools, area, containerWidthPx, [], obs.profiles);
  const trusted = trust.volumeNoise <= t.maxVolumeNoiseFraction && trust.solidity >= t.minPoolSolidity;
  const n = obs.timesS.length;
  const fps = n > 1 ? (n - 1) / Math.max(1e-9, obs.timesS[n - 1]! - obs.timesS[0]!) : 30;
  const { events } = volumeEvents(obs.timesS, area, obs.timesS.map(() => false), {
    maxStepFraction: t.maxStepFraction,
    stepOverInflow: t.stepOverInflow,
    stepWindowFrames: Math.max(1, Math.round(t.stepWindowS * fps)),
    minChange: t.minLevelChangePx * containerWidthPx,
    persistFrames: Math.max(2, Math.round(t.persistS * fps)),
    maxDrainFraction: t.maxDrainFraction,
    maxUnexplainedFraction: t.maxUnexplainedFraction,
    inflowLagS: t.inflowLagS,
  });
  const shrinking = events.filter((e) => e.kind === 'step-down' || e.kind === 'drain');
  const unfed = unfedGrowth(obs.timesS, area, events, Math.max(2, Math.round(t.persistS * fps)));
  const judged = [...shrinking, ...unfed].sort((a, b) => a.atS - b.atS);
  const notes = [
    ...base.notes,
    `the liquid lies on a surface (its sides lean by ${base.wallLean?.toFixed(2)} of its width, a container's are upright): its area stands for its volume and only its shrinking, or a jump once it has stopped spreading, is judged; level, tilt and stream are not`,
  ];
  if (!trusted) notes.push(`the pool is not measured reliably (lying on a surface: area noise ${(trust.volumeNoise * 100).toFixed(1)}% of its peak, limit ${(t.maxVolumeNoiseFraction * 100).toFixed(1)}%; solidity ${trust.solidity.toFixed(2)}, at least ${t.minPoolSolidity}): its area is not judged`);
  const scale2 = obs.toVideoPx * obs.toVideoPx;
  const value: FluidValue = {
    ...base,
    puddleAreaSeries: decimate(obs.timesS.map((s, i) => [round(s, 4), round(area[i]! * scale2, 1)])),
    volumeEvents: judged.map((e) => ({ ...e, atS: round(e.atS, 4), fraction: round(e.fraction, 4) })),
    poolTrust: { edgeSpreadPx: round(trust.edgeSpreadPx * obs.toVideoPx, 2), volumeNoise: round(trust.volumeNoise, 4), surfaceResidualPx: null, solidity: round(trust.solidity, 3) },
    notes,
  };
  const failures = failuresOf(trusted ? judged : [], [], obs, null, null, 0, t).map((f) => ({ ...f, message: f.message.replace('in the container', 'in the puddle').replace('far more than the stream pours', 'after it had stopped spreading') }));
  return { value, failures };
}

function failuresOf(
  events: readonly VolumeEvent[],
  pieces: FluidObservations['pieces'],
  obs: FluidObservations,
  rest: { tiltDeg: number; fromS: number; uncertaintyDeg: number } | null,
  widening: number | null,
  streamFromS: number,
  t: FluidThresholds,
): Failure[] {
  const byCode = new Map<FailureCode, Failure>();
  const add = (code: FailureCode, message: string, atS: number): void => {
    if (!byCode.has(code)) byCode.set(code, { code, message, atS: round(atS, 4) });
  };
  const pct = (f: number): string => `${(f * 100).toFixed(0)}%`;
  for (const e of events) {
    const at = `at ${e.atS.toFixed(2)} s`;
    if (e.kind === 'step-up') add('fluid-appears', `the liquid in the container grows by ${pct(e.fraction)} of its peak at once ${at}, far more than the stream pours (limit ${pct(t.maxStepFraction)})`, e.atS);
    if (e.kind === 'step-down') add('fluid-vanishes', `${pct(e.fraction)} of the liquid in the container vanishes at once ${at} (limit ${pct(t.maxStepFraction)})`, e.atS);
    if (e.kind === 'drain') add('volume-not-conserved', `the liquid in the container drains away by ${pct(e.fraction)} of its peak from ${e.atS.toFixed(2)} s with nowhere to go (limit ${pct(t.maxDrainFraction)})`, e.atS);
    if (e.kind === 'no-source') add('volume-not-conserved', `the liquid in the container grows by ${pct(e.fraction)} of its peak from ${e.atS.toFixed(2)} s while nothing pours in (limit ${pct(t.maxUnexplainedFraction)})`, e.atS);
  }
  for (const { kind, frame, piece } of pieces) {
    const atS = obs.timesS[frame]!;
    const where = `at (${Math.round(piece.centroidXPx * obs.toVideoPx)}, ${Math.round(piece.centroidYPx * obs.toVideoPx)}) px`;
    if (kind === 'appear') add('fluid-appears', `liquid appears from nothing ${where} at ${atS.toFixed(2)} s`, atS);
    else add('fluid-vanishes', `liquid vanishes without a trace ${where} at ${atS.toFixed(2)} s`, atS);
  }
  if (rest !== null && Math.abs(rest.tiltDeg) - rest.uncertaintyDeg > t.maxRestTiltDeg) {
    add('surface-not-level', `the liquid's surface rests tilted by ${rest.tiltDeg.toFixed(1)} ± ${rest.uncertaintyDeg.toFixed(1)}° from ${rest.fromS.toFixed(2)} s (limit ${t.maxRestTiltDeg}°)`, rest.fromS);
  }
  if (widening !== null && widening > t.maxStreamWidening) {
    add('stream-continuity', `the falling stream widens by ${pct(widening)} from its top to the surface (median over its frames from ${streamFromS.toFixed(2)} s) where continuity makes it narrow (limit ${pct(t.maxStreamWidening)})`, streamFromS);
  }
  return [...byCode.values()];
}

/**
 * How far the pool can be trusted: the spread of its left and right edges over the frames that have
 * one (the larger MAD, px), the robust noise of the volume (1.4826 × MAD of its residuals about a
 * 5-frame running median) as a share of its peak, and the median RMS distance of its column tops from their
 * fitted line (null without one), and the median solidity of the pool (its liquid over the span
 * between its rows' edges where liquid could be seen). A fixed container filled smoothly with a tinted liquid reads small, small,
 * small and near 1.
 */
export function poolTrust(
  pools: ReadonlyArray<Pool | null>,
  volume: readonly number[],
  containerWidthPx: number,
  lines: ReadonlyArray<SurfaceLine | null>,
  profiles: readonly FrameProfile[],
): { edgeSpreadPx: number; volumeNoise: number; surfaceResidualPx: number | null; solidity: number } {
  const present = pools.filter((p): p is Pool => p !== null && p.levelHeightPx >= 1);
  const mad = (values: number[]): number => {
    const centre = lowerRankQuantile(values, 0.5);
    return lowerRankQuantile(values.map((v) => Math.abs(v - centre)), 0.5);
  };
  const edgeSpreadPx = present.length === 0 ? containerWidthPx : Math.max(mad(present.map((p) => p.leftPx)), mad(present.map((p) => p.rightPx)));
  // Residuals about a running median: a steady fill and a step are not noise.
  const smooth = medianFilter(volume, 2);
  const residuals = volume.map((v, i) => v - smooth[i]!);
  const peak = Math.max(0, ...volume);
  const volumeNoise = residuals.length === 0 || !(peak > 0) ? 0 : (1.4826 * mad(residuals)) / peak;
  const lineResiduals = lines.flatMap((line) => (line === null ? [] : [line.residualPx]));
  // Solidity: liquid over the span between each pool row's edges, summed over the pool, per frame.
  const solidities = pools.flatMap((pool, i) => {
    if (pool === null) return [];
    const rows = Array.from({ length: pool.bottomRow - pool.topRow + 1 }, (_, k) => pool.topRow + k);
    const solidity = solidityOf(profiles[i]!, rows);
    return Number.isNaN(solidity) ? [] : [solidity];
  });
  return {
    edgeSpreadPx,
    volumeNoise,
    surfaceResidualPx: lineResiduals.length === 0 ? null : lowerRankQuantile(lineResiduals, 0.5),
    solidity: solidities.length === 0 ? 0 : lowerRankQuantile(solidities, 0.5),
  };
}

/** Share of a stream's rows holding a single run of liquid: their extent (solid pixels, first to last) at most their width + 2 px (soft edges). */
function singleRunShare(profile: FrameProfile, rows: readonly StreamRow[]): number {
  const single = rows.filter((r) => profile.rowLeftPx[r.yPx]! >= 0 && profile.rowRightPx[r.yPx]! - profile.rowLeftPx[r.yPx]! + 1 <= r.widthPx + 2).length;
  return single / rows.length;
}

/**
 * Liquid in the given rows over the span between their edges where liquid could be seen (pixels where
 * it cannot, `rowUnseenPx`, say nothing of its solidity), summed over the rows (at most 1); NaN when
 * no row has a solid pixel it could be seen at.
 */
function solidityOf(profile: FrameProfile, rows: readonly number[]): number {
  let liquid = 0;
  let span = 0;
  for (const y of rows) {
    if (profile.rowLeftPx[y]! < 0) continue;
    liquid += profile.rowWidthPx[y]!;
    span += profile.rowRightPx[y]! - profile.rowLeftPx[y]! + 1 - profile.rowUnseenPx[y]!;
  }
  return span > 0 ? Math.min(1, liquid / span) : Number.NaN;
}

/** The pool's inner width: the median width of the rows near the widest (those reaching the stream's column when there is one), over all frames; null without wide rows. */
export function containerWidthOf(profiles: readonly FrameProfile[], underXPx: number | null): number | null {
  const reaches = (p: FrameProfile, y: number): boolean => underXPx === null || (p.rowLeftPx[y]! <= underXPx && p.rowRightPx[y]! >= underXPx);
  const maxima = profiles.map((p) => Math.max(0, ...Array.from(p.rowWidthPx).filter((_, y) => reaches(p, y)))).filter((w) => w >= 3);
  if (maxima.length === 0) return null;
  const widest = lowerRankQuantile(maxima, 0.9);
  const near: number[] = [];
  for (const p of profiles) p.rowWidthPx.forEach((w, y) => {
    if (w >= 0.8 * widest && w <= 1.1 * widest && reaches(p, y)) near.push(w);
  });
  return near.length > 0 ? lowerRankQuantile(near, 0.5) : null;
}

/** The columns of the container (the pools' median edges) widened by half its width on each side, over the frame's height; null without a pool. */
function containerBand(pools: ReadonlyArray<Pool | null>, containerWidthPx: number, height: number): Region | null {
  const present = pools.filter((p): p is Pool => p !== null);
  if (present.length === 0) return null;
  return {
    xMinPx: lowerRankQuantile(present.map((p) => p.leftPx), 0.5) - containerWidthPx / 2,
    xMaxPx: lowerRankQuantile(present.map((p) => p.rightPx), 0.5) + containerWidthPx / 2,
    yMinPx: 0,
    yMaxPx: height - 1,
  };
}

/** Columns a stream covers, widened by `marginPx`. */
function streamColumns(rows: readonly StreamRow[], marginPx: number): { fromPx: number; toPx: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const r of rows) {
    from = Math.min(from, r.centreXPx - r.widthPx / 2);
    to = Math.max(to, r.centreXPx + r.widthPx / 2);
  }
  return { fromPx: from - marginPx, toPx: to + marginPx };
}

/** The band the stream falls through over the whole clip, from the frame's top down to the lowest pool surface; null without a stream. */
function streamCorridor(streams: ReadonlyArray<readonly StreamRow[]>, pools: ReadonlyArray<Pool | null>, height: number, marginPx: number): Region | null {
  let from = Infinity;
  let to = -Infinity;
  streams.forEach((rows) => {
    if (rows.length < MIN_STREAM_ROWS) return;
    const cols = streamColumns(rows, marginPx);
    from = Math.min(from, cols.fromPx);
    to = Math.max(to, cols.toPx);
  });
  if (!Number.isFinite(from)) return null;
  const lowestTop = Math.max(0, ...pools.map((p) => (p === null ? 0 : p.topRow)));
  return { xMinPx: from, xMaxPx: to, yMinPx: 0, yMaxPx: Math.min(height - 1, (lowestTop > 0 ? lowestTop : height - 1) + marginPx) };
}

/**
 * The resting surface: the longest run of frames at the clip's end, after the last inflow and its
 * lag, whose tilts stay within `restWobbleDeg` of their median; null when shorter than `minRestS`.
 */
export function restOf(timesS: readonly number[], tilts: ReadonlyArray<number | null>, inflow: readonly boolean[], t: Pick<FluidThresholds, 'restWobbleDeg' | 'minRestS' | 'inflowLagS'>): { tiltDeg: number; fromS: number } | null {
  const lastInflow = inflow.lastIndexOf(true);
  const earliestS = lastInflow < 0 ? -Infinity : timesS[lastInflow]! + t.inflowLagS;
  let best: { tiltDeg: number; fromS: number } | null = null;
  const suffix: number[] = [];
  for (let i = timesS.length - 1; i >= 0 && timesS[i]! >= earliestS; i--) {
    const tilt = tilts[i];
    if (tilt === null || tilt === undefined) break;
    suffix.push(tilt);
    const centre = lowerRankQuantile(suffix, 0.5);
    if (suffix.some((v) => Math.abs(v - centre) > t.restWobbleDeg)) break;
    if (timesS[timesS.length - 1]! - timesS[i]! >= t.minRestS) best = { tiltDeg: centre, fromS: timesS[i]! };
  }
  return best;
}

/** How far a line's tilt can be off when its height at each end of `spanPx` is read to ±`readPx`: atan(2·readPx / spanPx), degrees. */
export function tiltUncertaintyDeg(readPx: number, spanPx: number): number {
  return spanPx > 0 ? (Math.atan((2 * readPx) / spanPx) * 180) / Math.PI : 90;
}

/** Median width per whole-pixel drop below the stream's top, for drops seen at least 3 times. */
function medianProfile(drops: readonly number[], widths: readonly number[]): Array<[number, number]> {
  const byDrop = new Map<number, number[]>();
  drops.forEach((d, i) => {
    const key = Math.round(d);
    const list = byDrop.get(key) ?? [];
    list.push(widths[i]!);
    byDrop.set(key, list);
  });
  return [...byDrop.entries()]
    .filter(([, list]) => list.length >= 3)
    .sort(([a], [b]) => a - b)
    .map(([d, list]) => [d, lowerRankQuantile(list, 0.5)]);
}

function spans(timesS: readonly number[], on: readonly boolean[]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let start: number | null = null;
  on.forEach((v, i) => {
    if (v && start === null) start = timesS[i]!;
    if (!v && start !== null) {
      result.push([round(start, 4), round(timesS[i - 1]!, 4)]);
      start = null;
    }
  });
  if (start !== null) result.push([round(start, 4), round(timesS[timesS.length - 1]!, 4)]);
  return result;
}

/** Every k-th point so that at most MAX_SERIES_POINTS remain (the last always kept). */
export function decimate<T>(points: readonly T[]): T[] {
  if (points.length <= MAX_SERIES_POINTS) return [...points];
  const step = Math.ceil(points.length / (MAX_SERIES_POINTS - 1));
  const kept = points.filter((_, i) => i % step === 0);
  const last = points[points.length - 1]!;
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

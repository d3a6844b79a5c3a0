import { BackgroundModel } from './background.js';
import { analyzeFluid, FLUID_DEFAULT_THRESHOLDS, type FluidObservations, type FluidThresholds } from './fluid-analysis.js';
import { liquidColourOf, type Rgb } from './fluid-colour.js';
import { findDropletArcs, type SpeckFrame } from './fluid-droplet-search.js';
import { DROPLET_SETTINGS, judgeDroplets, specksAbove, surfaceTopPx } from './fluid-droplets.js';
import { piecesBeyond } from './fluid-events.js';
import { binarize, dilate, type BinaryMask } from './fluid-mask-ops.js';
import { frameProfile } from './fluid-profile.js';
import { withoutStandingLiquid } from './fluid-standing.js';
import { changeMembership, fullOpacityOf, membershipFromOpacity, tintBasis, tintOpacities, unseenPixels, withoutThinLiquid, type TintBasis, type TintOptions } from './fluid-segment.js';
import type { TrajectoryValue } from './trajectory-types.js';
import type { AnalysisFrame, FinishInput, Metric, MetricContext, MetricOutcome, MetricSession } from './types.js';

/** The starting background is the median of the frames of this first stretch of the clip. */
const WARMUP_S = 0.25;
/** Tint opacities below this are noise when estimating the liquid's full opacity. */
const MIN_TINT_OPACITY = 0.1;
/** A frame's full-opacity estimate below this comes from noise clusters, not liquid (before any liquid shows, they read 0.14-0.17 at 640x360 crf 23). */
const MIN_FULL_OPACITY = 2 * MIN_TINT_OPACITY;
/** Opacities below this share of the full opacity are the fringe compression spreads around the liquid's edges; above 1 minus it, full cover. */
const OPACITY_FLOOR_FRACTION = 0.35;
/** The liquid is told from a white overlay (a watermark) where its colour lies this many noise levels off the overlay's direction. */
const OVERLAY_SEPARATION_NOISES = 2;
/** Change mode: RGB distances from the starting background mapped to membership 0 and 1, in noise sigmas. */
const CHANGE_LOW_SIGMAS = 4;
const CHANGE_HIGH_SIGMAS = 8;
/** Liquid moves at most this share of the frame's width between frames and still counts as the same liquid. */
const REACH_FRACTION = 0.025;
/** The dry wall above a standing surface is the mean of 3 rows ending 2 rows above it: 4:2:0 chroma blurs the surface over 2 rows, and the columns of one surface lie within as much of it. */
const STANDING_REFERENCE_ROWS = 3;
const STANDING_GAP_ROWS = 2;
/** Liquid standing in the first frames counts as a pool at least this share of the frame's height deep and of its width wide... */
const STANDING_MIN_DEPTH_FRACTION = 0.02;
const STANDING_MIN_WIDTH_FRACTION = 0.03;
/** ...no more opaque than this (milk, 0.92, hides the background behind it: 1/(1 − a) would amplify the noise 12×)... */
const STANDING_MAX_OPACITY = 0.85;
/**
 * ...tinting evenly in colour (interquartile range of its opacities read off the grey axis over their median: the bench's glass at 1280 crf 28
 * 0.05, where read with the brightness its wall's grey grain made it 0.17; the false pools of real kitchen pours 0.11-0.17, which their
 * uneven bottoms and the frame's border rule out as well)...
 */
const STANDING_MAX_OPACITY_SPREAD = 0.15;
/** ...on a flat bottom (share of its columns ending at its bottom row: simulated 0.69-1, the watermark over a glass's foot the lowest; real false finds 0.24-0.35)... */
const STANDING_MIN_FLAT_BOTTOM = 0.5;
/** ...tinted within about 10° of the direction to the liquid's colour (tan 10° ≈ 0.18): a shading gradient on a dark counter lies ~20° off. */
const STANDING_MAX_OFF_ANGLE_TAN = 0.18;
/** Smaller pieces are noise, px. */
const MIN_PIECE_PX = 4;

export const fluidMetric: Metric = {
  id: 'fluid',
  version: '1.4.0',
  description: 'Liquids: volume conservation, level resting surface, stream continuity, liquid appearing or vanishing, splash droplets on ballistic arcs',
  reference:
    'Segmentation by unmixing the prompt colour from the background (p = B·(1−α) + L·α), else change from the first frames; volume = πD²/4 × filled height with the scale from the known container diameter; stream continuity Q = A·v, v² = v0² + 2gh, so w ∝ (v0² + 2gh)^(−1/4) (Torricelli); resting surface level (hydrostatics); splash droplets: least-squares parabolas y = y0 + vy·τ + ½g·τ² per droplet arc, g combined by their random-effects mean (DerSimonian-Laird)',
  outputs: {
    finalVolume: { unit: 'L (or container widths without a diameter)', better: 'closer-to-expected', description: 'liquid in the container at the end of the clip' },
    restTiltDeg: { unit: 'deg', better: 'lower', description: 'tilt of the free surface once the liquid rests' },
    streamWidening: { unit: 'fraction', better: 'lower', description: 'relative widening of the falling stream from its top to the surface (continuity makes it negative)' },
    fillRatePerS: { unit: 'L/s', better: 'closer-to-expected', description: 'rate at which the container fills while the stream pours' },
    dropletGravity: { unit: 'm/s² (px/s² without a scale)', better: 'closer-to-expected', description: "gravity the splash's droplets fly under, combined over their fitted arcs" },
  },
  codes: ['volume-not-conserved', 'surface-not-level', 'stream-continuity', 'fluid-appears', 'fluid-vanishes', 'gravity-off'],
  needs: { frames: true, audio: false },
  // The trajectory metric's scale (from objects of known size) serves the droplets when the container's diameter is not given.
  after: ['trajectory'],
  defaultThresholds: FLUID_DEFAULT_THRESHOLDS,
  start(context: MetricContext): MetricSession {
    // Without a liquid in the prompt there is nothing to hold the clip to (and anything that moves would pass for one).
    if (context.expect.fluid === undefined) return { onFrame: () => undefined, finish: () => ({ value: { notes: ['the prompt expects no liquid: nothing judged'] }, failures: [] }) };
    return new FluidSession(context);
  },
};

/** Columns [xFromPx, xToPx] and rows down to yToPx, px. */
interface Region {
  xFromPx: number;
  xToPx: number;
  yToPx: number;
}

/** `membership` inside `region`, 0 elsewhere, written to `out`. */
function within(membership: Float32Array, width: number, region: Region, out: Float32Array): Float32Array {
  out.fill(0);
  const height = membership.length / width;
  const from = Math.max(0, region.xFromPx);
  const to = Math.min(width - 1, region.xToPx);
  for (let y = 0; y <= Math.min(height - 1, region.yToPx); y++) out.set(membership.subarray(y * width + from, y * width + to + 1), y * width + from);
  return out;
}

/** Keeps one profile per frame (a few rows and columns of numbers) and only the previous liquid mask. */
class FluidSession implements MetricSession {
  private readonly thresholds: FluidThresholds;
  private readonly liquid: Rgb | null;
  private readonly warmupFrames: number;
  private readonly warmup: Array<{ timeS: number; rgb: Uint8Array }> = [];
  private background: BackgroundModel | null = null;
  /** The starting background with the thin liquid it already held painted out (colour mode). */
  private reference: Float32Array | null = null;
  private basis: TintBasis | null = null;
  /** Pixels where the liquid's colour is that of the starting background (colour mode): liquid there cannot be seen. */
  private unseen: Uint8Array | null = null;
  private readonly opacities: Float32Array;
  private readonly membership: Float32Array;
  private readonly opacityEstimates: number[] = [];
  private previous: { mask: BinaryMask; reach: BinaryMask } | null = null;
  private readonly observations: FluidObservations;
  /** The standing liquid's container: profiles and pieces are taken inside it. */
  private container: Region | null = null;
  private readonly profiled: Float32Array;
  /** Splash droplets: specks looked for above the surface of liquid standing from the first frames. */
  private droplets: SpeckFrame[] | null = null;

  constructor(private readonly context: MetricContext) {
    this.thresholds = { ...FLUID_DEFAULT_THRESHOLDS, ...context.thresholds };
    this.liquid = liquidColourOf(context.expect.fluid?.colorHint);
    const fps = context.video.fps > 0 ? context.video.fps : 30;
    this.warmupFrames = Math.max(3, Math.round(WARMUP_S * fps));
    const pixels = context.analysisWidth * context.analysisHeight;
    this.opacities = new Float32Array(pixels);
    this.membership = new Float32Array(pixels);
    this.profiled = new Float32Array(pixels);
    this.observations = {
      timesS: [],
      profiles: [],
      pieces: [],
      width: context.analysisWidth,
      height: context.analysisHeight,
      toVideoPx: 1 / context.analysisScale,
      segmentation: this.liquid === null ? 'change' : 'colour',
      fullOpacity: null,
      containerDiameterM: context.expect.fluid?.containerDiameterM ?? null,
      expected: { volumeL: context.expect.fluid?.volumeL ?? null, flowLS: context.expect.fluid?.flowLS ?? null },
      gravityMS2: context.expect.gravityMS2,
      standing: null,
    };
  }

  onFrame(frame: AnalysisFrame): void {
    if (this.background !== null) {
      this.process(frame.timeS, frame.rgb);
      return;
    }
    // The decoder may reuse its buffer: keep a copy until the background exists.
    this.warmup.push({ timeS: frame.timeS, rgb: frame.rgb.slice() });
    if (this.warmup.length >= this.warmupFrames) this.flushWarmup();
  }

  private flushWarmup(): void {
    if (this.warmup.length === 0) return;
    this.background = BackgroundModel.fromFrames(this.warmup.map((f) => f.rgb));
    if (this.liquid !== null) {
      const { analysisWidth: width, analysisHeight: height } = this.context;
      // Liquid standing in the container from the first frame (a splash's tank) is unmixed out of the reference, then a thin stream already running is painted out.
      const standing = withoutStandingLiquid(this.background.rgb, width, this.liquid, {
        noise: this.tintOptions().noise,
        maxOffAngleTan: STANDING_MAX_OFF_ANGLE_TAN,
        minOpacity: MIN_FULL_OPACITY,
        maxOpacity: STANDING_MAX_OPACITY,
        maxOpacitySpread: STANDING_MAX_OPACITY_SPREAD,
        minFlatBottomShare: STANDING_MIN_FLAT_BOTTOM,
        referenceRows: STANDING_REFERENCE_ROWS,
        gapRows: STANDING_GAP_ROWS,
        minDepthPx: Math.max(4, Math.round(STANDING_MIN_DEPTH_FRACTION * height)),
        minWidthPx: Math.max(6, Math.round(STANDING_MIN_WIDTH_FRACTION * width)),
        maxSurfaceSpreadPx: STANDING_GAP_ROWS,
      });
      this.reference = withoutThinLiquid(standing.reference, width, this.liquid, { ...this.tintOptions(), minOpacity: MIN_TINT_OPACITY });
      const pool = standing.pool;
      this.observations.standing = pool === null ? null : { surfaceRow: pool.surfaceRow, opacity: pool.opacity, centreXPx: (pool.leftPx + pool.rightPx) / 2, warmupFrames: this.warmup.length };
      if (pool !== null) {
        // The container's liquid is judged in its columns (and half its width to each side, as for pieces) down to its bottom: elsewhere a tinted thing that moves (the watermark over the counter) is not its liquid.
        const half = (pool.rightPx - pool.leftPx + 1) / 2;
        this.container = { xFromPx: Math.floor(pool.leftPx - half), xToPx: Math.ceil(pool.rightPx + half), yToPx: pool.bottomRow };
        this.droplets = [];
      }
      this.basis = tintBasis(this.reference, this.liquid, OVERLAY_SEPARATION_NOISES * this.tintOptions().noise);
      this.unseen = unseenPixels(this.basis);
    }
    for (const f of this.warmup.splice(0)) this.process(f.timeS, f.rgb);
  }

  private process(timeS: number, rgb: Uint8Array): void {
    const background = this.background as BackgroundModel;
    const { analysisWidth: width, analysisHeight: height } = this.context;
    const noise = background.noiseSigma;
    if (this.basis === null) {
      changeMembership(rgb, background.rgb, CHANGE_LOW_SIGMAS * noise + 6, CHANGE_HIGH_SIGMAS * noise + 12, this.membership);
    } else {
      tintOpacities(rgb, this.reference ?? background.rgb, this.basis, width, height, this.tintOptions(), this.opacities);
      const estimate = fullOpacityOf(this.opacities, width, MIN_TINT_OPACITY, Math.max(12, Math.round(width * height * 0.0005)));
      if (estimate !== null && estimate >= MIN_FULL_OPACITY) this.opacityEstimates.push(estimate);
      membershipFromOpacity(this.opacities, this.fullOpacity() ?? 1, OPACITY_FLOOR_FRACTION, this.membership);
    }
    const index = this.observations.timesS.length;
    this.observations.timesS.push(timeS);
    const judged = this.container === null ? this.membership : within(this.membership, width, this.container, this.profiled);
    const profile = frameProfile(judged, width, height, this.unseen);
    this.observations.profiles.push(profile);
    if (this.droplets !== null) {
      const abovePx = (surfaceTopPx(profile) ?? 0) - DROPLET_SETTINGS.surfaceClearancePx;
      this.droplets.push({ frameIndex: index, timeS, surfacePx: abovePx, specks: specksAbove(judged, width, abovePx) });
    }
    const mask = binarize(judged, width, height);
    // Each frame's mask is dilated once and serves as the reach of both neighbours.
    const reach = dilate(mask, Math.max(2, REACH_FRACTION * width));
    if (this.previous !== null) {
      for (const piece of piecesBeyond(this.previous.reach, mask, MIN_PIECE_PX)) this.observations.pieces.push({ kind: 'appear', frame: index, piece });
      for (const piece of piecesBeyond(reach, this.previous.mask, MIN_PIECE_PX)) this.observations.pieces.push({ kind: 'vanish', frame: index, piece });
    }
    this.previous = { mask, reach };
  }

  private tintOptions(): TintOptions {
    const noise = (this.background as BackgroundModel).noiseSigma;
    return { noise: 3 * noise + 4, maxOffLine: 0.25, sideOffsetPx: Math.max(4, Math.round(this.context.analysisWidth / 40)) };
  }

  /** The liquid's full opacity: the median of the frames' estimates so far. */
  private fullOpacity(): number | null {
    if (this.opacityEstimates.length === 0) return null;
    const sorted = [...this.opacityEstimates].sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  }

  finish(input: FinishInput): MetricOutcome {
    if (this.background === null) this.flushWarmup();
    const opacity = this.fullOpacity();
    this.observations.fullOpacity = this.liquid === null || opacity === null ? null : Math.round(opacity * 1000) / 1000;
    const { value, failures } = analyzeFluid(this.observations, this.thresholds);
    if (this.droplets === null) return { value: { ...value }, failures };
    const t = this.thresholds;
    const trajectory = input.earlier['trajectory']?.value as unknown as TrajectoryValue | undefined;
    const objectScale = (trajectory?.objects ?? []).find((o) => o.pxPerM !== null)?.pxPerM ?? null;
    const scale = value.pxPerM !== null ? { pxPerM: value.pxPerM, from: 'container' as const } : objectScale !== null ? { pxPerM: objectScale, from: 'trajectory' as const } : null;
    const droplets = judgeDroplets(findDropletArcs(this.droplets), {
      toVideoPx: this.observations.toVideoPx,
      scale,
      expectedMS2: this.context.expect.gravityMS2,
      slowMotion: this.context.expect.slowMotion,
      tolerance: t.dropletGravityTolerance,
      sigmas: t.dropletGravitySigmas,
      minArcs: t.minDropletArcs,
    });
    const notes = scale === null && droplets.value.arcs > 0 ? [...value.notes, "the droplets' gravity is not judged: no scale (neither the container's diameter nor an object of known size measured by the trajectory metric)"] : value.notes;
    return { value: { ...value, droplets: droplets.value, notes }, failures: droplets.failure === null ? failures : [...failures, droplets.failure] };
  }
}

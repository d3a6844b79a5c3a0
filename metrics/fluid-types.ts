import type { DropletsValue } from './fluid-droplets.js';

/** The fluid metric's value in results.json (`metrics.fluid`); the report reads it. */
export interface FluidValue {
  /** How the liquid was segmented: by the prompt's colour (unmixing its tint) or by change from the first frames. */
  segmentation: 'colour' | 'change';
  /** Share of a pixel's colour the liquid sets where it fully covers it (1 for an opaque liquid); null in change mode. */
  fullOpacity: number | null;
  /** Inner width of the container as the pool shows it, video px; null without a pool. */
  containerWidthPx: number | null;
  /** Scale from the container's known diameter, video px per metre; null without one. */
  pxPerM: number | null;
  /** 'L' with a known container diameter, else the filled height in container widths (a relative volume). */
  volumeUnit: 'L' | 'container widths';
  /** What the prompt says: the final volume and the stream's flow (null when it does not say). */
  expected: { volumeL: number | null; flowLS: number | null };
  finalVolume: number | null;
  peakVolume: number | null;
  /** Slope of the volume while the stream pours, volume unit per second. */
  fillRatePerS: number | null;
  /** Volume over time, [tS, volume], at most 200 points. */
  volumeSeries: Array<[number, number]>;
  /** Frames on which a stream reaches the surface, as [fromS, toS] spans. */
  inflowSpansS: Array<[number, number]>;
  /** Tilt of the free surface over time, [tS, deg] (positive: rising to the right), at most 200 points. */
  tiltSeries: Array<[number, number]>;
  /** Median tilt once the liquid is at rest, deg; null when it never rests in the clip. */
  restTiltDeg: number | null;
  /** How far that tilt can be off from reading the surface's height to a pixel's resolution (atan(2·surfaceReadPx / span)), deg. */
  restTiltUncertaintyDeg: number | null;
  restFromS: number | null;
  stream: {
    frames: number;
    /** Median relative widening from the stream's top to the surface (negative: it narrows). */
    widening: number | null;
    /** Median over its frames of the share of its rows holding a single run of liquid (1: one band; spray and speckles read low); null without a stream. */
    coherence: number | null;
    /** The continuity law w = w0·(1 + h/hv)^(−1/4) fitted to the median width profile. */
    continuity: { topWidthPx: number; velocityHeadPx: number; outletSpeedMS: number | null; rmsPx: number; modelRatio: number } | null;
    /** Median width against the drop below the stream's top, [dropPx, widthPx], video px. */
    profile: Array<[number, number]>;
  };
  /** Fill rate over the two halves of the pour against what the stream's width says it delivers (1: conserved); reported, not judged (too coarse at small sizes). */
  fillToDelivery: number | null;
  /** Volume changes the checks found (fractions of the peak volume). */
  volumeEvents: Array<{ kind: 'step-up' | 'step-down' | 'drain' | 'no-source'; atS: number; fraction: number }>;
  /** Pieces of liquid that appeared or vanished beyond the reach of any liquid in the frame before or after. */
  pieces: Array<{ kind: 'appear' | 'vanish'; atS: number; areaPx: number; xPx: number; yPx: number }>;
  /** How far the pool can be trusted: its edges' spread over frames (px), the volume's noise (share of its peak), the surface's distance from a line (px), its solidity (liquid over its rows' spans, less the pixels where liquid cannot be seen). */
  poolTrust: { edgeSpreadPx: number; volumeNoise: number; surfaceResidualPx: number | null; solidity: number } | null;
  /** How far the pool's sides lean: the spread of its rows' edges over its width (0: a container's upright walls; a puddle seen at an angle, an ellipse, reads 0.25 and more); null without a pool. */
  wallLean: number | null;
  /** A puddle lying on a surface: its liquid area over time, [tS, video px²], at most 200 points; null for liquid in a container. */
  puddleAreaSeries: Array<[number, number]> | null;
  /** A splash's droplets above the surface, fitted with ballistic arcs; null when no liquid stands from the first frames (only a splash's droplets are looked for). */
  droplets: DropletsValue | null;
  /** What could not be judged, and why. */
  notes: string[];
}

import type { FailureCode } from '../../prompts/codes.js';

/** Defects the simulator can plant; each is named by the failure code a metric must raise for it. */
export const DEFECTS = {
  'gravity-off': { defaultValue: 0.5, meaning: 'gravity multiplied by VALUE for the whole clip' },
  'gravity-inconsistent': { defaultValue: 0.5, meaning: 'gravity multiplied by VALUE after the first contact' },
  'energy-gain': { defaultValue: 1.25, meaning: 'restitution VALUE (> 1) at the first bounce' },
  teleport: { defaultValue: 0.25, meaning: 'the object jumps sideways by VALUE × frame width mid-flight' },
  vanish: { defaultValue: 0.25, meaning: 'the object is not drawn for VALUE seconds mid-clip' },
  'size-change': { defaultValue: 1.6, meaning: 'the radius grows smoothly to VALUE × its size over the clip' },
  'shape-change': {
    defaultValue: 1.6,
    meaning: 'from a third of the clip, the ball squashes over 0.2 s into an ellipse VALUE times as wide as tall (below 1: taller than wide) of the same area, and stays so; the truth radius is the area-equivalent one',
    pickedBySimFlawed: false,
  },
  flicker: { defaultValue: 0.25, meaning: 'the brightness of every other frame jumps by ±VALUE (relative)' },
  'appearance-change': { defaultValue: 0.5, meaning: "mid-clip, the ball's colour morphs over VALUE seconds into its complement (255 − each channel: orange into blue) and stays so" },
  'av-desync': { defaultValue: 150, meaning: 'the audio lags the picture by VALUE ms (negative: leads)' },
  'momentum-violation': { defaultValue: 2, meaning: 'at the first collision of two balls, the first leaves at VALUE × the speed momentum allows' },
  'cloth-stretch': { defaultValue: 0.25, meaning: 'the fabric gives like rubber as soon as it moves: its rest lengths grow in both directions towards 1 + VALUE × their own (1 − 1/e of it in 0.15 s) and stay so (VALUE = strain)' },
  'faster-than-gravity': { defaultValue: 2, meaning: 'gravity multiplied by VALUE while the cloth falls, until it first touches' },
  'no-settling': { defaultValue: 1.2, meaning: 'no damping, and upward kicks of (1 + VALUE) × g at 6 Hz from the landing (a tablecloth: from the end of the pull)' },
  'cloth-pop': { defaultValue: 0.1, meaning: 'a patch of the cloth jumps up by VALUE × its width mid-clip' },
  'volume-not-conserved': { defaultValue: 0.4, meaning: 'from midway between the first liquid in the container and the last frame, VALUE of the liquid there drains away steadily by the last frame' },
  'surface-not-level': { defaultValue: 6, meaning: 'the liquid surface comes to rest tilted by VALUE degrees' },
  'stream-continuity': { defaultValue: 2, meaning: 'the falling stream widens to VALUE × its outlet width at the container bottom instead of narrowing' },
  'fluid-appears': { defaultValue: 0.5, meaning: 'midway between the first liquid in the container and the last frame, VALUE × the liquid there appears in one frame, from nothing' },
  'fluid-vanishes': { defaultValue: 0.5, meaning: 'midway between the first liquid in the container and the last frame, VALUE of the liquid there vanishes in one frame' },
} as const satisfies Record<
  string,
  {
    defaultValue: number;
    meaning: string;
    /** false: planted only on request (`--defect`, a `defect:` option), never picked by sim:flawed (its picks stay as tuned). */
    pickedBySimFlawed?: false;
  }
>;

export type DefectCode = keyof typeof DEFECTS & FailureCode;

export interface PlantedDefect {
  code: DefectCode;
  value: number;
  /** When the defect starts, seconds from the first frame. */
  atS: number;
}

/**
 * One sampled state of an object at a frame time, in frame pixels (y grows downwards). The centre
 * of pixel (column i, row j) is at (i, j), as an intensity-weighted centroid over pixel indices gives.
 */
export type TruthSample = [timeS: number, xPx: number, yPx: number, radiusPx: number, visible: 0 | 1];

export interface TruthObject {
  id: number;
  name: string;
  diameterM: number;
  massKg: number;
  colorRgb: [number, number, number];
  /** Coefficient of restitution at each contact, in order. */
  restitution: number[];
  /** Times of each contact (floor, table or other object), seconds. */
  contactsS: number[];
  /** One sample per frame. */
  frames: TruthSample[];
}

/** Truth of a cloth clip: what the cloth metric measures, per frame. */
export interface ClothTruth {
  widthM: number;
  /** The cloth's other side (its depth lying flat, its drop hanging as a flag), m. */
  lengthM: number;
  massKg: number;
  /** Simulation grid nodes along the width and the length. */
  nodesU: number;
  nodesV: number;
  /** Centre of mass as drawn, one [timeS, xPx, yPx] per frame. */
  centerPx: Array<[timeS: number, xPx: number, yPx: number]>;
  /** Largest strain between grid neighbours (|d|/d₀ − 1) per frame. */
  maxStrain: number[];
  /** The fabric's stretch per frame as the cloth metric measures it: the 95th percentile of the strain of neighbours along the width. */
  stretch: number[];
  kineticEnergyJ: number[];
  /** First touch of the box or floor, s; null when it never touches (a flag). */
  firstContactS: number | null;
  /** From this time on the cloth stays at rest; null when it never settles. */
  settleS: number | null;
}

/**
 * A falling stream's width at one drop below its outlet: as drawn, and as continuity demands
 * (w = w₀·(v₀/v)^½ with v = √(v₀² + 2·g·drop): the volume flow Q = v·π·w²/4 is the same at every height).
 */
export type StreamWidthSample = [dropM: number, yPx: number, widthPx: number, lawWidthPx: number];

/**
 * One droplet of a splash on its exact arc (px, y down): x = x₀ + vx·τ, y = y₀ + vy·τ + ½·g·τ² with
 * τ = t − launchS and g the droplets' `gravityPxS2`; drawn from launchS until landS (back at the water),
 * as a disc in the liquid's colour at opacity max(FluidTruth.opacity, 0.85).
 */
export interface DropletArc {
  launchS: number;
  /** When it falls back to the level it left from; null when it never does (no gravity). */
  landS: number | null;
  x0Px: number;
  y0Px: number;
  vxPxS: number;
  /** Negative: upwards. */
  vyPxS: number;
  radiusPx: number;
}

/**
 * Truth of a fluid or splash clip (side view; a spill is seen obliquely). Pixels follow the centroid
 * convention of `TruthSample`; volumes are litres; per-frame arrays have one entry per frame. A
 * splash's ball is `GroundTruth.objects[0]` (its contacts: the water entry, then the bottom if it sinks).
 */
export interface FluidTruth {
  /** pour: from a jug into a glass; tap: a tap fills a container; splash: a ball dropped into water; spill: a puddle on a table. */
  kind: 'pour' | 'tap' | 'splash' | 'spill';
  /** The prompt's liquid, e.g. "water". */
  liquid: string;
  /** The liquid's colour (from the prompt's colorHint); drawn as rgb = behind·(1 − opacity) + colorRgb·opacity. */
  colorRgb: [number, number, number];
  opacity: number;
  /**
   * The transparent container as drawn (null for a spill): inner walls and inner bottom, px; its
   * horizontal inner cross-section, m², so that volume = areaM2 × (bottomYPx − surfaceYPx) / pxPerM
   * (less whatever a ball displaces below the surface).
   */
  container: {
    shape: 'cylinder' | 'box';
    innerWidthM: number;
    areaM2: number;
    leftPx: number;
    rightPx: number;
    /** Top of the walls (the rim), px. */
    rimYPx: number;
    bottomYPx: number;
    /** Per frame: y of the free surface on the container's centre line, px (bottomYPx when empty). */
    surfaceYPx: number[];
    /** Per frame: tilt of the free surface against the horizontal, deg, positive when its right end is higher. */
    surfaceTiltDeg: number[];
  } | null;
  /** Tilt of the resting surface, deg (0 unless surface-not-level is planted). */
  restTiltDeg: number;
  /**
   * From this time on nothing moves (no inflow or drain, tilt within 0.2° of restTiltDeg, a splash's
   * ball within 0.5 mm of rest and its droplets landed, a puddle within 0.2% of its final radius);
   * null if the clip ends before that.
   */
  settleS: number | null;
  /** Per frame: litres in the container (in the puddle for a spill; minus droplets in flight for a splash). */
  containerVolumeL: number[];
  /** Per frame: litres in the falling stream (0 without a stream). */
  streamVolumeL: number[];
  /** Per frame: litres in the scene (container + stream + droplets; + what is still in the tipped glass for a spill). */
  totalVolumeL: number[];
  /** The falling stream (pour, tap); null without one. */
  stream: {
    /** Centre line, px. */
    xPx: number;
    /** The outlet (jug lip, tap), px. */
    outletYPx: number;
    outletSpeedMS: number;
    outletWidthPx: number;
    /** Volume flow while it runs, L/s. */
    flowLS: number;
    /** The outlet delivers over [startS, endS) (startS < 0 when it already runs at the first frame). */
    startS: number;
    endS: number;
    /** The law the exact stream obeys: widthPx = outletWidthPx·(v₀/√(v₀² + 2·g·dropM))^½. */
    law: 'continuity';
    /** Widths at fixed drops below the outlet, while the whole stream is falling (see `widthsAtS`). */
    widths: StreamWidthSample[];
    /** The frame time the widths are sampled at, s. */
    widthsAtS: number;
  } | null;
  /** Splash droplets (empty list otherwise); `gravityPxS2` is the gravity they obey as drawn (a planted gravity-off included). */
  droplets: { gravityPxS2: number; arcs: DropletArc[] };
  /**
   * A spill's puddle, seen from above at `elevationDeg` (90: straight down): a disc of radius r on the
   * table, drawn as an ellipse with half axes r·pxPerM and r·pxPerM·sin(elevation); its volume is
   * π·r²·thickness. Null for other scenes.
   */
  puddle: {
    elevationDeg: number;
    centerXPx: number;
    centerYPx: number;
    /** Per frame, m and px. */
    radiusM: number[];
    thicknessM: number[];
    radiusXPx: number[];
    radiusYPx: number[];
  } | null;
}

/** Ground truth written beside every simulated clip as `<clip>.truth.json`. */
export interface GroundTruth {
  schemaVersion: 1;
  promptId: string;
  seed: number;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  durationS: number;
  pxPerM: number;
  /** Gravity the clip obeys before any planted defect. */
  gravityMS2: number;
  gravityPxS2: number;
  /** y of the floor line in px. */
  floorYPx: number;
  objects: TruthObject[];
  /** null when the clip has no audio track. */
  audio: { sampleRate: number; offsetMs: number; impactsS: number[] } | null;
  defect: PlantedDefect | null;
  /**
   * Present when the camera shakes (`shakePx` > 0): per frame, the camera offset [dx, dy] in px, by
   * which the whole scene moves in the image (image(x) = scene(x − d)). Objects' `frames` are as seen
   * in the image (scene position + offset); `floorYPx`, `pxPerM` and the physics stay in the scene's
   * frame (offset 0), so g measured once the shake is removed is `gravityPxS2`.
   */
  cameraOffsetsPx?: Array<[dxPx: number, dyPx: number]>;
  /** Present when the light changes (`lightingRamp` ≠ 0): frame k's exposure is 1 + lightingRamp · k / (frameCount − 1). */
  lightingRamp?: number;
  /** Present for cloth clips only. */
  cloth?: ClothTruth;
  /** Present for fluid and splash clips only. */
  fluid?: FluidTruth;
}

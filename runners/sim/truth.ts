import type { FailureCode } from '../../prompts/codes.js';

/** Defects the simulator can plant; each is named by the failure code a metric must raise for it. */
export const DEFECTS = {
  'gravity-off': { defaultValue: 0.5, meaning: 'gravity multiplied by VALUE for the whole clip' },
  'gravity-inconsistent': { defaultValue: 0.5, meaning: 'gravity multiplied by VALUE after the first contact' },
  'energy-gain': { defaultValue: 1.25, meaning: 'restitution VALUE (> 1) at the first bounce' },
  teleport: { defaultValue: 0.25, meaning: 'the object jumps sideways by VALUE × frame width mid-flight' },
  vanish: { defaultValue: 0.25, meaning: 'the object is not drawn for VALUE seconds mid-clip' },
  'size-change': { defaultValue: 1.6, meaning: 'the radius grows smoothly to VALUE × its size over the clip' },
  flicker: { defaultValue: 0.25, meaning: 'the brightness of every other frame jumps by ±VALUE (relative)' },
  'av-desync': { defaultValue: 150, meaning: 'the audio lags the picture by VALUE ms (negative: leads)' },
  'cloth-stretch': { defaultValue: 0.02, meaning: 'the cloth springs are VALUE × as stiff as fabric (far too soft)' },
  'faster-than-gravity': { defaultValue: 2, meaning: 'gravity multiplied by VALUE while the cloth falls, until it first touches' },
  'no-settling': { defaultValue: 1.2, meaning: 'no damping and an undamped vertical drive of VALUE × g after the cloth lands' },
  'cloth-pop': { defaultValue: 0.1, meaning: 'a patch of the cloth jumps up by VALUE × its width mid-clip' },
} as const satisfies Record<string, { defaultValue: number; meaning: string }>;

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
  kineticEnergyJ: number[];
  /** First touch of the box or floor, s; null when it never touches (a flag). */
  firstContactS: number | null;
  /** From this time on the cloth stays at rest; null when it never settles. */
  settleS: number | null;
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
  /** Present for cloth clips only. */
  cloth?: ClothTruth;
}

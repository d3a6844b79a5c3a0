/**
 * Appearance consistency of tracked objects: does an object keep its colour over the clip, once the
 * scene's lighting (the frame's mean level) is divided out? Reads the per-sighting signatures the
 * trajectory metric records (metrics/appearance-signature.ts).
 */
import type { AppearanceSample, ObjectAppearance } from './appearance-signature.js';
import { median } from './robust-stats.js';
import { round } from './rounding.js';

/** Settings of `appearanceChanges`. */
export const APPEARANCE_DEFAULTS = {
  /** `appearance-change` when the early and late colours differ by more than this CIE76 ΔE. */
  maxDeltaE: 20,
  /** Each of the early and late thirds needs at least this many sightings to be judged. */
  minSightings: 4,
} as const;

export interface ObjectAppearanceChange {
  id: number;
  sightings: number;
  /** CIE76 ΔE between the median Lab colour of the first and of the last third of the sightings; null when too few. */
  deltaE: number | null;
  /** Median L*a*b* of the first and last thirds (exposure-normalised). */
  earlyLab: [number, number, number] | null;
  lateLab: [number, number, number] | null;
  /** Late minus early median coefficient of variation of the disc's luma (texture); null when too few. */
  lumaVariationChange: number | null;
  /** First sighting nearer the late colour than the early one, s; null when judged unchanged or too few. */
  changeAtS: number | null;
}

/**
 * CIE L*a*b* (D65) of an sRGB colour in 0-255: sRGB companding undone (IEC 61966-2-1), XYZ by the
 * sRGB matrix, then L* = 116·f(Y/Yn) − 16, a* = 500·(f(X/Xn) − f(Y/Yn)), b* = 200·(f(Y/Yn) − f(Z/Zn)).
 */
export function srgbToLab(red: number, green: number, blue: number): [number, number, number] {
  const linear = (v: number): number => {
    const c = Math.min(1, Math.max(0, v / 255));
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const r = linear(red);
  const g = linear(green);
  const b = linear(blue);
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference ΔE = |Lab₁ − Lab₂|. */
export function deltaE76(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/**
 * Per object, the colour of its first third of sightings against its last third, each the
 * component-wise median of exposure-normalised Lab colours: `gainOf(frameIndex)` is the frame's
 * level over the clip's (lighting ramps and flicker scale the object with the scene). Medians of a
 * third ignore the sightings a translucent overlay passes over; a change that lasts does not.
 */
export function appearanceChanges(
  objects: readonly ObjectAppearance[],
  gainOf: (frameIndex: number) => number,
  options: Partial<typeof APPEARANCE_DEFAULTS> = {},
): ObjectAppearanceChange[] {
  const { maxDeltaE, minSightings } = { ...APPEARANCE_DEFAULTS, ...options };
  return objects.map(({ id, samples }) => {
    const third = Math.floor(samples.length / 3);
    const unjudged: ObjectAppearanceChange = { id, sightings: samples.length, deltaE: null, earlyLab: null, lateLab: null, lumaVariationChange: null, changeAtS: null };
    if (third < minSightings) return unjudged;
    const labs = samples.map((sample) => normalisedLab(sample, gainOf(sample[0])));
    const early = medianLab(labs.slice(0, third));
    const late = medianLab(labs.slice(-third));
    const variation = (part: readonly AppearanceSample[]): number => median(part.map((s) => s[5]));
    const deltaE = deltaE76(early, late);
    const changeIndex = deltaE > maxDeltaE ? labs.findIndex((lab) => deltaE76(lab, late) < deltaE76(lab, early)) : -1;
    return {
      id,
      sightings: samples.length,
      deltaE: round(deltaE, 2),
      earlyLab: early.map((v) => round(v, 2)) as [number, number, number],
      lateLab: late.map((v) => round(v, 2)) as [number, number, number],
      lumaVariationChange: round(variation(samples.slice(-third)) - variation(samples.slice(0, third)), 4),
      changeAtS: changeIndex < 0 ? null : (samples[changeIndex]?.[1] ?? null),
    };
  });
}

function normalisedLab(sample: AppearanceSample, gain: number): [number, number, number] {
  const g = gain > 0 ? gain : 1;
  return srgbToLab(sample[2] / g, sample[3] / g, sample[4] / g);
}

function medianLab(labs: ReadonlyArray<[number, number, number]>): [number, number, number] {
  return [median(labs.map((l) => l[0])), median(labs.map((l) => l[1])), median(labs.map((l) => l[2]))];
}

/** A fraction as a percentage: one decimal below 10%, none above. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.1 ? 1 : 0)}%`;
}

/** A time in seconds with millisecond resolution, the precision of contact times. */
export function seconds(timeS: number): string {
  return `${timeS.toFixed(3)} s`;
}

/** Rounds to `digits` decimals: chart data needs no more than the eye can see, and the page stays small. */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** `value.toFixed(digits)` without a negative zero: −0.02 ms to one decimal reads "0.0", not "-0.0". */
export function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? text.replace(/^-/, '') : text;
}

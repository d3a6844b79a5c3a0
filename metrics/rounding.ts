/** Rounding of the numbers metrics write into results.json. */

/** `value` rounded to `digits` decimal places. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** `round`, passing null through. */
export function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

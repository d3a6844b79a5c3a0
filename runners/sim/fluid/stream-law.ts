/**
 * The free-falling stream's kinematics and continuity, as pure functions. A stream leaves its
 * outlet downwards at v₀ and falls freely (air drag and surface tension left out), so at a drop d
 * below the outlet it moves at v = √(v₀² + 2·g·d) (energy, Torricelli); its volume flow Q = v·A is
 * the same at every height (continuity), so a round stream's width is w = w₀·(v₀/v)^½.
 */

/** Speed after falling `dropM` from the outlet: v = √(v₀² + 2·g·d), m/s. */
export function streamSpeedMS(outletSpeedMS: number, gravityMS2: number, dropM: number): number {
  return Math.sqrt(outletSpeedMS * outletSpeedMS + 2 * gravityMS2 * Math.max(0, dropM));
}

/** Width at `dropM` by continuity, w = w₀·(v₀/v)^½ (any length unit, the outlet's). */
export function continuityWidth(outletWidth: number, outletSpeedMS: number, gravityMS2: number, dropM: number): number {
  return outletWidth * Math.sqrt(outletSpeedMS / streamSpeedMS(outletSpeedMS, gravityMS2, dropM));
}

/** Drop of a parcel `ageS` after it left the outlet: d = v₀·τ + ½·g·τ², m. */
export function dropAfterS(outletSpeedMS: number, gravityMS2: number, ageS: number): number {
  return outletSpeedMS * ageS + 0.5 * gravityMS2 * ageS * ageS;
}

/** Time to fall `dropM` from the outlet, the root τ = (√(v₀² + 2·g·d) − v₀)/g of d = v₀·τ + ½·g·τ², s. */
export function fallTimeS(outletSpeedMS: number, gravityMS2: number, dropM: number): number {
  if (gravityMS2 <= 0) return outletSpeedMS > 0 ? Math.max(0, dropM) / outletSpeedMS : Infinity;
  return (streamSpeedMS(outletSpeedMS, gravityMS2, dropM) - outletSpeedMS) / gravityMS2;
}

/** Outlet speed of a round outlet of diameter w₀ delivering Q: v₀ = Q/(π·w₀²/4), m/s. */
export function outletSpeedFor(flowM3S: number, outletWidthM: number): number {
  return flowM3S / ((Math.PI * outletWidthM * outletWidthM) / 4);
}

/**
 * Volume of a round stream between two drops, ∫ π·w(d)²/4 dd, by Simpson's rule on `intervals`
 * (even) steps, for any width profile (m → m), m³. For the continuity profile this is Q × the time
 * the liquid takes to fall between the two drops.
 */
export function streamVolumeM3(widthAtDropM: (dropM: number) => number, topDropM: number, bottomDropM: number, intervals = 64): number {
  if (!(bottomDropM > topDropM)) return 0;
  const stepM = (bottomDropM - topDropM) / intervals;
  let sum = 0;
  for (let i = 0; i <= intervals; i += 1) {
    const widthM = widthAtDropM(topDropM + i * stepM);
    const weight = i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2;
    sum += (weight * Math.PI * widthM * widthM) / 4;
  }
  return (sum * stepM) / 3;
}

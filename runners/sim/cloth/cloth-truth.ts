import type { ClothSimulation } from './cloth-physics.js';

/** Motion slower than this mean node speed counts as rest when finding the settle time, m/s. */
export const CLOTH_REST_SPEED_MS = 0.02;

/** Largest strain |d|/d₀ − 1 over the structural springs (neighbours along the grid) at frame k. */
export function maxStrainAt(simulation: ClothSimulation, k: number): number {
  const p = simulation.positions[k];
  if (p === undefined) return 0;
  const { a, b, restM } = simulation.structural;
  let max = 0;
  for (let s = 0; s < a.length; s += 1) {
    const i = a[s] as number;
    const j = b[s] as number;
    const lengthM = Math.hypot((p[3 * j] as number) - (p[3 * i] as number), (p[3 * j + 1] as number) - (p[3 * i + 1] as number), (p[3 * j + 2] as number) - (p[3 * i + 2] as number));
    max = Math.max(max, lengthM / (restM[s] as number) - 1);
  }
  return max;
}

/** Quantile of the cloth's stretch in the truth: the same as the cloth metric's stretch quantile. */
export const CLOTH_STRETCH_QUANTILE = 0.95;

/**
 * The fabric's stretch at frame k as the cloth metric measures it: the 95th percentile (linear
 * interpolation between order statistics) of the strain |d|/d₀ − 1 of the structural springs along
 * the width (u), the direction that lies horizontal in every scene, as the metric's pairs do. Unlike
 * the largest strain, one spring's spike where the cloth lands does not count.
 */
export function stretchAt(simulation: ClothSimulation, k: number): number {
  const p = simulation.positions[k];
  if (p === undefined) return 0;
  const { a, b, restM } = simulation.structural;
  const strains: number[] = [];
  for (let s = 0; s < a.length; s += 1) {
    const i = a[s] as number;
    const j = b[s] as number;
    // Neighbours along u are consecutive in the grid; along v they are a row apart.
    if (j !== i + 1) continue;
    strains.push(Math.hypot((p[3 * j] as number) - (p[3 * i] as number), (p[3 * j + 1] as number) - (p[3 * i + 1] as number), (p[3 * j + 2] as number) - (p[3 * i + 2] as number)) / (restM[s] as number) - 1);
  }
  strains.sort((x, y) => x - y);
  const position = CLOTH_STRETCH_QUANTILE * (strains.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, strains.length - 1);
  return strains.length === 0 ? 0 : (strains[low] as number) + ((strains[high] as number) - (strains[low] as number)) * (position - low);
}

/** Mean node position at frame k, m. */
export function centreOfMassAt(simulation: ClothSimulation, k: number): { xM: number; yM: number; zM: number } {
  const p = simulation.positions[k];
  const count = p === undefined ? 0 : p.length / 3;
  let x = 0;
  let y = 0;
  let z = 0;
  for (let i = 0; i < count; i += 1) {
    x += p?.[3 * i] ?? 0;
    y += p?.[3 * i + 1] ?? 0;
    z += p?.[3 * i + 2] ?? 0;
  }
  return { xM: x / Math.max(count, 1), yM: y / Math.max(count, 1), zM: z / Math.max(count, 1) };
}

/** Kinetic energy ½·Σm·v² at frame k, with each node's velocity from the frames around it (central difference), J. */
export function kineticEnergyAt(simulation: ClothSimulation, k: number): number {
  const { positions, fps, scene } = simulation;
  const before = positions[Math.max(0, k - 1)];
  const after = positions[Math.min(positions.length - 1, k + 1)];
  if (before === undefined || after === undefined || before === after) return 0;
  const spanS = (Math.min(positions.length - 1, k + 1) - Math.max(0, k - 1)) / fps;
  const nodeMassKg = scene.massKg / (before.length / 3);
  let sum = 0;
  for (let c = 0; c < before.length; c += 1) sum += (((after[c] as number) - (before[c] as number)) / spanS) ** 2;
  return 0.5 * nodeMassKg * sum;
}

/** First frame time from which the cloth stays at rest (kinetic energy below that of CLOTH_REST_SPEED_MS) to the end; null if it never does. */
export function settleTimeS(kineticEnergyJ: readonly number[], massKg: number, fps: number): number | null {
  const restJ = 0.5 * massKg * CLOTH_REST_SPEED_MS ** 2;
  let first: number | null = null;
  for (let k = kineticEnergyJ.length - 1; k >= 0; k -= 1) {
    if ((kineticEnergyJ[k] as number) >= restJ) break;
    first = k;
  }
  // Resting only in the last frame is no evidence of rest.
  return first === null || first >= kineticEnergyJ.length - 2 ? null : first / fps;
}

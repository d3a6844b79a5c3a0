import { OBLIQUE_DEPTH_LIFT } from './cloth-camera.js';
import type { ClothSimulation } from './cloth-physics.js';

/** The cloth rests while its median node speed on screen is at most this many cloth widths per second: the cloth metric's rest (restSpeedWidthsS), so the truth's settle time is the quantity it measures. */
export const CLOTH_REST_SPEED_WIDTHS_S = 0.05;

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

/** Median node speed on screen (x, y + lift·z: the oblique view's plane) from frame k − 1 to k, cloth widths per second; 0 at frame 0. */
export function medianScreenSpeedWidthsS(simulation: ClothSimulation, k: number): number {
  const before = simulation.positions[k - 1];
  const after = simulation.positions[k];
  if (before === undefined || after === undefined) return 0;
  const speeds: number[] = [];
  for (let i = 0; i < after.length; i += 3) {
    const dx = (after[i] as number) - (before[i] as number);
    const dy = (after[i + 1] as number) - (before[i + 1] as number) + OBLIQUE_DEPTH_LIFT * ((after[i + 2] as number) - (before[i + 2] as number));
    speeds.push((Math.hypot(dx, dy) * simulation.fps) / simulation.scene.widthM);
  }
  speeds.sort((a, b) => a - b);
  const middle = Math.floor(speeds.length / 2);
  return speeds.length % 2 === 1 ? (speeds[middle] as number) : ((speeds[middle - 1] as number) + (speeds[middle] as number)) / 2;
}

/** First frame time from which the cloth stays at rest (median screen speed at most CLOTH_REST_SPEED_WIDTHS_S) to the end; null if it never does. */
export function settleTimeS(simulation: ClothSimulation): number | null {
  const frames = simulation.positions.length;
  let first: number | null = null;
  for (let k = frames - 1; k >= 1; k -= 1) {
    if (medianScreenSpeedWidthsS(simulation, k) > CLOTH_REST_SPEED_WIDTHS_S) break;
    first = k;
  }
  // Resting only in the last frame is no evidence of rest.
  return first === null || first >= frames - 2 ? null : first / simulation.fps;
}

import type { ObjectSpec } from '../prompts/schema.js';

/** Where a mass came from: the prompt's `massKg`, or a solid sphere of the material's typical density. */
export type MassSource = 'prompt' | 'material-density';

/**
 * Typical mean density of a ball of each material, kg/m³ (hollow balls counted as their mean density).
 * The same figures the simulator builds its scenes from (runners/sim/scene.ts), which metrics may not import.
 */
export const BALL_DENSITY_KG_M3: Readonly<Partial<Record<NonNullable<ObjectSpec['material']>, number>>> = {
  rubber: 600,
  leather: 150,
  felt: 370,
  celluloid: 80,
  resin: 1750,
  plastic: 300,
  steel: 7850,
  glass: 2500,
  wood: 700,
};

/** Density assumed when the prompt names no material, or one not listed above (the simulator's default). */
export const DEFAULT_BALL_DENSITY_KG_M3 = 400;

/**
 * The mass a prompt implies for an object: its `massKg`, else a solid sphere ρ·π·d³/6 of the
 * material's typical density (400 kg/m³ without a material). Only ratios of masses enter the
 * momentum balance, so the density guess matters only between different materials.
 */
export function impliedMassKg(spec: ObjectSpec): { massKg: number; source: MassSource } {
  if (spec.massKg !== undefined) return { massKg: spec.massKg, source: 'prompt' };
  const density = (spec.material === undefined ? undefined : BALL_DENSITY_KG_M3[spec.material]) ?? DEFAULT_BALL_DENSITY_KG_M3;
  return { massKg: (density * Math.PI * spec.diameterM ** 3) / 6, source: 'material-density' };
}

import type { LiquidNoise } from './fluid-audio.js';
import { applyVolumeDefect, type FluidFrame, type FluidPhysicsDefect } from './fluid-frames.js';
import type { FluidScene } from './fluid-scene.js';

/** The tipped glass and its puddle, in one place (s, shares). */
export const SPILL_LOOK = {
  /** The glass lies tipped from this time on, s. */
  tipS: 0.2,
  /** The glass empties as V·e^(−t/τ), s. */
  emptyingS: 0.3,
  /** The puddle's radius grows as r_f·√(1 − e^(−t/τ)), s. */
  spreadingS: 0.5,
  /** The puddle counts as still once within this share of its final radius and the glass within it of empty. */
  restShare: 0.002,
} as const;

/** A spill frame by frame; the puddle's volume is the container volume, the glass's what is left in it. */
export interface SpillSimulation {
  frames: FluidFrame[];
  /** The final radius of the exact puddle, r_f = √(V/(π·h_rest)), m. */
  finalRadiusM: number;
  noises: LiquidNoise[];
}

/**
 * A tipped glass floods out, V_glass = V·e^(−t/τ_g), into a puddle whose radius spreads as
 * r = r_f·√(1 − e^(−t/τ_s)) to r_f = √(V/(π·h_rest)); its thickness V_puddle/(π·r²) falls from
 * h_rest·τ_s/τ_g to h_rest, so the volume (area × thickness) is exactly what left the glass.
 */
export function simulateSpill(scene: FluidScene, fps: number, frameCount: number, defect: FluidPhysicsDefect): SpillSimulation {
  const spill = scene.spill;
  if (spill === null) throw new Error('simulateSpill needs a spill scene');
  const d = SPILL_LOOK;
  const finalRadiusM = Math.sqrt(spill.volumeM3 / (Math.PI * spill.restThicknessM));
  const frames: FluidFrame[] = [];
  for (let k = 0; k < frameCount; k += 1) {
    const timeS = k / fps;
    const sinceS = Math.max(0, timeS - d.tipS);
    const glassShare = Math.exp(-sinceS / d.emptyingS);
    const puddleM3 = spill.volumeM3 * (1 - glassShare);
    const spread = Math.sqrt(1 - Math.exp(-sinceS / d.spreadingS));
    const radiusM = finalRadiusM * spread;
    frames.push({
      timeS,
      containerVolumeM3: puddleM3,
      streamVolumeM3: 0,
      otherVolumeM3: spill.volumeM3 * glassShare,
      levelM: 0,
      tiltDeg: 0,
      stream: null,
      ball: null,
      puddle: puddleM3 > 0 ? { radiusM, thicknessM: puddleM3 / (Math.PI * radiusM * radiusM) } : null,
      moving: glassShare > d.restShare || 1 - spread > d.restShare,
    });
  }
  return {
    frames: applyVolumeDefect(frames, defect, null, Infinity),
    finalRadiusM,
    noises: [{ startS: d.tipS, endS: d.tipS + 3 * d.emptyingS, level: 0.6 }],
  };
}

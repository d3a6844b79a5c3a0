import type { ClipSettings } from '../options.js';
import type { DefectCode } from '../truth.js';
import { NO_FLUID_DEFECT, type FluidPhysicsDefect } from './fluid-frames.js';
import { fluidSettleS, type FluidSimulation } from './fluid-physics.js';

/** Defects a fluid scene can take; gravity-off acts on a splash's ball and droplets (or, targeted, on its droplets only). */
export const FLUID_DEFECT_CODES = ['volume-not-conserved', 'surface-not-level', 'stream-continuity', 'fluid-appears', 'fluid-vanishes', 'gravity-off'] as const satisfies readonly DefectCode[];

export type FluidDefectCode = (typeof FLUID_DEFECT_CODES)[number];

export function isFluidDefect(code: DefectCode): code is FluidDefectCode {
  return (FLUID_DEFECT_CODES as readonly string[]).includes(code);
}

/** A defect only fluid scenes take (gravity-off is shared with the balls). */
export function isFluidOnlyDefect(code: DefectCode): boolean {
  return isFluidDefect(code) && code !== 'gravity-off';
}

/** Why a value is wrong for a fluid defect, or null when it is fine. */
export function fluidDefectValueProblem(code: FluidDefectCode, value: number): string | null {
  if (!Number.isFinite(value)) return `${code} needs a finite number, got ${value}`;
  switch (code) {
    case 'volume-not-conserved':
      return value > 0 && value <= 1 ? null : `volume-not-conserved needs the share that drains away, in (0, 1], got ${value}`;
    case 'surface-not-level':
      return value !== 0 && Math.abs(value) <= 45 ? null : `surface-not-level needs a tilt in degrees in [-45, 45] other than 0, got ${value}`;
    case 'stream-continuity':
      return value >= 1 && value <= 10 ? null : `stream-continuity needs the width at the bottom in outlet widths, in [1, 10], got ${value}`;
    case 'fluid-appears':
      return value > 0 && value <= 2 ? null : `fluid-appears needs the share of the liquid that appears, in (0, 2], got ${value}`;
    case 'fluid-vanishes':
      return value > 0 && value <= 1 ? null : `fluid-vanishes needs the share of the liquid that vanishes, in (0, 1], got ${value}`;
    case 'gravity-off':
      return value >= 0 && value !== 1 ? null : `gravity-off needs a gravity factor ≥ 0 other than 1, got ${value}`;
  }
}

/** Frames a defect needs on either side of its start to be seen. */
const SIDE_FRAMES = 6;
/** A tilted rest must be seen for at least this long, s. */
const MIN_REST_S = 0.5;

/**
 * When a fluid defect starts, or why it cannot be planted here. `ideal` is the exact simulation.
 * Volume changes start midway between the first liquid in the container and the last frame.
 */
export function fluidDefectTiming(code: FluidDefectCode, ideal: FluidSimulation, settings: ClipSettings): { atS: number } | { problem: string } {
  const { fps, frameCount } = settings;
  const lastFrameS = (frameCount - 1) / fps;
  const { scene } = ideal;
  switch (code) {
    case 'volume-not-conserved':
    case 'fluid-appears':
    case 'fluid-vanishes': {
      const atS = Math.round(((Math.max(0, ideal.firstWetS) + lastFrameS) / 2) * fps) / fps;
      if (atS - Math.max(0, ideal.firstWetS) < SIDE_FRAMES / fps || lastFrameS - atS < SIDE_FRAMES / fps) {
        return { problem: `${code} needs ${SIDE_FRAMES} frames with liquid before and after the change` };
      }
      return { atS };
    }
    case 'surface-not-level': {
      if (scene.container === null) return { problem: 'surface-not-level needs liquid in a container, and a spill has none' };
      const settleS = fluidSettleS(ideal.frames, fps);
      if (ideal.relaxFromS === null || settleS === null || settleS > lastFrameS - MIN_REST_S) {
        return { problem: `surface-not-level needs the liquid at rest for ${MIN_REST_S} s before the end of the clip` };
      }
      return { atS: ideal.relaxFromS };
    }
    case 'stream-continuity':
      if (scene.stream === null || !ideal.frames.some((frame) => frame.stream !== null)) return { problem: 'stream-continuity needs a falling stream' };
      return { atS: 0 };
    case 'gravity-off':
      if (scene.kind !== 'splash') return { problem: 'gravity-off on a fluid scene acts on splash droplets, and this scene has none' };
      return { atS: 0 };
  }
}

/** The physics change that plants a fluid defect starting at atS; `droplets`: on a splash's droplets only (gravity-off). */
export function fluidPhysicsDefect(code: FluidDefectCode, value: number, atS: number, target?: 'droplets'): FluidPhysicsDefect {
  switch (code) {
    case 'volume-not-conserved':
      return { ...NO_FLUID_DEFECT, drain: { fromS: atS, fraction: value } };
    case 'surface-not-level':
      return { ...NO_FLUID_DEFECT, restTiltDeg: value };
    case 'stream-continuity':
      return { ...NO_FLUID_DEFECT, streamWidensTo: value };
    case 'fluid-appears':
      return { ...NO_FLUID_DEFECT, step: { atS, fraction: value } };
    case 'fluid-vanishes':
      return { ...NO_FLUID_DEFECT, step: { atS, fraction: -value } };
    case 'gravity-off':
      return target === 'droplets' ? { ...NO_FLUID_DEFECT, dropletGravityScale: value } : { ...NO_FLUID_DEFECT, gravityScale: value, dropletGravityScale: value };
  }
}

import type { ClipSettings } from '../options.js';
import type { DefectCode } from '../truth.js';
import { NO_CLOTH_DEFECT, type ClothPhysicsDefect, type ClothSimulation } from './cloth-physics.js';

export const CLOTH_DEFECT_CODES = ['cloth-stretch', 'faster-than-gravity', 'no-settling', 'cloth-pop'] as const satisfies readonly DefectCode[];

export type ClothDefectCode = (typeof CLOTH_DEFECT_CODES)[number];

export function isClothDefect(code: DefectCode): code is ClothDefectCode {
  return (CLOTH_DEFECT_CODES as readonly string[]).includes(code);
}

/** Why a value is wrong for a cloth defect, or null when it is fine. */
export function clothDefectValueProblem(code: ClothDefectCode, value: number): string | null {
  switch (code) {
    case 'cloth-stretch':
      return value > 0 && value <= 1 ? null : `cloth-stretch needs a strain above 0 (at most 1), got ${value}`;
    case 'faster-than-gravity':
      return value > 1 && value <= 10 ? null : `faster-than-gravity needs a gravity factor above 1 (at most 10), got ${value}`;
    case 'no-settling':
      return value > 0 && value <= 5 ? null : `no-settling needs a drive between 0 and 5 g, got ${value}`;
    case 'cloth-pop':
      return value > 0 && value <= 1 ? null : `cloth-pop needs a jump between 0 and 1 cloth widths, got ${value}`;
  }
}

/** Frames a defect needs on either side of its start to be seen. */
const SIDE_FRAMES = 6;

/**
 * When a cloth defect starts, or why it cannot be planted here. `ideal` is the exact simulation:
 * a flag never lands or settles, so only stretch and pop apply to it.
 */
export function clothDefectTiming(code: ClothDefectCode, ideal: ClothSimulation, settings: ClipSettings): { atS: number } | { problem: string } {
  const { fps, frameCount } = settings;
  const lastFrameS = (frameCount - 1) / fps;
  const { scene, firstContactS } = ideal;
  switch (code) {
    case 'cloth-stretch':
      return { atS: 0 };
    case 'cloth-pop': {
      const atS = Math.round(0.6 * (frameCount - 1)) / fps;
      return atS > SIDE_FRAMES / fps && atS < lastFrameS - SIDE_FRAMES / fps ? { atS } : { problem: `cloth-pop needs ${2 * SIDE_FRAMES} frames around the jump` };
    }
    case 'faster-than-gravity':
      if (scene.flag !== null || scene.pull !== null) return { problem: 'faster-than-gravity needs a cloth that is dropped' };
      if (firstContactS === null || firstContactS < SIDE_FRAMES / fps) return { problem: `faster-than-gravity needs a fall of at least ${SIDE_FRAMES} frames before the cloth lands` };
      return { atS: 0 };
    case 'no-settling': {
      if (scene.flag !== null) return { problem: 'no-settling needs a cloth that comes to rest, and a flag in wind never does' };
      const atS = scene.pull !== null ? scene.pull.durationS : firstContactS;
      if (atS === null || atS > lastFrameS - 1) return { problem: 'no-settling needs at least 1 s of clip after the cloth lands' };
      return { atS };
    }
  }
}

/** The physics change that plants a cloth defect. */
export function clothPhysicsDefect(code: ClothDefectCode, value: number, atS: number, widthM: number): ClothPhysicsDefect {
  switch (code) {
    case 'cloth-stretch':
      return { ...NO_CLOTH_DEFECT, creepStrain: value };
    case 'faster-than-gravity':
      return { ...NO_CLOTH_DEFECT, gravityScaleUntilContact: value };
    case 'no-settling':
      return { ...NO_CLOTH_DEFECT, driveG: value, driveFromS: atS };
    case 'cloth-pop':
      return { ...NO_CLOTH_DEFECT, popM: value * widthM, popAtS: atS };
  }
}

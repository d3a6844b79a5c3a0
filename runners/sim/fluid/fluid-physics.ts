import type { ImpactSound } from '../audio.js';
import type { LiquidNoise } from './fluid-audio.js';
import type { FluidFrame, FluidPhysicsDefect } from './fluid-frames.js';
import type { FluidScene } from './fluid-scene.js';
import { simulatePour } from './pour-physics.js';
import { simulateSpill } from './spill-physics.js';
import { simulateSplash } from './splash-physics.js';

/** A droplet's launch in world metres and seconds (y up); it flies under the simulation's droplet gravity. */
export interface DropletLaunch {
  launchS: number;
  xM: number;
  yM: number;
  vxMS: number;
  vyMS: number;
  radiusM: number;
}

/** A fluid scene simulated frame by frame, with what the truth, the frames and the soundtrack need. */
export interface FluidSimulation {
  scene: FluidScene;
  fps: number;
  frames: FluidFrame[];
  /** First time liquid is in the container (or the puddle), s. */
  firstWetS: number;
  /** When the surface starts to settle (the last inflow, the splash); null when it never does in the clip. */
  relaxFromS: number | null;
  /** The stream's drawn width at a drop below its outlet, m; null without a stream. */
  widthAtDropM: ((dropM: number) => number) | null;
  /** Gravity the droplets obey (a planted gravity-off included), m/s². */
  dropletGravityMS2: number;
  droplets: DropletLaunch[];
  /** Contacts of a splash's ball: the water entry, then the bottom if it sinks. */
  ballContacts: Array<{ timeS: number; speedMS: number }>;
  impacts: ImpactSound[];
  noises: LiquidNoise[];
}

/** Simulates a fluid scene over `frameCount` frames at `fps`, with a planted defect's physics. */
export function simulateFluid(scene: FluidScene, fps: number, frameCount: number, defect: FluidPhysicsDefect): FluidSimulation {
  const lastFrameS = (frameCount - 1) / fps;
  const dropletGravityMS2 = scene.gravityMS2 * defect.dropletGravityScale;
  const within = (timeS: number): number | null => (timeS <= lastFrameS ? timeS : null);
  const base = { scene, fps, dropletGravityMS2, widthAtDropM: null, droplets: [], ballContacts: [], impacts: [] };
  switch (scene.kind) {
    case 'pour':
    case 'tap': {
      const pour = simulatePour(scene, fps, frameCount, defect);
      return {
        ...base,
        frames: pour.frames,
        firstWetS: pour.firstArrivalS,
        relaxFromS: within(pour.lastArrivalS),
        widthAtDropM: pour.widthAtDropM,
        noises: [{ startS: pour.firstArrivalS, endS: pour.lastArrivalS, level: 1 }],
      };
    }
    case 'splash': {
      const { entryS, ...splash } = simulateSplash(scene, fps, frameCount, defect);
      return { ...base, ...splash, firstWetS: 0, relaxFromS: within(entryS) };
    }
    case 'spill': {
      const spill = simulateSpill(scene, fps, frameCount, defect);
      return { ...base, frames: spill.frames, firstWetS: spill.frames.find((frame) => frame.containerVolumeM3 > 0)?.timeS ?? Infinity, relaxFromS: null, noises: spill.noises };
    }
  }
}

/** First frame time from which nothing moves to the end of the clip; null when something still moves in the last two frames. */
export function fluidSettleS(frames: readonly FluidFrame[], fps: number): number | null {
  let lastMoving = -1;
  frames.forEach((frame, k) => {
    if (frame.moving) lastMoving = k;
  });
  return lastMoving >= frames.length - 2 ? null : (lastMoving + 1) / fps;
}

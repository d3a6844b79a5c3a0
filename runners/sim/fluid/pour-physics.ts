import type { FluidContainer, FluidScene, FluidStream } from './fluid-scene.js';
import { applyVolumeDefect, sloshOmegaRadS, sloshTiltDeg, type FluidFrame, type FluidPhysicsDefect } from './fluid-frames.js';
import { continuityWidth, dropAfterS, fallTimeS, streamVolumeM3 } from './stream-law.js';

/** Sloshing of a container filled by a stream, in one place. */
export const POUR_SLOSH = {
  /** Tilt amplitude while the stream plunges in, deg. */
  amplitudeDeg: 1.5,
  /** Decay time of the slosh once the stream has stopped, s. */
  decayS: 0.15,
} as const;

/** Fixed-point steps for the landed volume, whose fall distance depends on the level it makes. */
const LANDING_ITERATIONS = 6;

/** A container filled by a stream, frame by frame. */
export interface PourSimulation {
  frames: FluidFrame[];
  /** When the first and the last liquid reach the container, s. */
  firstArrivalS: number;
  lastArrivalS: number;
  /** The stream's width at a drop below the outlet, m, as drawn (continuity unless a defect widens it). */
  widthAtDropM: (dropM: number) => number;
}

/** The stream's width profile: continuity, or (planted) a linear widening to `widensTo` × the outlet width at the container bottom. */
export function streamProfile(scene: { stream: FluidStream; container: FluidContainer; gravityMS2: number }, widensTo: number | null): (dropM: number) => number {
  const { stream, container, gravityMS2 } = scene;
  if (widensTo === null) return (dropM) => continuityWidth(stream.outletWidthM, stream.outletSpeedMS, gravityMS2, dropM);
  const fullDropM = stream.outletYM - container.baseM;
  return (dropM) => stream.outletWidthM * (1 + ((widensTo - 1) * dropM) / fullDropM);
}

/**
 * Fills the container: liquid leaving the outlet at time s falls d(τ) = v₀·τ + ½·g·τ² and lands once
 * d reaches the surface, so the container holds Q·(min(t − τ*(t), end) − start), τ* being the fall
 * time to the current level. The surface sloshes while the stream plunges in and settles after.
 */
export function simulatePour(scene: FluidScene, fps: number, frameCount: number, defect: FluidPhysicsDefect): PourSimulation {
  const { stream, container, gravityMS2 } = scene;
  if (stream === null || container === null) throw new Error('simulatePour needs a scene with a stream and a container');
  const { outletSpeedMS: v0, flowM3S, startS, endS } = stream;
  const surfaceDropM = (levelM: number): number => stream.outletYM - container.baseM - levelM;
  const fallToLevelS = (levelM: number): number => fallTimeS(v0, gravityMS2, surfaceDropM(levelM));
  const totalM3 = flowM3S * (endS - startS);
  const firstArrivalS = startS + fallToLevelS(0);
  const lastArrivalS = endS + fallToLevelS(totalM3 / container.areaM2);
  const widthAtDropM = streamProfile({ stream, container, gravityMS2 }, defect.streamWidensTo);
  const slosh = {
    startS: firstArrivalS,
    relaxFromS: lastArrivalS,
    amplitudeDeg: POUR_SLOSH.amplitudeDeg,
    omegaRadS: sloshOmegaRadS(container.shape, container.innerWidthM, totalM3 / container.areaM2, gravityMS2),
    decayS: POUR_SLOSH.decayS,
    restTiltDeg: defect.restTiltDeg,
  };

  // The landed volume and the slosh first; the stream then falls to the surface as it is drawn (a planted volume change included).
  let volumeM3 = 0;
  const landed: FluidFrame[] = [];
  for (let k = 0; k < frameCount; k += 1) {
    const timeS = k / fps;
    for (let i = 0; i < LANDING_ITERATIONS; i += 1) {
      const landedUntilS = Math.min(timeS - fallToLevelS(volumeM3 / container.areaM2), endS);
      volumeM3 = flowM3S * Math.max(0, landedUntilS - startS);
    }
    const { tiltDeg, moving } = sloshTiltDeg(timeS, slosh);
    const frame: FluidFrame = { timeS, containerVolumeM3: volumeM3, streamVolumeM3: 0, otherVolumeM3: 0, levelM: volumeM3 / container.areaM2, tiltDeg, stream: null, ball: null, puddle: null, moving };
    landed.push(frame);
  }
  const capacityM3 = container.areaM2 * container.innerHeightM;
  const frames = applyVolumeDefect(landed, defect, container.areaM2, capacityM3).map((frame): FluidFrame => {
    // Liquid in the air left the outlet at ages in [t − min(t, end), t − start], and falls until it meets the surface.
    const youngestS = Math.max(0, frame.timeS - endS);
    const oldestS = frame.timeS - startS;
    const topDropM = dropAfterS(v0, gravityMS2, youngestS);
    const bottomDropM = Math.min(dropAfterS(v0, gravityMS2, oldestS), surfaceDropM(frame.levelM));
    if (!(oldestS > 0 && bottomDropM > topDropM)) return frame;
    return { ...frame, streamVolumeM3: streamVolumeM3(widthAtDropM, topDropM, bottomDropM), stream: { topDropM, bottomDropM }, moving: true };
  });
  return { frames, firstArrivalS, lastArrivalS, widthAtDropM };
}

/** One frame of a fluid simulation, in world units (m, m³, deg). */
export interface FluidFrame {
  timeS: number;
  /** Liquid in the container (the puddle for a spill), m³. */
  containerVolumeM3: number;
  /** Liquid in the falling stream, m³. */
  streamVolumeM3: number;
  /** Liquid elsewhere: droplets in flight, what is still in a tipped glass, m³. */
  otherVolumeM3: number;
  /** Height of the mean free surface above the container's inner bottom, m (a ball's displacement included). */
  levelM: number;
  /** Tilt of the free surface, deg, positive when its right end is higher. */
  tiltDeg: number;
  /** The falling part of the stream as drops below the outlet, m; null when none falls. */
  stream: { topDropM: number; bottomDropM: number } | null;
  /** Centre of a splash's ball, m. */
  ball: { xM: number; yM: number } | null;
  puddle: { radiusM: number; thicknessM: number } | null;
  /** Something still moves: inflow, slosh, the ball, droplets, spreading or a planted drain. */
  moving: boolean;
}

/**
 * The changes a planted fluid defect makes; `NO_FLUID_DEFECT` is the exact physics. Each is named
 * after the failure code it plants (see fluid-defects.ts).
 */
export interface FluidPhysicsDefect {
  /** Multiplies gravity for a splash's ball (gravity-off)... */
  gravityScale: number;
  /** ...and for its droplets (gravity-off, and gravity-off on the droplets only: droplets that float). */
  dropletGravityScale: number;
  /** The stream's width grows linearly with the drop, to this factor × the outlet width at the container bottom (stream-continuity). */
  streamWidensTo: number | null;
  /** The surface comes to rest tilted by this, deg (surface-not-level). */
  restTiltDeg: number;
  /** From fromS the container loses `fraction` of the volume it held then, steadily until the last frame (volume-not-conserved). */
  drain: { fromS: number; fraction: number } | null;
  /** From the frame at atS on, `fraction` × the container's volume then is added (fluid-appears, > 0) or removed (fluid-vanishes, < 0). */
  step: { atS: number; fraction: number } | null;
}

export const NO_FLUID_DEFECT: FluidPhysicsDefect = { gravityScale: 1, dropletGravityScale: 1, streamWidensTo: null, restTiltDeg: 0, drain: null, step: null };

/** A surface's tilt at rest: anything within this of the rest tilt counts as level and still, deg. */
export const FLUID_REST_TILT_DEG = 0.2;

/**
 * Tilt of a sloshing surface: an oscillation A·sin(ω·(t − t₀)) that keeps going while liquid pours
 * in, then decays as e^(−(t − t_relax)/τ) while the surface relaxes towards its rest tilt. Returns the
 * tilt and whether it is still moving (the decaying part above FLUID_REST_TILT_DEG).
 */
export function sloshTiltDeg(
  timeS: number,
  slosh: { startS: number; relaxFromS: number; amplitudeDeg: number; omegaRadS: number; decayS: number; restTiltDeg: number },
): { tiltDeg: number; moving: boolean } {
  if (timeS < slosh.startS) return { tiltDeg: 0, moving: false };
  const wave = slosh.amplitudeDeg * Math.sin(slosh.omegaRadS * (timeS - slosh.startS));
  if (timeS < slosh.relaxFromS) return { tiltDeg: wave, moving: true };
  const decay = Math.exp(-(timeS - slosh.relaxFromS) / slosh.decayS);
  const tiltDeg = wave * decay + slosh.restTiltDeg * (1 - decay);
  return { tiltDeg, moving: (slosh.amplitudeDeg + Math.abs(slosh.restTiltDeg)) * decay > FLUID_REST_TILT_DEG };
}

/**
 * Angular frequency of a container's first sloshing mode, ω² = g·k·tanh(k·h) (linear water waves),
 * with k = 2·1.8412/D for a cylinder (first root of J₁′) and k = π/W for a box.
 */
export function sloshOmegaRadS(shape: 'cylinder' | 'box', widthM: number, depthM: number, gravityMS2: number): number {
  const k = shape === 'cylinder' ? (2 * 1.8412) / widthM : Math.PI / widthM;
  return Math.sqrt(gravityMS2 * k * Math.tanh(k * Math.max(depthM, 1e-4)));
}

/**
 * The planted volume changes on the container (drain, step), with the level following at 1/area;
 * volume never goes below zero nor above the capacity. `areaM2` null: a puddle, whose radius follows instead.
 */
export function applyVolumeDefect(frames: FluidFrame[], defect: FluidPhysicsDefect, areaM2: number | null, capacityM3: number): FluidFrame[] {
  const { drain, step } = defect;
  if (drain === null && step === null) return frames;
  const volumeAt = (timeS: number): number => {
    const k = frames.findIndex((frame) => frame.timeS >= timeS - 1e-9);
    return frames[k < 0 ? frames.length - 1 : k]?.containerVolumeM3 ?? 0;
  };
  const lastS = frames[frames.length - 1]?.timeS ?? 0;
  const drainM3 = drain === null ? 0 : drain.fraction * volumeAt(drain.fromS);
  const stepM3 = step === null ? 0 : step.fraction * volumeAt(step.atS);
  // The frame of the jump counts as motion, so nothing settles before it.
  const stepFrame = step === null ? -1 : frames.findIndex((frame) => frame.timeS >= step.atS - 1e-9);
  return frames.map((frame, k) => {
    let changeM3 = 0;
    let moving = frame.moving;
    if (drain !== null && frame.timeS > drain.fromS && lastS > drain.fromS) {
      changeM3 -= (drainM3 * (frame.timeS - drain.fromS)) / (lastS - drain.fromS);
      moving = true;
    }
    if (step !== null && frame.timeS >= step.atS - 1e-9) changeM3 += stepM3;
    if (k === stepFrame) moving = true;
    const containerVolumeM3 = Math.min(capacityM3, Math.max(0, frame.containerVolumeM3 + changeM3));
    const levelM = areaM2 === null ? frame.levelM : frame.levelM + (containerVolumeM3 - frame.containerVolumeM3) / areaM2;
    // A puddle keeps its thickness and changes its area: V = π·r²·thickness.
    const puddle = frame.puddle === null ? null : { ...frame.puddle, radiusM: Math.sqrt(containerVolumeM3 / (Math.PI * frame.puddle.thicknessM)) };
    return { ...frame, containerVolumeM3, levelM, puddle, moving };
  });
}

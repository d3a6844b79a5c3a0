import type { ImpactSound } from '../audio.js';
import { mulberry32 } from '../prng.js';
import type { LiquidNoise } from './fluid-audio.js';
import { sloshOmegaRadS, sloshTiltDeg, applyVolumeDefect, type FluidFrame, type FluidPhysicsDefect } from './fluid-frames.js';
import type { DropletLaunch } from './fluid-physics.js';
import { WATER_DENSITY_KG_M3, type FluidScene } from './fluid-scene.js';

/** A ball meeting water, in one place (shares of speed, s, rad/s, m). */
export const SPLASH_LOOK = {
  /** A floating ball keeps this share of its entry speed below the surface, then bobs as a damped oscillator. */
  floatEntryKeep: 0.5,
  bobOmegaRadS: 9,
  bobDampingPerS: 4.5,
  /** A sinking ball keeps this share, then relaxes towards its terminal speed at this rate. */
  sinkEntryKeep: 0.7,
  sinkTerminalMS: 1,
  sinkRelaxPerS: 12,
  /** The ball is still once its remaining excursion is below this, m. */
  restExcursionM: 5e-4,
  /** Ripple tilt of the surface after the entry, and its decay time. */
  rippleDeg: 1,
  rippleDecayS: 0.35,
  /** Droplets: count (tank, glass), speed as shares of the entry speed, angle from the vertical (deg), radius (m). */
  droplets: { tank: 6, glass: 4, speedShare: [0.45, 0.75], tankAngleDeg: [15, 45], glassAngleDeg: [0, 8], radiusM: 0.002 },
  /**
   * Droplets leave the crown with launch velocities at least this share of the entry speed apart, so
   * that each flies clear of the others (under one gravity two droplets from one spot part at their
   * velocity difference): a camera, and a metric, sees each droplet on its own arc.
   */
  dropletVelocityGapShare: 0.12,
  /** At most this many draws per droplet to find one clear of the others; the clearest draw is kept otherwise. */
  dropletDraws: 200,
  /** Droplets land at least this far inside the walls, m. */
  wallMarginM: 0.005,
  /** Seed of the droplets' launch draws: the same splash whatever the clip's render seed. */
  dropletSeed: 0x5b1a_54ed,
  /** The splash's rushing sound lasts this long, s. */
  noiseS: 0.25,
} as const;

/** Volume of a sphere's cap of height h (the part below a plane h above its bottom), π·h²·(3r − h)/3. */
export function sphereCapVolumeM3(radiusM: number, capHeightM: number): number {
  const h = Math.min(Math.max(capHeightM, 0), 2 * radiusM);
  return (Math.PI * h * h * (3 * radiusM - h)) / 3;
}

/** Depth a floating sphere sinks to: the cap height whose volume is (ρ_ball/ρ_water) of the sphere's (bisection). */
export function floatingDepthM(radiusM: number, densityKgM3: number): number {
  const target = (Math.min(densityKgM3, WATER_DENSITY_KG_M3) / WATER_DENSITY_KG_M3) * ((4 / 3) * Math.PI * radiusM ** 3);
  let low = 0;
  let high = 2 * radiusM;
  for (let i = 0; i < 60; i += 1) {
    const mid = (low + high) / 2;
    if (sphereCapVolumeM3(radiusM, mid) < target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The ball's centre height after entry (τ s after its bottom met the surface), and whether it still moves. */
type UnderwaterMotion = (tauS: number) => { yM: number; moving: boolean };

/**
 * Below the surface a floating ball bobs about its floating depth as a damped oscillator
 * y = y_eq + e^(−γτ)·(a·cos ωτ + b·sin ωτ), started at the entry with a share of its speed; a sinking
 * one relaxes towards its terminal speed, y = y_E − v_t·τ − (v_E − v_t)·(1 − e^(−kτ))/k, until the bottom.
 */
function underwaterMotion(scene: FluidScene, surfaceM: number, entrySpeedMS: number): { motion: UnderwaterMotion; bottom: { afterS: number; speedMS: number } | null } {
  const ball = scene.ball;
  const container = scene.container;
  if (ball === null || container === null) throw new Error('a splash needs a ball and a container');
  const d = SPLASH_LOOK;
  const radiusM = ball.diameterM / 2;
  const densityKgM3 = ball.massKg / ((Math.PI * ball.diameterM ** 3) / 6);
  const entryYM = surfaceM + radiusM;
  const floorYM = container.baseM + radiusM;
  if (densityKgM3 < WATER_DENSITY_KG_M3) {
    const equilibriumYM = surfaceM + radiusM - floatingDepthM(radiusM, densityKgM3);
    const omega = d.bobOmegaRadS;
    const gamma = d.bobDampingPerS;
    const a = entryYM - equilibriumYM;
    const b = (-d.floatEntryKeep * entrySpeedMS + gamma * a) / omega;
    return {
      motion: (tauS) => {
        const envelope = Math.exp(-gamma * tauS);
        const yM = equilibriumYM + envelope * (a * Math.cos(omega * tauS) + b * Math.sin(omega * tauS));
        return { yM: Math.max(floorYM, yM), moving: envelope * Math.hypot(a, b) > d.restExcursionM };
      },
      bottom: null,
    };
  }
  const entryMS = d.sinkEntryKeep * entrySpeedMS;
  const terminalMS = d.sinkTerminalMS;
  const k = d.sinkRelaxPerS;
  const fallen = (tauS: number): number => terminalMS * tauS + ((entryMS - terminalMS) * (1 - Math.exp(-k * tauS))) / k;
  const depthM = entryYM - floorYM;
  // The fall is monotonic: bisect for the time it reaches the bottom.
  let low = 0;
  let high = 1;
  while (fallen(high) < depthM) high *= 2;
  for (let i = 0; i < 60; i += 1) {
    const mid = (low + high) / 2;
    if (fallen(mid) < depthM) low = mid;
    else high = mid;
  }
  const bottomS = (low + high) / 2;
  return {
    motion: (tauS) => ({ yM: Math.max(floorYM, entryYM - fallen(tauS)), moving: tauS < bottomS }),
    bottom: { afterS: bottomS, speedMS: terminalMS + (entryMS - terminalMS) * Math.exp(-k * bottomS) },
  };
}

/** Droplets thrown up at the entry: seeded draws, each landing back inside the walls when gravity acts, their launch velocities apart. */
function launchDroplets(scene: FluidScene, entryS: number, surfaceM: number, entrySpeedMS: number, gravityMS2: number): DropletLaunch[] {
  const { ball, container } = scene;
  if (ball === null || container === null) return [];
  const d = SPLASH_LOOK;
  const random = mulberry32(d.dropletSeed);
  const between = ([low, high]: readonly [number, number]): number => low + (high - low) * random();
  const glass = container.shape === 'cylinder';
  const count = glass ? d.droplets.glass : d.droplets.tank;
  const halfWidthM = container.innerWidthM / 2 - d.wallMarginM;
  const draw = (side: number): DropletLaunch => {
    const xM = side * (ball.diameterM / 2) * between([0.8, 1.2]);
    const speedMS = entrySpeedMS * between(d.droplets.speedShare);
    const angle = (between(glass ? d.droplets.glassAngleDeg : d.droplets.tankAngleDeg) * Math.PI) / 180;
    const vyMS = speedMS * Math.cos(angle);
    let vxMS = side * speedMS * Math.sin(angle);
    // Keep the landing point x₀ + vx·2·vy/g inside the walls.
    if (gravityMS2 > 0) {
      const flightS = (2 * vyMS) / gravityMS2;
      const limitMS = Math.max(0, halfWidthM - Math.abs(xM)) / flightS;
      vxMS = Math.sign(vxMS) * Math.min(Math.abs(vxMS), limitMS);
    }
    return { launchS: entryS, xM, yM: surfaceM, vxMS, vyMS, radiusM: d.droplets.radiusM };
  };
  const launched: DropletLaunch[] = [];
  const gapMS = (droplet: DropletLaunch): number => Math.min(Infinity, ...launched.map((other) => Math.hypot(droplet.vxMS - other.vxMS, droplet.vyMS - other.vyMS)));
  for (let index = 0; index < count; index += 1) {
    const side = index % 2 === 0 ? -1 : 1;
    let best = draw(side);
    for (let attempt = 1; attempt < d.dropletDraws && gapMS(best) < d.dropletVelocityGapShare * entrySpeedMS; attempt += 1) {
      const next = draw(side);
      if (gapMS(next) > gapMS(best)) best = next;
    }
    launched.push(best);
  }
  return launched;
}

/** A splash frame by frame, with what the truth and the soundtrack need. */
export interface SplashSimulation {
  frames: FluidFrame[];
  /** When the ball's bottom meets the water, s; Infinity when it never falls (no gravity). */
  entryS: number;
  droplets: DropletLaunch[];
  ballContacts: Array<{ timeS: number; speedMS: number }>;
  impacts: ImpactSound[];
  noises: LiquidNoise[];
}

/**
 * A ball dropped into still water: free fall y = y₀ − ½·g·t² to the surface, then it bobs or sinks;
 * droplets fly on ballistic arcs from the entry; the surface ripples and settles; the level rises by
 * what the ball displaces (a sphere cap below the still surface) over the container's area.
 */
export function simulateSplash(scene: FluidScene, fps: number, frameCount: number, defect: FluidPhysicsDefect): SplashSimulation {
  const { ball, container } = scene;
  if (ball === null || container === null) throw new Error('simulateSplash needs a scene with a ball and a container');
  const d = SPLASH_LOOK;
  const gravityMS2 = scene.gravityMS2 * defect.gravityScale;
  const dropletGravityMS2 = scene.gravityMS2 * defect.dropletGravityScale;
  const radiusM = ball.diameterM / 2;
  const stillLevelM = scene.initialVolumeM3 / container.areaM2;
  const surfaceM = container.baseM + stillLevelM;
  const releaseYM = surfaceM + ball.dropHeightM + radiusM;
  const entryS = gravityMS2 > 0 ? Math.sqrt((2 * ball.dropHeightM) / gravityMS2) : Infinity;
  const entrySpeedMS = gravityMS2 * entryS;
  const hasEntry = Number.isFinite(entryS);
  const underwater = hasEntry ? underwaterMotion(scene, surfaceM, entrySpeedMS) : null;
  const droplets = hasEntry ? launchDroplets(scene, entryS, surfaceM, entrySpeedMS, dropletGravityMS2) : [];
  const dropletVolumeM3 = (droplet: DropletLaunch): number => (4 / 3) * Math.PI * droplet.radiusM ** 3;
  const slosh = {
    startS: entryS,
    relaxFromS: entryS,
    amplitudeDeg: d.rippleDeg,
    omegaRadS: sloshOmegaRadS(container.shape, container.innerWidthM, stillLevelM, scene.gravityMS2),
    decayS: d.rippleDecayS,
    restTiltDeg: defect.restTiltDeg,
  };

  const frames: FluidFrame[] = [];
  for (let k = 0; k < frameCount; k += 1) {
    const timeS = k / fps;
    let yM = releaseYM - 0.5 * gravityMS2 * timeS * timeS;
    let ballMoving = gravityMS2 > 0;
    if (underwater !== null && timeS >= entryS) {
      const state = underwater.motion(timeS - entryS);
      yM = state.yM;
      ballMoving = state.moving;
    }
    // Droplets fly until they fall back to the surface, 2·vy/g after launch.
    const flying = droplets.filter((droplet) => timeS >= droplet.launchS && (dropletGravityMS2 <= 0 || timeS < droplet.launchS + (2 * droplet.vyMS) / dropletGravityMS2));
    const inFlightM3 = flying.reduce((sum, droplet) => sum + dropletVolumeM3(droplet), 0);
    const waterM3 = scene.initialVolumeM3 - inFlightM3;
    const submergedM3 = sphereCapVolumeM3(radiusM, surfaceM - (yM - radiusM));
    const ripple = sloshTiltDeg(timeS, slosh);
    frames.push({
      timeS,
      containerVolumeM3: waterM3,
      streamVolumeM3: 0,
      otherVolumeM3: inFlightM3,
      levelM: (waterM3 + submergedM3) / container.areaM2,
      tiltDeg: ripple.tiltDeg,
      stream: null,
      ball: { xM: 0, yM },
      puddle: null,
      moving: ballMoving || ripple.moving || flying.length > 0,
    });
  }
  const ballContacts = hasEntry ? [{ timeS: entryS, speedMS: entrySpeedMS }] : [];
  const bottom = underwater?.bottom ?? null;
  if (bottom !== null) ballContacts.push({ timeS: entryS + bottom.afterS, speedMS: bottom.speedMS });
  return {
    frames: applyVolumeDefect(frames, defect, container.areaM2, container.areaM2 * container.innerHeightM),
    entryS,
    droplets,
    ballContacts,
    impacts: ballContacts.map((contact) => ({ startS: contact.timeS, speedMS: contact.speedMS, diameterM: ball.diameterM })),
    noises: hasEntry ? [{ startS: entryS, endS: entryS + d.noiseS, level: 1 }] : [],
  };
}

import type { ClothBox, ClothScene } from './cloth-scene.js';

/** Solver settings of the mass-spring cloth, in one place. */
export const CLOTH_PHYSICS = {
  /** Verlet steps per second (fixed, whatever the frame rate). */
  stepsPerS: 480,
  /** Constraint relaxation passes per step. */
  iterations: 12,
  /** Fraction of each spring's error corrected per pass: structural, shear, bend. */
  stiffness: { structural: 1, shear: 0.9, bend: 0.15 },
  /** Velocity relative to the cloth's mean velocity lost per second (internal damping: it leaves free fall alone). */
  dampingPerS: 3,
  /** Fraction of the tangential velocity kept per step while touching a surface. */
  contactSlipPerStep: 0.9,
  /** Wind force coefficient along the normal, per unit area, kg/(m²·s)·(m/s). */
  windCoefficient: 0.12,
  /** Cloth rests this far above a surface so it is drawn on it, m. */
  restOffsetM: 0.004,
  /**
   * Frequency of the planted no-settling drive's kicks, Hz (a wave along the width): at 6 Hz the
   * fabric moves a few cm a kick, which a tracker follows; at 1.5-3 Hz each kick flung a towel so far
   * that its texture points were lost.
   */
  driveFrequencyHz: 6,
  /** Time constant of a planted creep (cloth-stretch): the rest lengths reach 1 − 1/e of their growth after this long, 95% after three times it, s. */
  creepTimeS: 0.15,
} as const;

/** Changes to the exact physics that plant a defect; all neutral by default. */
export interface ClothPhysicsDefect {
  /** Multiplies gravity until the first contact (faster-than-gravity). */
  gravityScaleUntilContact: number;
  /**
   * Rubbery creep (cloth-stretch): every spring's rest length grows from the fabric's towards
   * (1 + this) × it, as 1 − e^(−t/creepTimeS), so the cloth gives as soon as it moves, evenly in both
   * directions, and stays over-stretched to the end; 0: none.
   */
  creepStrain: number;
  /**
   * Undamped vertical drive from `driveFromS` (no-settling), as the lift it gives beyond the cloth's
   * weight, a multiple of g: upward kicks of (1 + this)·g·max(0, sin) at driveFrequencyHz, so cloth
   * lying flat on a surface is lifted off it too (a drive of this·g alone lifts flat cloth only where
   * it exceeds g: a scarf on the floor barely stirred); 0: none.
   */
  driveG: number;
  driveFromS: number;
  /** A patch of nodes jumps up by this many metres at `popAtS` (cloth-pop); 0: none. */
  popM: number;
  popAtS: number;
}

export const NO_CLOTH_DEFECT: ClothPhysicsDefect = { gravityScaleUntilContact: 1, creepStrain: 0, driveG: 0, driveFromS: 0, popM: 0, popAtS: 0 };

/** Node positions at every frame time (x, y, z per node, m), and when the cloth first touched something. */
export interface ClothSimulation {
  scene: ClothScene;
  fps: number;
  /** positions[k][3i..3i+2]: node i at frame k. */
  positions: Float64Array[];
  /** Structural springs (neighbours along u or v): node pairs and the fabric's rest lengths (before any creep). */
  structural: { a: Int32Array; b: Int32Array; restM: Float64Array };
  firstContactS: number | null;
}

interface SpringSet {
  a: number[];
  b: number[];
  restM: number[];
  stiffness: number;
}

function springSet(stiffness: number): SpringSet {
  return { a: [], b: [], restM: [], stiffness };
}

/** Rest positions of the grid: flat (drop, pull) or hanging in the x-y plane (flag). */
function initialPositions(scene: ClothScene): Float64Array {
  const { nodesU, nodesV, widthM, lengthM } = scene;
  const out = new Float64Array(nodesU * nodesV * 3);
  for (let v = 0; v < nodesV; v += 1) {
    for (let u = 0; u < nodesU; u += 1) {
      const i = 3 * (v * nodesU + u);
      const xM = -widthM / 2 + (u / (nodesU - 1)) * widthM;
      const alongM = (v / (nodesV - 1)) * lengthM;
      out[i] = xM;
      if (scene.flag !== null) {
        out[i + 1] = scene.startHeightM - alongM;
        out[i + 2] = 0;
      } else {
        out[i + 1] = scene.startHeightM;
        out[i + 2] = -lengthM / 2 + alongM;
      }
    }
  }
  return out;
}

function distance(p: Float64Array, i: number, j: number): number {
  return Math.hypot((p[3 * i] ?? 0) - (p[3 * j] ?? 0), (p[3 * i + 1] ?? 0) - (p[3 * j + 1] ?? 0), (p[3 * i + 2] ?? 0) - (p[3 * j + 2] ?? 0));
}

/** Structural (u, v neighbours), shear (diagonals) and bend (two apart) springs at their rest lengths. */
function buildSprings(scene: ClothScene, rest: Float64Array): { structural: SpringSet; shear: SpringSet; bend: SpringSet } {
  const k = CLOTH_PHYSICS.stiffness;
  const structural = springSet(k.structural);
  const shear = springSet(k.shear);
  const bend = springSet(k.bend);
  const { nodesU, nodesV } = scene;
  const id = (u: number, v: number): number => v * nodesU + u;
  const add = (set: SpringSet, i: number, j: number): void => {
    set.a.push(i);
    set.b.push(j);
    set.restM.push(distance(rest, i, j));
  };
  for (let v = 0; v < nodesV; v += 1) {
    for (let u = 0; u < nodesU; u += 1) {
      if (u + 1 < nodesU) add(structural, id(u, v), id(u + 1, v));
      if (v + 1 < nodesV) add(structural, id(u, v), id(u, v + 1));
      if (u + 1 < nodesU && v + 1 < nodesV) {
        add(shear, id(u, v), id(u + 1, v + 1));
        add(shear, id(u + 1, v), id(u, v + 1));
      }
      if (u + 2 < nodesU) add(bend, id(u, v), id(u + 2, v));
      if (v + 2 < nodesV) add(bend, id(u, v), id(u, v + 2));
    }
  }
  return { structural, shear, bend };
}

/**
 * One relaxation pass over a spring set (Jakobsen 2001, "Advanced Character Physics"): move both ends
 * along the spring, by inverse mass, towards `restScale` × its rest length.
 */
function relax(p: Float64Array, invMass: Float64Array, set: SpringSet, restScale: number): void {
  for (let s = 0; s < set.a.length; s += 1) {
    const i = set.a[s] as number;
    const j = set.b[s] as number;
    const wi = invMass[i] as number;
    const wj = invMass[j] as number;
    if (wi + wj === 0) continue;
    const dx = (p[3 * j] as number) - (p[3 * i] as number);
    const dy = (p[3 * j + 1] as number) - (p[3 * i + 1] as number);
    const dz = (p[3 * j + 2] as number) - (p[3 * i + 2] as number);
    // sqrt of the sum, not Math.hypot: this is the innermost loop, and hypot is several times slower.
    const lengthM = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (lengthM === 0) continue;
    const f = (set.stiffness * (lengthM - restScale * (set.restM[s] as number))) / (lengthM * (wi + wj));
    p[3 * i] = (p[3 * i] as number) + dx * f * wi;
    p[3 * i + 1] = (p[3 * i + 1] as number) + dy * f * wi;
    p[3 * i + 2] = (p[3 * i + 2] as number) + dz * f * wi;
    p[3 * j] = (p[3 * j] as number) - dx * f * wj;
    p[3 * j + 1] = (p[3 * j + 1] as number) - dy * f * wj;
    p[3 * j + 2] = (p[3 * j + 2] as number) - dz * f * wj;
  }
}

/**
 * Keeps node i out of the floor and the box; true when it touches one. A node inside the box that was
 * above its top lands on the top, else it is pushed out through the nearer side.
 */
function collide(p: Float64Array, prev: Float64Array, i: number, box: ClothBox | null): boolean {
  const off = CLOTH_PHYSICS.restOffsetM;
  const x = p[3 * i] as number;
  const y = p[3 * i + 1] as number;
  const z = p[3 * i + 2] as number;
  if (box !== null && Math.abs(x) < box.halfWidthM + off && Math.abs(z) < box.halfDepthM + off && y < box.topM + off) {
    if ((prev[3 * i + 1] as number) >= box.topM - 0.02) {
      p[3 * i + 1] = box.topM + off;
    } else {
      const outX = box.halfWidthM + off - Math.abs(x);
      const outZ = box.halfDepthM + off - Math.abs(z);
      if (outX < outZ) p[3 * i] = Math.sign(x || 1) * (box.halfWidthM + off);
      else p[3 * i + 2] = Math.sign(z || 1) * (box.halfDepthM + off);
    }
    return true;
  }
  if (y < off) {
    p[3 * i + 1] = off;
    return true;
  }
  return false;
}

/** Wind and air drag on each triangle, along its normal (force ∝ area · relative normal speed), spread over its corners. */
function addAirForces(scene: ClothScene, p: Float64Array, prev: Float64Array, dtS: number, timeS: number, acc: Float64Array, nodeMassKg: number): void {
  const { nodesU, nodesV } = scene;
  const cellAreaM2 = (scene.widthM / (nodesU - 1)) * (scene.lengthM / (nodesV - 1));
  const dragPerArea = scene.normalDragKgS / (scene.widthM * scene.lengthM);
  const windMS = scene.flag?.windMS ?? 0;
  const tri = (i: number, j: number, k: number, u: number): void => {
    const ax = (p[3 * j] as number) - (p[3 * i] as number);
    const ay = (p[3 * j + 1] as number) - (p[3 * i + 1] as number);
    const az = (p[3 * j + 2] as number) - (p[3 * i + 2] as number);
    const bx = (p[3 * k] as number) - (p[3 * i] as number);
    const by = (p[3 * k + 1] as number) - (p[3 * i + 1] as number);
    const bz = (p[3 * k + 2] as number) - (p[3 * i + 2] as number);
    let nx = ay * bz - az * by;
    let ny = az * bx - ax * bz;
    let nz = ax * by - ay * bx;
    const n = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (n === 0) return;
    nx /= n;
    ny /= n;
    nz /= n;
    const vx = ((p[3 * i] as number) - (prev[3 * i] as number) + (p[3 * j] as number) - (prev[3 * j] as number) + (p[3 * k] as number) - (prev[3 * k] as number)) / (3 * dtS);
    const vy = ((p[3 * i + 1] as number) - (prev[3 * i + 1] as number) + (p[3 * j + 1] as number) - (prev[3 * j + 1] as number) + (p[3 * k + 1] as number) - (prev[3 * k + 1] as number)) / (3 * dtS);
    const vz = ((p[3 * i + 2] as number) - (prev[3 * i + 2] as number) + (p[3 * j + 2] as number) - (prev[3 * j + 2] as number) + (p[3 * k + 2] as number) - (prev[3 * k + 2] as number)) / (3 * dtS);
    // A gusting breeze along +x with a little cross-flow that makes the flag ripple.
    const gust = 1 + 0.15 * Math.sin(2 * Math.PI * (1.3 * timeS - 0.8 * u));
    const wx = windMS * gust;
    const wz = windMS * 0.12 * Math.sin(2 * Math.PI * (2.1 * timeS - 1.5 * u));
    const relNormalMS = (wx - vx) * nx + (0 - vy) * ny + (wz - vz) * nz;
    const coefficient = (dragPerArea + (windMS > 0 ? CLOTH_PHYSICS.windCoefficient * Math.abs(relNormalMS) : 0)) * (cellAreaM2 / 2);
    const perNode = (coefficient * relNormalMS) / (3 * nodeMassKg);
    for (let corner = 0; corner < 3; corner += 1) {
      const c = corner === 0 ? i : corner === 1 ? j : k;
      acc[3 * c] = (acc[3 * c] as number) + perNode * nx;
      acc[3 * c + 1] = (acc[3 * c + 1] as number) + perNode * ny;
      acc[3 * c + 2] = (acc[3 * c + 2] as number) + perNode * nz;
    }
  };
  for (let v = 0; v + 1 < nodesV; v += 1) {
    for (let u = 0; u + 1 < nodesU; u += 1) {
      const a = v * nodesU + u;
      const uFraction = u / (nodesU - 1);
      tri(a, a + 1, a + nodesU, uFraction);
      tri(a + 1, a + nodesU + 1, a + nodesU, uFraction);
    }
  }
}

/**
 * Runs the cloth with position Verlet (x' = 2x − x₋ + a·dt², Verlet 1967) at a fixed step, relaxing
 * the springs after each step, and records every node at each frame time 0 … (frameCount − 1)/fps.
 */
export function simulateCloth(scene: ClothScene, gravityMS2: number, fps: number, frameCount: number, defect: ClothPhysicsDefect = NO_CLOTH_DEFECT): ClothSimulation {
  const { nodesU, nodesV } = scene;
  const count = nodesU * nodesV;
  const stepsPerFrame = Math.max(1, Math.ceil(CLOTH_PHYSICS.stepsPerS / fps));
  const dtS = 1 / (fps * stepsPerFrame);
  const rest = initialPositions(scene);
  const p = rest.slice();
  const prev = rest.slice();
  const springs = buildSprings(scene, rest);
  const nodeMassKg = scene.massKg / count;
  const invMass = new Float64Array(count).fill(1);
  const pinned: number[] = [];
  if (scene.flag !== null || scene.pull !== null) for (let v = 0; v < nodesV; v += 1) pinned.push(v * nodesU);
  for (const i of pinned) invMass[i] = 0;
  // Pop patch: nodes within a fifth of the width of a point a third of the way into the grid.
  const popCentre = Math.round(nodesV / 3) * nodesU + Math.round(nodesU / 3);
  const popPatch: number[] = [];
  if (defect.popM > 0) for (let i = 0; i < count; i += 1) if (distance(rest, i, popCentre) < scene.widthM / 5) popPatch.push(i);
  const damping = defect.driveG > 0 ? 0 : CLOTH_PHYSICS.dampingPerS;
  const acc = new Float64Array(3 * count);
  const positions: Float64Array[] = [p.slice()];
  let firstContactS: number | null = null;
  let popped = false;
  let timeS = 0;
  for (let frame = 1; frame < frameCount; frame += 1) {
    for (let step = 0; step < stepsPerFrame; step += 1) {
      const gravity = gravityMS2 * (firstContactS === null ? defect.gravityScaleUntilContact : 1);
      acc.fill(0);
      addAirForces(scene, p, prev, dtS, timeS, acc, nodeMassKg);
      const drive = defect.driveG > 0 && timeS >= defect.driveFromS ? (1 + defect.driveG) * gravityMS2 : 0;
      const meanStep = [0, 0, 0];
      for (let i = 0; i < count; i += 1) for (let c = 0; c < 3; c += 1) meanStep[c] = (meanStep[c] as number) + ((p[3 * i + c] as number) - (prev[3 * i + c] as number)) / count;
      for (let i = 0; i < count; i += 1) {
        if (invMass[i] === 0) continue;
        const u = (i % nodesU) / (nodesU - 1);
        const driveMS2 = drive * Math.max(0, Math.sin(2 * Math.PI * (CLOTH_PHYSICS.driveFrequencyHz * timeS - u)));
        for (let c = 0; c < 3; c += 1) {
          const x = p[3 * i + c] as number;
          const stepM = x - (prev[3 * i + c] as number);
          const velocityTerm = stepM - (stepM - (meanStep[c] as number)) * damping * dtS;
          const a = (acc[3 * i + c] as number) + (c === 1 ? driveMS2 - gravity : 0);
          prev[3 * i + c] = x;
          p[3 * i + c] = x + velocityTerm + a * dtS * dtS;
        }
      }
      timeS += dtS;
      if (scene.pull !== null && timeS <= scene.pull.durationS) {
        for (const i of pinned) {
          prev[3 * i] = p[3 * i] as number;
          p[3 * i] = (p[3 * i] as number) - scene.pull.speedMS * dtS;
        }
      } else if (scene.pull !== null) {
        for (const i of pinned) invMass[i] = 1;
      }
      if (!popped && defect.popM > 0 && timeS >= defect.popAtS) {
        popped = true;
        for (const i of popPatch) {
          p[3 * i + 1] = (p[3 * i + 1] as number) + defect.popM;
          prev[3 * i + 1] = (prev[3 * i + 1] as number) + defect.popM;
        }
      }
      const restScale = 1 + defect.creepStrain * (1 - Math.exp(-timeS / CLOTH_PHYSICS.creepTimeS));
      // The held edge creeps with the fabric (rings sliding on the pole, a hand letting the hem spread).
      if (defect.creepStrain > 0) {
        const along = scene.flag !== null ? 1 : 2;
        const anchor = along === 1 ? scene.startHeightM : 0;
        for (const i of pinned) {
          if (invMass[i] !== 0) continue;
          const creptM = anchor + restScale * ((rest[3 * i + along] as number) - anchor);
          p[3 * i + along] = creptM;
          prev[3 * i + along] = creptM;
        }
      }
      for (let pass = 0; pass < CLOTH_PHYSICS.iterations; pass += 1) {
        relax(p, invMass, springs.structural, restScale);
        relax(p, invMass, springs.shear, restScale);
        relax(p, invMass, springs.bend, restScale);
      }
      let touching = false;
      for (let i = 0; i < count; i += 1) {
        if (invMass[i] === 0) continue;
        if (collide(p, prev, i, scene.box)) {
          touching = true;
          // Contact friction: keep only part of the sliding velocity.
          const keep = CLOTH_PHYSICS.contactSlipPerStep;
          prev[3 * i] = (p[3 * i] as number) - ((p[3 * i] as number) - (prev[3 * i] as number)) * keep;
          prev[3 * i + 2] = (p[3 * i + 2] as number) - ((p[3 * i + 2] as number) - (prev[3 * i + 2] as number)) * keep;
        }
      }
      if (touching && firstContactS === null) firstContactS = timeS;
    }
    positions.push(p.slice());
  }
  const s = springs.structural;
  return {
    scene,
    fps,
    positions,
    structural: { a: Int32Array.from(s.a), b: Int32Array.from(s.b), restM: Float64Array.from(s.restM) },
    firstContactS,
  };
}

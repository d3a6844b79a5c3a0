import type { ObjectSpec, Prompt } from '../../prompts/schema.js';
import { BALL_CATEGORIES } from '../../prompts/schema.js';
import { ballColor, type Rgb } from './color.js';
import { SimError } from './errors.js';
import type { BallSpec, Table, WorldSpec } from './physics.js';

/** Initial conditions used when a prompt's setup leaves them out, in one place. */
export const SCENE_DEFAULTS = {
  /** Height of the ball's bottom above the floor at release, m. */
  dropHeightM: 1.2,
  bounceSpeedMS: 0.4,
  projectileSpeedMS: 3.5,
  projectileAngleDeg: 60,
  /** Projectiles start with their bottom this far above the floor, m. */
  launchHeightM: 0.1,
  tableHeightM: 0.75,
  rollingSpeedMS: 1.2,
  collisionSpeedMS: 2.5,
  collisionAngleDeg: 60,
  collisionLaunchHeightM: 0.3,
  /** Free gap between balls that a non-collision prompt releases together, in diameters of the larger one. */
  sideBySideGapDiameters: 2,
  /** The balls meet at this fraction of the time to their apex. */
  collisionAtApexFraction: 0.8,
  /** Vertical offset of the second ball, as a fraction of the sum of radii, so the contact is oblique. */
  collisionOffsetFraction: 0.4,
  /** A tennis ball, when the prompt names no object. */
  ball: { name: 'ball', diameterM: 0.067, massKg: 0.058, material: 'felt' } satisfies ObjectSpec,
  restitution: 0.7,
  densityKgM3: 400,
} as const;

/** Typical coefficient of restitution against a hard floor, by material. */
const MATERIAL_RESTITUTION: Partial<Record<NonNullable<ObjectSpec['material']>, number>> = {
  rubber: 0.8,
  leather: 0.75,
  felt: 0.75,
  celluloid: 0.9,
  resin: 0.6,
  plastic: 0.7,
  steel: 0.6,
  glass: 0.6,
  wood: 0.5,
};

/** Typical density of a ball of the material (hollow balls counted as their mean density), kg/m³. */
const MATERIAL_DENSITY_KG_M3: Partial<Record<NonNullable<ObjectSpec['material']>, number>> = {
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

/** A ball as the raster and the truth see it. */
export interface SceneBall {
  name: string;
  diameterM: number;
  massKg: number;
  colorRgb: Rgb;
  restitution: number;
}

export interface Scene {
  balls: SceneBall[];
  table: Table | null;
  /** The world without planted defects; the caller sets the defect fields. */
  world: WorldSpec;
}

export function isBallCategory(prompt: Prompt): boolean {
  return BALL_CATEGORIES.includes(prompt.category);
}

/** Middle of the prompt's restitution range, else the material's typical value. */
function restitutionFor(prompt: Prompt, object: ObjectSpec): number {
  const range = prompt.expect.restitution;
  const value = range !== undefined ? (range.min + range.max) / 2 : (MATERIAL_RESTITUTION[object.material ?? 'felt'] ?? SCENE_DEFAULTS.restitution);
  return Math.min(Math.max(value, 0), 1);
}

/** Mass of a solid sphere, ρ·π·d³/6, when the prompt gives none. */
function massFor(object: ObjectSpec): number {
  if (object.massKg !== undefined) return object.massKg;
  const density = object.material === undefined ? SCENE_DEFAULTS.densityKgM3 : (MATERIAL_DENSITY_KG_M3[object.material] ?? SCENE_DEFAULTS.densityKgM3);
  return (density * Math.PI * object.diameterM ** 3) / 6;
}

function sceneBall(prompt: Prompt, object: ObjectSpec, index: number): SceneBall {
  return {
    name: object.name,
    diameterM: object.diameterM,
    massKg: massFor(object),
    colorRgb: ballColor(object.colorHint, index),
    restitution: restitutionFor(prompt, object),
  };
}

function launch(ball: SceneBall, xM: number, bottomM: number, speedMS: number, angleDeg: number): BallSpec {
  const angle = (angleDeg * Math.PI) / 180;
  return {
    radiusM: ball.diameterM / 2,
    massKg: ball.massKg,
    restitution: ball.restitution,
    xM,
    yM: bottomM + ball.diameterM / 2,
    vxMS: speedMS * Math.cos(angle),
    vyMS: speedMS * Math.sin(angle),
    onTable: false,
  };
}

/** x of each ball's centre from the first's: neighbours touch, plus a gap of `sideBySideGapDiameters` × the larger diameter. */
function sideBySideOffsetsM(balls: readonly SceneBall[]): number[] {
  let xM = 0;
  return balls.map((ball, index) => {
    const previous = balls[index - 1];
    if (previous !== undefined) xM += (previous.diameterM + ball.diameterM) / 2 + SCENE_DEFAULTS.sideBySideGapDiameters * Math.max(previous.diameterM, ball.diameterM);
    return xM;
  });
}

/**
 * The scene a ball prompt describes, with the setup's values or the defaults above. `durationS`
 * places the rolling ball so it leaves the table early in the clip.
 */
export function buildScene(prompt: Prompt, durationS: number): Scene {
  if (!isBallCategory(prompt)) {
    throw new SimError('unsupported-category', prompt.id, `the simulator renders rigid balls only, not ${prompt.category} scenes`);
  }
  const setup = prompt.setup;
  const objects = prompt.expect.objects.length > 0 ? prompt.expect.objects : [SCENE_DEFAULTS.ball];
  const first = sceneBall(prompt, objects[0] ?? SCENE_DEFAULTS.ball, 0);
  const gravityMS2 = prompt.expect.gravityMS2;
  // Every named object takes part; outside collisions they are released together, side by side.
  let balls: SceneBall[] = objects.map((object, index) => sceneBall(prompt, object, index));
  const offsetsM = sideBySideOffsetsM(balls);
  const sideBySide = (launchOne: (ball: SceneBall, xM: number) => BallSpec): BallSpec[] =>
    balls.map((ball, index) => launchOne(ball, offsetsM[index] ?? 0));
  let specs: BallSpec[];
  let table: Table | null = null;

  switch (prompt.category) {
    case 'drop':
    case 'impact-sound':
      specs = sideBySide((ball, xM) => launch(ball, xM, setup.heightM ?? SCENE_DEFAULTS.dropHeightM, 0, 0));
      break;
    case 'bounce':
      specs = sideBySide((ball, xM) =>
        launch(ball, xM, setup.heightM ?? SCENE_DEFAULTS.dropHeightM, setup.speedMS ?? SCENE_DEFAULTS.bounceSpeedMS, 0),
      );
      break;
    case 'projectile':
      specs = sideBySide((ball, xM) =>
        launch(
          ball,
          xM,
          setup.heightM ?? SCENE_DEFAULTS.launchHeightM,
          setup.speedMS ?? SCENE_DEFAULTS.projectileSpeedMS,
          setup.angleDeg ?? SCENE_DEFAULTS.projectileAngleDeg,
        ),
      );
      break;
    case 'rolling': {
      const heightM = setup.tableHeightM ?? SCENE_DEFAULTS.tableHeightM;
      const speedMS = setup.speedMS ?? SCENE_DEFAULTS.rollingSpeedMS;
      // Leave the edge after min(0.5 s, 30% of the clip), and start at least one diameter from it.
      const runM = Math.max(speedMS * Math.min(0.5, 0.3 * durationS), first.diameterM);
      table = { heightM, edgeXM: 0 };
      // The others roll behind the first, at the same speed, so they never close the gap.
      specs = sideBySide((ball, xM) => ({ ...launch(ball, -runM - xM, heightM, speedMS, 0), onTable: true }));
      break;
    }
    case 'collision': {
      const second = balls[1] ?? sceneBall(prompt, objects[0] ?? SCENE_DEFAULTS.ball, 1);
      balls = [first, second];
      const speedMS = setup.speedMS ?? SCENE_DEFAULTS.collisionSpeedMS;
      const angleDeg = setup.angleDeg ?? SCENE_DEFAULTS.collisionAngleDeg;
      const bottomM = setup.heightM ?? SCENE_DEFAULTS.collisionLaunchHeightM;
      const left = launch(first, 0, bottomM, speedMS, angleDeg);
      const right = launch(second, 0, bottomM, speedMS, 180 - angleDeg);
      // Thrown towards each other with the same vertical speed, so their relative motion is a straight
      // line: they meet at a chosen time, with the second ball a little higher for an oblique contact.
      const reachM = left.radiusM + right.radiusM;
      const offsetM = SCENE_DEFAULTS.collisionOffsetFraction * reachM;
      const meetS = gravityMS2 > 0 ? (SCENE_DEFAULTS.collisionAtApexFraction * left.vyMS) / gravityMS2 : 0.5;
      const gapAtMeetM = Math.sqrt(reachM * reachM - offsetM * offsetM);
      const startGapM = gapAtMeetM + (left.vxMS - right.vxMS) * meetS;
      left.xM = -startGapM / 2;
      right.xM = startGapM / 2;
      // Both centres start high enough for the larger ball, offsetM apart vertically.
      left.yM = bottomM + Math.max(left.radiusM, right.radiusM);
      right.yM = left.yM + offsetM;
      specs = [left, right];
      break;
    }
    default:
      throw new SimError('unsupported-category', prompt.id, `the simulator has no scene for ${prompt.category}`);
  }

  const world: WorldSpec = {
    gravityMS2,
    balls: specs,
    table,
    pairRestitution: Math.min(...balls.map((ball) => ball.restitution)),
    durationS,
    gravityScale: 1,
    gravityScaleAfterFirstContact: 1,
    firstBounceRestitution: null,
  };
  return { balls, table, world };
}

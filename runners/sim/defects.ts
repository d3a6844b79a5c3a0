import { didYouMean } from '../../prompts/did-you-mean.js';
import type { Prompt } from '../../prompts/schema.js';
import type { Rgb } from './color.js';
import { SimError } from './errors.js';
import type { DefectRequest, ClipSettings, SimOptions } from './options.js';
import { resolveSettings } from './options.js';
import type { BallHistory, Simulation, WorldSpec } from './physics.js';
import { simulate } from './physics.js';
import { fnv1a32 } from './prng.js';
import { clothDefectTiming, clothDefectValueProblem, CLOTH_DEFECT_CODES } from './cloth/cloth-defects.js';
import { simulateCloth } from './cloth/cloth-physics.js';
import { buildClothScene, isClothPrompt } from './cloth/cloth-scene.js';
import { FLUID_DEFECT_CODES, fluidDefectTiming, fluidDefectValueProblem, type FluidDefectCode } from './fluid/fluid-defects.js';
import { NO_FLUID_DEFECT } from './fluid/fluid-frames.js';
import { simulateFluid } from './fluid/fluid-physics.js';
import { buildFluidScene, isFluidPrompt } from './fluid/fluid-scene.js';
import { buildScene, isBallCategory } from './scene.js';
import { DEFECTS, type DefectCode, type PlantedDefect } from './truth.js';

export const DEFECT_CODES = Object.keys(DEFECTS) as DefectCode[];

/** The defects sim:flawed picks from: all but those marked `pickedBySimFlawed: false`, planted only on request. */
export const PICKED_DEFECT_CODES = DEFECT_CODES.filter((code) => !('pickedBySimFlawed' in DEFECTS[code]));

/** A frame is this close to an interval's end and still counts as inside it (float rounding of k/fps). */
const FRAME_EPS_S = 1e-9;

function isDefectCode(name: string): name is DefectCode {
  return Object.hasOwn(DEFECTS, name);
}

/** Why a value is wrong for a defect, or null when it is fine. */
export function defectValueProblem(code: DefectCode, value: number): string | null {
  if (!Number.isFinite(value)) return `${code} needs a finite number, got ${value}`;
  switch (code) {
    case 'gravity-off':
      return value >= 0 && value !== 1 ? null : `gravity-off needs a gravity factor ≥ 0 other than 1, got ${value}`;
    case 'gravity-inconsistent':
      return value > 0 && value !== 1 ? null : `gravity-inconsistent needs a gravity factor > 0 other than 1, got ${value}`;
    case 'energy-gain':
      return value > 1 && value <= 3 ? null : `energy-gain needs a restitution above 1 (at most 3), got ${value}`;
    case 'teleport':
      return value > 0 && value < 1 ? null : `teleport needs a jump between 0 and 1 frame widths, got ${value}`;
    case 'vanish':
      return value > 0 ? null : `vanish needs a positive duration in seconds, got ${value}`;
    case 'size-change':
      return value > 0 && value !== 1 ? null : `size-change needs a final size factor > 0 other than 1, got ${value}`;
    case 'shape-change':
      return value >= 0.25 && value <= 4 && value !== 1 ? null : `shape-change needs a width over height in [0.25, 4] other than 1, got ${value}`;
    case 'flicker':
      return value !== 0 && Math.abs(value) <= 1 ? null : `flicker needs a relative brightness step in [-1, 1] other than 0, got ${value}`;
    case 'appearance-change':
      return value > 0 && value <= 10 ? null : `appearance-change needs a morph duration in s in (0, 10], got ${value}`;
    case 'av-desync':
      return value !== 0 && Math.abs(value) <= 5000 ? null : `av-desync needs an offset in ms in [-5000, 5000] other than 0, got ${value}`;
    case 'momentum-violation':
      return value > 0 && value !== 1 && value <= 5 ? null : `momentum-violation needs a speed factor in (0, 5] other than 1, got ${value}`;
    case 'cloth-stretch':
    case 'faster-than-gravity':
    case 'no-settling':
    case 'cloth-pop':
      return clothDefectValueProblem(code, value);
    case 'volume-not-conserved':
    case 'surface-not-level':
    case 'stream-continuity':
    case 'fluid-appears':
    case 'fluid-vanishes':
      return fluidDefectValueProblem(code, value);
  }
}

/**
 * Parses the CLI form `NAME[=VALUE][@TARGET]` (e.g. `gravity-off=0.6`, `flicker`,
 * `gravity-off=0.5@droplets`); unknown names fail with a suggestion, bad values with the range the
 * defect accepts, unknown targets with the one there is.
 */
export function parseDefect(text: string): DefectRequest & { value: number } {
  const [request = '', targetText] = text.trim().split('@', 2);
  if (targetText !== undefined && targetText !== 'droplets') {
    throw new SimError('unknown-defect', text, `unknown defect target '${targetText}'; the one target is droplets (gravity-off on a splash's droplets only)`);
  }
  const [name = '', valueText] = request.split('=', 2);
  if (!isDefectCode(name)) {
    throw new SimError('unknown-defect', text, `unknown defect '${name}'${didYouMean(name, DEFECT_CODES)}; known defects: ${DEFECT_CODES.join(', ')}`);
  }
  const value = valueText === undefined ? DEFECTS[name].defaultValue : Number(valueText);
  if (valueText !== undefined && (valueText.trim() === '' || Number.isNaN(value))) {
    throw new SimError('invalid-defect-value', text, `'${valueText}' is not a number`);
  }
  const problem = defectValueProblem(name, value);
  if (problem !== null) throw new SimError('invalid-defect-value', text, problem);
  return targetText === undefined ? { code: name, value } : { code: name, value, target: targetText };
}

/** The world with a physics defect planted (gravity, the first bounce, the first collision); others leave it as is. */
export function withPhysicsDefect(world: WorldSpec, code: DefectCode, value: number): WorldSpec {
  switch (code) {
    case 'gravity-off':
      return { ...world, gravityScale: value };
    case 'gravity-inconsistent':
      return { ...world, gravityScaleAfterFirstContact: value };
    case 'energy-gain':
      return { ...world, firstBounceRestitution: value };
    case 'momentum-violation':
      return { ...world, firstCollisionSpeedScale: value };
    default:
      return world;
  }
}

/**
 * The colour ball `ballIndex` is drawn in at `timeS`: for a planted appearance-change, ball 0 moves
 * linearly from its colour to the complement 255 − c over the defect's VALUE seconds from its start.
 */
export function withColourDefect<C extends Rgb | undefined>(colour: C, ballIndex: number, timeS: number, defect: PlantedDefect | null): C {
  if (colour === undefined || ballIndex !== 0 || defect?.code !== 'appearance-change') return colour;
  const progress = Math.min(1, Math.max(0, (timeS - defect.atS) / defect.value));
  return colour.map((c) => c + progress * (255 - 2 * c)) as C;
}

/** A planted shape-change squashes the ball over this long, s, before it keeps its new outline. */
export const SHAPE_MORPH_S = 0.2;

/**
 * Width over height of the outline ball `ballIndex` is drawn with at `timeS`: 1 (a disc), but for a
 * planted shape-change ball 0's, which moves linearly from 1 to VALUE over SHAPE_MORPH_S from its start.
 */
export function shapeAxisRatio(ballIndex: number, timeS: number, defect: PlantedDefect | null): number {
  if (ballIndex !== 0 || defect?.code !== 'shape-change') return 1;
  const progress = Math.min(1, Math.max(0, (timeS - defect.atS) / SHAPE_MORPH_S));
  return 1 + progress * (defect.value - 1);
}

/** Free-flight intervals of one ball within the clip, split at its contacts. */
export function flightIntervals(history: BallHistory, durationS: number): Array<[startS: number, endS: number]> {
  const contactTimes = new Set(history.contacts.map((contact) => contact.timeS));
  const intervals: Array<[number, number]> = [];
  history.segments.forEach((segment, index) => {
    const endS = Math.min(history.segments[index + 1]?.startS ?? durationS, durationS);
    if (segment.mode !== 'flight' || endS <= segment.startS) return;
    const last = intervals[intervals.length - 1];
    if (last !== undefined && last[1] === segment.startS && !contactTimes.has(segment.startS)) last[1] = endS;
    else intervals.push([segment.startS, endS]);
  });
  return intervals;
}

/** Frame indices k with k/fps inside [startS, endS]. */
function framesWithin(startS: number, endS: number, fps: number): { first: number; last: number } {
  return { first: Math.ceil(startS * fps - FRAME_EPS_S), last: Math.floor(endS * fps + FRAME_EPS_S) };
}

function longestFlight(simulation: Simulation, durationS: number): [number, number] | null {
  const history = simulation.balls[0];
  if (history === undefined) return null;
  let best: [number, number] | null = null;
  for (const interval of flightIntervals(history, durationS)) {
    if (best === null || interval[1] - interval[0] > best[1] - best[0]) best = interval;
  }
  return best;
}

/** Frames of flight a changed gravity needs on each side of the contact where it changes, to show two gravities. */
const INCONSISTENT_SIDE_FRAMES = 6;

/** Frames a jump needs on each side of it to be seen as a jump, not as the start or end of a track. */
const TELEPORT_SIDE_FRAMES = 3;

/** Frames a planted shape-change must show its final outline for: a metric judges a sustained shape, not one frame. */
const SHAPE_SHOWN_FRAMES = 10;

/**
 * When a defect starts in this clip, or why it cannot be planted (e.g. energy-gain without a
 * bounce). `simulation` is the ideal one: every defect starts before the physics it changes.
 */
export function defectTiming(
  code: DefectCode,
  value: number,
  simulation: Simulation,
  settings: ClipSettings,
): { atS: number } | { problem: string } {
  const { fps, durationS } = settings;
  const lastFrameS = (settings.frameCount - 1) / fps;
  const firstContact = simulation.contacts[0];
  // The planted restitution replaces that of the first floor contact, which must be a real bounce.
  const firstFloor = simulation.contacts.find((contact) => contact.kind === 'floor');
  switch (code) {
    case 'gravity-off':
    case 'size-change':
      return { atS: 0 };
    case 'shape-change': {
      // On a frame a third of the way in, with the morph and the frames that show the new outline still in the clip.
      const atS = Math.max(1, Math.round((lastFrameS / 3) * fps)) / fps;
      if (atS + SHAPE_MORPH_S + SHAPE_SHOWN_FRAMES / fps > lastFrameS + FRAME_EPS_S) {
        return { problem: `shape-change needs ${SHAPE_MORPH_S} s of morph and ${SHAPE_SHOWN_FRAMES} frames after it from ${atS.toFixed(2)} s, and the clip ends at ${lastFrameS.toFixed(2)} s` };
      }
      return { atS };
    }
    case 'flicker':
      return settings.frameCount >= 2 ? { atS: 1 / fps } : { problem: 'flicker needs at least two frames' };
    case 'appearance-change': {
      // Centred in the clip, on a frame, with at least a quarter of the clip unchanged before and after it.
      const atS = Math.max(1, Math.round(((lastFrameS - value) / 2) * fps)) / fps;
      if (value > lastFrameS / 2) return { problem: `appearance-change over ${value} s needs a clip of at least ${(2 * value).toFixed(2)} s` };
      return { atS };
    }
    case 'gravity-inconsistent':
      // The changed gravity must act on a flight after the contact, seen in a few frames, and the
      // gravity it changes from on a flight before it: else the clip just has another gravity.
      if (firstContact === undefined || (firstContact.kind === 'floor' && firstContact.restitution === 0)) {
        return { problem: `gravity-inconsistent needs a contact followed by flight, and there is none in ${durationS} s` };
      }
      if (firstContact.timeS < INCONSISTENT_SIDE_FRAMES / fps) {
        return { problem: `gravity-inconsistent needs flight before the first contact, which is at ${firstContact.timeS.toFixed(3)} s, too near the start` };
      }
      if (firstContact.timeS > lastFrameS - INCONSISTENT_SIDE_FRAMES / fps) {
        return { problem: `gravity-inconsistent needs flight after the first contact, which is at ${firstContact.timeS.toFixed(3)} s, too near the end` };
      }
      return { atS: firstContact.timeS };
    case 'energy-gain':
      if (firstFloor === undefined || firstFloor.restitution === 0) return { problem: `energy-gain needs a bounce, but no ball bounces on the floor in ${durationS} s` };
      if (firstFloor.timeS > lastFrameS - 3 / fps) {
        return { problem: `energy-gain needs frames after the first bounce, which is at ${firstFloor.timeS.toFixed(3)} s, too near the end` };
      }
      return { atS: firstFloor.timeS };
    case 'teleport': {
      const flight = longestFlight(simulation, durationS);
      const frames = flight === null ? null : framesWithin(flight[0], flight[1], fps);
      if (frames === null || frames.last - frames.first + 1 < 2 * TELEPORT_SIDE_FRAMES) {
        return { problem: `teleport needs a free flight of at least ${2 * TELEPORT_SIDE_FRAMES} frames` };
      }
      return { atS: Math.round((frames.first + frames.last + 1) / 2) / fps };
    }
    case 'vanish': {
      const flight = longestFlight(simulation, durationS);
      const middleS = flight === null ? durationS / 2 : (flight[0] + flight[1]) / 2;
      // Hidden frames: k/fps in [atS, atS + value); at least one, and frames visible before and after.
      const firstHidden = Math.max(1, Math.ceil((middleS - value / 2) * fps - FRAME_EPS_S));
      const atS = firstHidden / fps;
      const lastHidden = Math.ceil((atS + value) * fps - FRAME_EPS_S) - 1;
      if (lastHidden < firstHidden) return { problem: `vanish for ${value} s hides no frame at ${fps} fps` };
      if (lastHidden >= settings.frameCount - 1) return { problem: `vanish for ${value} s does not fit in a ${durationS} s clip` };
      return { atS };
    }
    case 'av-desync': {
      if (!settings.audio) return { problem: 'av-desync needs audio, and audio is off' };
      const shifted = simulation.contacts.map((contact) => contact.timeS + value / 1000).filter((timeS) => timeS >= 0 && timeS < durationS);
      if (shifted.length === 0 || firstContact === undefined) return { problem: `av-desync needs an impact sound within the clip, and there is none` };
      return { atS: firstContact.timeS };
    }
    case 'momentum-violation': {
      // The fits on either side of the collision need frames: MIN_ARC_POINTS before, a few more after.
      const collision = simulation.contacts.find((contact) => contact.kind === 'ball');
      if (collision === undefined) return { problem: `momentum-violation needs a collision between two balls, and there is none in ${durationS} s` };
      if (collision.timeS < 3 / fps || collision.timeS > lastFrameS - 6 / fps) {
        return { problem: `momentum-violation needs frames before and after the collision, which is at ${collision.timeS.toFixed(3)} s` };
      }
      return { atS: collision.timeS };
    }
    case 'cloth-stretch':
    case 'faster-than-gravity':
    case 'no-settling':
    case 'cloth-pop':
      return { problem: `${code} is a cloth defect, and this is a rigid-ball scene` };
    case 'volume-not-conserved':
    case 'surface-not-level':
    case 'stream-continuity':
    case 'fluid-appears':
    case 'fluid-vanishes':
      return { problem: `${code} is a fluid defect, and this is a rigid-ball scene` };
  }
}

/** Defects `simulateClip` can plant in this prompt with their default values (ball defects for balls, cloth defects for cloth, fluid defects for fluids). */
export function applicableDefects(prompt: Prompt, options: SimOptions = {}): DefectCode[] {
  if (isClothPrompt(prompt)) {
    const settings = resolveSettings(prompt, options);
    const ideal = simulateCloth(buildClothScene(prompt), prompt.expect.gravityMS2, settings.fps, settings.frameCount);
    return CLOTH_DEFECT_CODES.filter((code) => 'atS' in clothDefectTiming(code, ideal, settings));
  }
  if (isFluidPrompt(prompt)) {
    const settings = resolveSettings(prompt, options);
    const ideal = simulateFluid(buildFluidScene(prompt), settings.fps, settings.frameCount, NO_FLUID_DEFECT);
    return FLUID_DEFECT_CODES.filter((code: FluidDefectCode) => 'atS' in fluidDefectTiming(code, ideal, settings));
  }
  if (!isBallCategory(prompt)) return [];
  const settings = resolveSettings(prompt, options);
  const simulation = simulate(buildScene(prompt, settings.durationS).world);
  return DEFECT_CODES.filter((code) => 'atS' in defectTiming(code, DEFECTS[code].defaultValue, simulation, settings));
}

/**
 * The defect `sim:flawed` plants for this prompt and seed: one of the applicable defects it picks from, chosen by
 * a stable hash of the prompt id and the seed. Null when none applies.
 */
export function chooseDefect(prompt: Prompt, seed: number, options: SimOptions = {}): Omit<PlantedDefect, 'atS'> | null {
  const code = pickBySeed(applicableDefects(prompt, options).filter((c) => PICKED_DEFECT_CODES.includes(c)), prompt.id, seed);
  return code === null ? null : { code, value: DEFECTS[code].defaultValue };
}

/** sim:flawed's choice among `candidates`: the one a stable hash (FNV-1a) of the prompt id and seed picks; null when there is none. */
export function pickBySeed<T>(candidates: readonly T[], promptId: string, seed: number): T | null {
  return candidates.length === 0 ? null : (candidates[fnv1a32(`${promptId}#${seed}`) % candidates.length] as T);
}

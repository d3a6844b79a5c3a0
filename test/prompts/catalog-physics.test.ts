import { describe, it, expect } from 'vitest';
import { BALL_CATEGORIES, loadCatalog, type Prompt } from '../../prompts/index.js';

const catalog = loadCatalog();
const ballPrompts = catalog.filter((prompt) => BALL_CATEGORIES.includes(prompt.category));

/** Fall time from rest through heightM: t = sqrt(2h/g). */
function fallTimeS(heightM: number, gravityMS2: number): number {
  return Math.sqrt((2 * heightM) / gravityMS2);
}

/** First landing of a launch from heightM: the positive root of h + vy·t − g·t²/2 = 0; returns time and downward speed. */
function landing(heightM: number, upSpeedMS: number, gravityMS2: number): { timeS: number; speedMS: number } {
  const impactSpeedMS = Math.sqrt(upSpeedMS * upSpeedMS + 2 * gravityMS2 * heightM);
  return { timeS: (upSpeedMS + impactSpeedMS) / gravityMS2, speedMS: impactSpeedMS };
}

/** Bounce times after a first impact: each flight lasts 2·e·v/g and the next impact speed is e·v. */
function bounceTimesS(firstS: number, impactSpeedMS: number, restitution: number, gravityMS2: number, untilS: number): number[] {
  const times: number[] = [];
  let timeS = firstS;
  let speedMS = impactSpeedMS;
  while (timeS <= untilS && times.length < 1000) {
    times.push(timeS);
    speedMS *= restitution;
    if (speedMS <= 0) break;
    timeS += (2 * speedMS) / gravityMS2;
  }
  return times;
}

/**
 * Contacts an analytic model of the setup predicts within the clip. The largest allowed restitution
 * gives the longest flights, so the fewest contacts: a scene passes only if even that ball makes enough.
 */
function predictedContactTimesS(prompt: Prompt): number[] {
  const g = prompt.expect.gravityMS2;
  const e = prompt.expect.restitution?.max ?? 0;
  const { heightM, speedMS = 0, angleDeg = 0, tableHeightM, distanceM } = prompt.setup;
  const upSpeedMS = speedMS * Math.sin((angleDeg * Math.PI) / 180);
  switch (prompt.category) {
    case 'drop':
    case 'bounce':
    case 'impact-sound': {
      if (heightM === undefined) throw new Error(`${prompt.id}: no setup.heightM`);
      return bounceTimesS(fallTimeS(heightM, g), Math.sqrt(2 * g * heightM), e, g, prompt.durationS);
    }
    case 'projectile': {
      const first = landing(heightM ?? 0, upSpeedMS, g);
      return bounceTimesS(first.timeS, first.speedMS, e, g, prompt.durationS);
    }
    case 'rolling': {
      if (tableHeightM === undefined) throw new Error(`${prompt.id}: no setup.tableHeightM`);
      return bounceTimesS(fallTimeS(tableHeightM, g), Math.sqrt(2 * g * tableHeightM), e, g, prompt.durationS);
    }
    case 'collision': {
      if (distanceM === undefined || speedMS <= 0) throw new Error(`${prompt.id}: no setup.distanceM or speedMS`);
      // The closing speed is at least one ball's speed, so the balls meet no later than gap / speed.
      const meetS = distanceM / speedMS;
      // A head-on impulse at equal heights is horizontal: the fall to the floor goes on as if untouched.
      const floor = heightM === undefined ? [] : [landing(heightM, upSpeedMS, g)];
      return [meetS, ...floor.flatMap((f) => bounceTimesS(f.timeS, f.speedMS, e, g, prompt.durationS))].filter(
        (timeS) => timeS <= prompt.durationS,
      );
    }
    default:
      throw new Error(`${prompt.id}: ${prompt.category} is not a ball category`);
  }
}

/** Every number of the form "12 m/s" in a text, in m/s. */
function speedsInTextMS(text: string): number[] {
  return [...text.matchAll(/(\d+(?:\.\d+)?) m\/s/g)].map((match) => Number(match[1]));
}

/** Lengths written as "1.5 m", "30.5 cm", "25 mm", in metres. */
function lengthsInTextM(text: string): number[] {
  const scale: Record<string, number> = { m: 1, cm: 0.01, mm: 0.001 };
  return [...text.matchAll(/(\d+(?:\.\d+)?) ?(mm|cm|m)\b/g)].map((match) => Number(match[1]) * (scale[match[2] ?? 'm'] ?? 1));
}

function closeTo(value: number, candidates: readonly number[], relative: number): boolean {
  return candidates.some((candidate) => Math.abs(candidate - value) <= relative * value);
}

describe('analytic model used by the checks', () => {
  it('gives the textbook fall time and bounce series', () => {
    // A ball dropped from 2 m lands at sqrt(4 / 9.81) = 0.6386 s.
    expect(fallTimeS(2, 9.81)).toBeCloseTo(0.6386, 4);
    // 45° launch from the ground at 10 m/s: flight 2·v·sin45/g = 1.4416 s.
    expect(landing(0, 10 * Math.SQRT1_2, 9.81).timeS).toBeCloseTo(1.4416, 4);
    // e = 0.5 after an impact at 9.81 m/s: flights of 2·e·v/g = 1 s, then 0.5 s, then 0.25 s.
    expect(bounceTimesS(0.5, 9.81, 0.5, 9.81, 2.2)).toEqual([0.5, 1.5, 2]);
  });
});

describe('ball prompts are physically consistent', () => {
  it.each(ballPrompts.map((prompt) => [prompt.id, prompt] as const))('%s', (_id, prompt) => {
    const { restitution, contacts, objects } = prompt.expect;
    expect(prompt.expect.gravityMS2).toBe(9.81);
    if (prompt.category !== 'drop' || restitution !== undefined) {
      expect(restitution, 'restitution range').toBeDefined();
      expect(restitution?.min).toBeGreaterThan(0);
      expect(restitution?.max).toBeLessThan(1);
    }
    for (const object of objects) {
      expect(object.diameterM).toBeGreaterThan(0);
      expect(object.diameterM, `${object.name} diameter`).toBeLessThan(0.3);
      if (object.massKg !== undefined) {
        // Mean density: a hollow ping-pong ball (~80 kg/m³) up to solid steel (~7850 kg/m³); catches g-for-kg slips.
        const densityKgM3 = object.massKg / ((Math.PI / 6) * object.diameterM ** 3);
        expect(densityKgM3, `${object.name} density`).toBeGreaterThan(30);
        expect(densityKgM3, `${object.name} density`).toBeLessThan(8100);
      }
    }
    expect(contacts, 'contacts').toBeGreaterThanOrEqual(1);
    expect(predictedContactTimesS(prompt).length).toBeGreaterThanOrEqual(contacts ?? 0);
  });
});

describe('every prompt states its setup in its text', () => {
  it.each(catalog.map((prompt) => [prompt.id, prompt] as const))('%s', (_id, prompt) => {
    const { heightM, tableHeightM, speedMS, angleDeg } = prompt.setup;
    const lengths = lengthsInTextM(prompt.text);
    for (const value of [heightM, tableHeightM]) if (value !== undefined) expect(closeTo(value, lengths, 1e-9), `${value} m`).toBe(true);
    if (speedMS !== undefined) expect(closeTo(speedMS, speedsInTextMS(prompt.text), 0.05), `${speedMS} m/s`).toBe(true);
    if (angleDeg !== undefined) expect(prompt.text).toContain(`${angleDeg}°`);
    if (prompt.expect.audibleImpacts) expect(prompt.text).toMatch(/sound|click|clack|clink|thud|thump|smack|tick/i);
  });
});

describe('regulation figures', () => {
  it('match the rebound tests they come from', () => {
    // ITF: 135–147 cm rebound from 254 cm; e = sqrt(rebound / drop).
    const tennis = loadCatalog().find((prompt) => prompt.id === 'tennis-ball-bounce-concrete');
    expect(tennis?.expect.restitution?.min).toBeCloseTo(Math.sqrt(135 / 254), 2);
    expect(tennis?.expect.restitution?.max).toBeCloseTo(Math.sqrt(147 / 254), 2);
    // FIBA: from 1.8 m to the bottom, rebound 1.2–1.4 m to the top of a 0.239 m ball.
    const basketball = loadCatalog().find((prompt) => prompt.id === 'basketball-drop-test-portrait');
    expect(basketball?.expect.restitution?.min).toBeCloseTo(Math.sqrt((1.2 - 0.239) / 1.8), 2);
    expect(basketball?.expect.restitution?.max).toBeCloseTo(Math.sqrt((1.4 - 0.239) / 1.8), 2);
  });
});

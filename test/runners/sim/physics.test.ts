import { describe, expect, it } from 'vitest';
import { promptSchema, type Category } from '../../../prompts/schema.js';
import { withPhysicsDefect } from '../../../runners/sim/defects.js';
import {
  linearContactTime,
  PHYSICS_DEFAULTS,
  positionAt,
  segmentAt,
  simulate,
  timeToFloor,
  velocityAt,
  type Simulation,
  type WorldSpec,
} from '../../../runners/sim/physics.js';
import { buildScene } from '../../../runners/sim/scene.js';

const G = 9.81;

function prompt(category: Category, setup: Record<string, number> = {}, objects?: object[]) {
  return promptSchema.parse({
    id: `physics-${category}`,
    text: 'a ball moves under gravity in a plain room',
    category,
    durationS: 3,
    setup,
    expect: { objects: objects ?? [{ name: 'ball', diameterM: 0.067, massKg: 0.058 }], restitution: { min: 0.7, max: 0.8 } },
  });
}

function world(category: Category, setup: Record<string, number> = {}, objects?: object[], durationS = 3): WorldSpec {
  return buildScene(prompt(category, setup, objects), durationS).world;
}

/** Total mechanical energy (kinetic + potential) just after `timeS`, J. */
function energyAfter(simulation: Simulation, timeS: number, gravityMS2: number): number {
  return simulation.balls.reduce((sum, history, index) => {
    const ball = simulation.spec.balls[index];
    if (ball === undefined) return sum;
    const segment = segmentAt(history.segments, timeS);
    const { vxMS, vyMS } = velocityAt(segment, timeS);
    const { yM } = positionAt(segment, timeS);
    return sum + 0.5 * ball.massKg * (vxMS * vxMS + vyMS * vyMS) + ball.massKg * gravityMS2 * yM;
  }, 0);
}

describe('closed forms', () => {
  it('timeToFloor solves h + v·τ − ½gτ² = 0 for the positive root, also without cancellation', () => {
    expect(timeToFloor(1.2, 0, G)).toBeCloseTo(Math.sqrt((2 * 1.2) / G), 14);
    expect(timeToFloor(0, 3, G)).toBeCloseTo(6 / G, 14);
    // A fast downward throw from 1 µm: naive (v + √D)/g would lose most digits here.
    const tau = timeToFloor(1e-6, -30, G) as number;
    expect(1e-6 - 30 * tau - 0.5 * G * tau * tau).toBeCloseTo(0, 18);
    expect(timeToFloor(0.5, 1, 0)).toBeNull();
    expect(timeToFloor(0.5, -2, 0)).toBeCloseTo(0.25, 15);
  });

  it('linearContactTime finds when two bodies on straight lines come within reach', () => {
    // Head-on: gap 1 m closing at 2 m/s, reach 0.2 m → 0.4 s.
    expect(linearContactTime(1, 0, -2, 0, 0.2)).toBeCloseTo(0.4, 15);
    // Oblique: offset 0.1 in y, reach 0.2 → contact at dx = √0.03.
    const tau = linearContactTime(1, 0.1, -1, 0, 0.2) as number;
    expect(1 - tau).toBeCloseTo(Math.sqrt(0.03), 14);
    expect(linearContactTime(1, 0, 2, 0, 0.2)).toBeNull(); // separating
    expect(linearContactTime(1, 0.5, -1, 0, 0.2)).toBeNull(); // passes by
  });
});

describe('a dropped ball', () => {
  const spec = world('drop', { heightM: 1.2 });
  const simulation = simulate(spec);
  const ball = spec.balls[0]!;
  const history = simulation.balls[0]!;
  const e = ball.restitution;

  it('uses the middle of the restitution range and starts at rest with its bottom at heightM', () => {
    expect(e).toBeCloseTo(0.75, 15);
    expect(ball.yM - ball.radiusM).toBeCloseTo(1.2, 15);
    expect(ball.vxMS).toBe(0);
  });

  it('hits the floor at √(2h/g) and each later contact 2·v/g after the previous, v shrinking by e', () => {
    const expected: number[] = [];
    let timeS = Math.sqrt((2 * 1.2) / G);
    let speedMS = G * timeS;
    while (timeS <= 3) {
      expected.push(timeS);
      speedMS *= e;
      // Once the rebound apex is under the rest threshold the ball stays down.
      if ((speedMS * speedMS) / (2 * G) < PHYSICS_DEFAULTS.restReboundM) break;
      timeS += (2 * speedMS) / G;
    }
    const contacts = history.contacts.map((contact) => contact.timeS);
    expect(contacts.length).toBe(expected.length);
    contacts.forEach((timeS, index) => expect(Math.abs(timeS - (expected[index] ?? NaN))).toBeLessThan(1e-12));
  });

  it('follows y = y0 + vy·τ − ½gτ² on every arc, to 1e-9 m at every frame time', () => {
    // Independent bookkeeping: arc k starts at contact k on the floor with upward speed e^k·g·t1.
    const contacts = history.contacts.map((contact) => contact.timeS);
    const firstS = contacts[0]!;
    for (let k = 0; k < 90; k += 1) {
      const timeS = k / 30;
      const arc = contacts.filter((contactS) => contactS <= timeS).length;
      const startS = arc === 0 ? 0 : contacts[arc - 1]!;
      const y0 = arc === 0 ? ball.yM : ball.radiusM;
      const vy = arc === 0 ? 0 : G * firstS * e ** arc;
      const tau = timeS - startS;
      const { xM, yM } = positionAt(segmentAt(history.segments, timeS), timeS);
      expect(Math.abs(yM - (y0 + vy * tau - 0.5 * G * tau * tau))).toBeLessThan(1e-9);
      expect(xM).toBe(0);
    }
  });

  it('rebounds with exactly e times the impact speed', () => {
    for (const contact of history.contacts.slice(0, 4)) {
      const before = velocityAt(segmentAt(history.segments, contact.timeS - 1e-9), contact.timeS);
      const after = velocityAt(segmentAt(history.segments, contact.timeS), contact.timeS);
      expect(after.vyMS / -before.vyMS).toBeCloseTo(e, 12);
      expect(contact.restitution).toBe(e);
    }
  });

  it('comes to rest on the floor and stays there', () => {
    const long = simulate({ ...spec, durationS: 10 });
    const last = long.balls[0]!.segments.at(-1)!;
    expect(last.mode).toBe('rest');
    expect(positionAt(last, 10).yM).toBe(ball.radiusM);
    expect(long.contacts.at(-1)!.restitution).toBe(0);
  });
});

describe('energy', () => {
  for (const category of ['drop', 'bounce', 'projectile', 'rolling', 'collision'] as Category[]) {
    it(`never grows in a ${category} scene`, () => {
      const spec = world(category, {}, [
        { name: 'a', diameterM: 0.067, massKg: 0.058 },
        { name: 'b', diameterM: 0.1, massKg: 0.2 },
      ]);
      const simulation = simulate(spec);
      const times = [0, ...simulation.balls.flatMap((history) => history.segments.map((segment) => segment.startS))].sort((a, b) => a - b);
      let previous = Infinity;
      for (const timeS of times) {
        const energy = energyAfter(simulation, timeS, G);
        expect(energy).toBeLessThanOrEqual(previous + 1e-12);
        previous = energy;
      }
    });
  }

  it('grows at the first bounce with the energy-gain defect (restitution 1.25)', () => {
    const spec = withPhysicsDefect(world('drop'), 'energy-gain', 1.25);
    const simulation = simulate(spec);
    const first = simulation.contacts[0]!;
    expect(first.restitution).toBe(1.25);
    expect(energyAfter(simulation, first.timeS, G)).toBeGreaterThan(energyAfter(simulation, 0, G) * 1.5);
    expect(simulation.contacts[1]!.restitution).toBeCloseTo(0.75, 15);
  });
});

describe('gravity defects', () => {
  it('gravity-off scales g for the whole clip', () => {
    const simulation = simulate(withPhysicsDefect(world('drop', { heightM: 1.2 }), 'gravity-off', 0.5));
    expect(simulation.contacts[0]!.timeS).toBeCloseTo(Math.sqrt((2 * 1.2) / (0.5 * G)), 12);
    expect(simulation.balls[0]!.segments[0]!.ayMS2).toBe(-0.5 * G);
  });

  it('gravity-inconsistent scales g only after the first contact', () => {
    const simulation = simulate(withPhysicsDefect(world('drop', { heightM: 1.2 }), 'gravity-inconsistent', 0.5));
    const [first, second] = simulation.contacts;
    const t1 = Math.sqrt((2 * 1.2) / G);
    expect(first!.timeS).toBeCloseTo(t1, 12);
    // The rebound e·g·t1 now decelerates at g/2, so the arc lasts twice as long.
    expect(second!.timeS - first!.timeS).toBeCloseTo((2 * 0.75 * G * t1) / (0.5 * G), 12);
  });
});

describe('rolling off a table', () => {
  const spec = world('rolling', { tableHeightM: 0.75, speedMS: 1.2 });
  const simulation = simulate(spec);
  const ball = spec.balls[0]!;
  const history = simulation.balls[0]!;

  it('rolls at constant speed on the table top and leaves it when its centre passes the edge', () => {
    const leftS = history.leftTableS!;
    expect(leftS).toBeCloseTo(-ball.xM / 1.2, 14);
    const onTable = positionAt(segmentAt(history.segments, leftS / 2), leftS / 2);
    expect(onTable.yM).toBe(0.75 + ball.radiusM);
    expect(onTable.xM).toBeCloseTo(ball.xM / 2, 14);
    const atEdge = positionAt(segmentAt(history.segments, leftS), leftS);
    expect(atEdge.xM).toBeCloseTo(0, 14);
  });

  it('then falls from the table height and lands after √(2h/g)', () => {
    const landS = history.contacts[0]!.timeS;
    expect(landS - history.leftTableS!).toBeCloseTo(Math.sqrt((2 * 0.75) / G), 12);
    const { xM } = positionAt(segmentAt(history.segments, landS), landS);
    expect(xM).toBeCloseTo(1.2 * Math.sqrt((2 * 0.75) / G), 12);
  });
});

describe('a collision between two balls', () => {
  const spec = world('collision', {}, [
    { name: 'light', diameterM: 0.067, massKg: 0.058 },
    { name: 'heavy', diameterM: 0.1, massKg: 0.2 },
  ]);
  const simulation = simulate(spec);
  const contact = simulation.contacts.find((candidate) => candidate.kind === 'ball')!;

  it('happens in the air, at the distance of the two radii, and is recorded for both balls', () => {
    expect(contact).toBeDefined();
    expect(contact.balls).toEqual([0, 1]);
    const [a, b] = simulation.balls.map((history) => positionAt(segmentAt(history.segments, contact.timeS), contact.timeS));
    expect(Math.hypot(b!.xM - a!.xM, b!.yM - a!.yM)).toBeCloseTo(0.0335 + 0.05, 12);
    expect(a!.yM).toBeGreaterThan(0.2);
    expect(simulation.balls[0]!.contacts[0]).toBe(contact);
    expect(simulation.balls[1]!.contacts[0]).toBe(contact);
  });

  it('conserves momentum and applies the restitution along the line of centres', () => {
    const before = simulation.balls.map((history) => velocityAt(segmentAt(history.segments, contact.timeS - 1e-9), contact.timeS));
    const after = simulation.balls.map((history) => velocityAt(segmentAt(history.segments, contact.timeS), contact.timeS));
    const [m1, m2] = [0.058, 0.2];
    expect(m1 * after[0]!.vxMS + m2 * after[1]!.vxMS).toBeCloseTo(m1 * before[0]!.vxMS + m2 * before[1]!.vxMS, 12);
    expect(m1 * after[0]!.vyMS + m2 * after[1]!.vyMS).toBeCloseTo(m1 * before[0]!.vyMS + m2 * before[1]!.vyMS, 12);
    const [a, b] = simulation.balls.map((history) => positionAt(segmentAt(history.segments, contact.timeS), contact.timeS));
    const distance = Math.hypot(b!.xM - a!.xM, b!.yM - a!.yM);
    const [nx, ny] = [(b!.xM - a!.xM) / distance, (b!.yM - a!.yM) / distance];
    const normal = (v: { vxMS: number; vyMS: number }): number => v.vxMS * nx + v.vyMS * ny;
    const closingBefore = normal(before[0]!) - normal(before[1]!);
    const closingAfter = normal(after[0]!) - normal(after[1]!);
    expect(closingBefore).toBeGreaterThan(0);
    expect(closingAfter / closingBefore).toBeCloseTo(-0.75, 12);
    // The contact is oblique (the second ball starts higher), so the normal is not horizontal.
    expect(Math.abs(ny)).toBeGreaterThan(0.2);
  });

  it('sends the balls apart to bounce on the floor on their own sides', () => {
    const floorContacts = simulation.contacts.filter((candidate) => candidate.kind === 'floor');
    expect(floorContacts.some((candidate) => candidate.balls[0] === 0)).toBe(true);
    expect(floorContacts.some((candidate) => candidate.balls[0] === 1)).toBe(true);
    const end = simulation.balls.map((history) => positionAt(segmentAt(history.segments, 3), 3));
    expect(end[0]!.xM).toBeLessThan(end[1]!.xM);
  });
});

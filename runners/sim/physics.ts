import { SimError } from './errors.js';

/**
 * Event-driven analytic simulation of rigid balls. World in metres: x right, y up, floor at y = 0.
 * Between two events every ball moves with constant acceleration, so its position is an exact
 * polynomial of time; events (floor contact, leaving a table edge, coming to rest, ball–ball
 * contact) are found by solving for their time, never by stepping.
 */

/** How a ball moves during a segment; the mode fixes its acceleration. */
export type MotionMode = 'flight' | 'table' | 'floor-roll' | 'rest';

/** A ball's motion from `startS` to the next event: p(τ) = p0 + v0·τ + ½·a·τ², τ = t − startS. */
export interface Segment {
  startS: number;
  mode: MotionMode;
  xM: number;
  yM: number;
  vxMS: number;
  vyMS: number;
  axMS2: number;
  ayMS2: number;
}

export interface BallSpec {
  radiusM: number;
  massKg: number;
  /** Coefficient of restitution against the floor. */
  restitution: number;
  /** Initial centre position and velocity. */
  xM: number;
  yM: number;
  vxMS: number;
  vyMS: number;
  /** True when the ball starts rolling on the table top (its y must be tableHeightM + radiusM). */
  onTable: boolean;
}

/** A table occupying x ≤ edgeXM with its top at heightM. */
export interface Table {
  heightM: number;
  edgeXM: number;
}

export interface WorldSpec {
  gravityMS2: number;
  balls: BallSpec[];
  table: Table | null;
  /** Restitution of ball–ball contacts. */
  pairRestitution: number;
  durationS: number;
  /** Planted physics defects; 1 / null leave the physics untouched. */
  gravityScale: number;
  gravityScaleAfterFirstContact: number;
  firstBounceRestitution: number | null;
  /** Planted momentum-violation: the first ball of the first ball–ball collision leaves at this × its speed (absent or 1: exact). */
  firstCollisionSpeedScale?: number;
}

export interface Contact {
  timeS: number;
  kind: 'floor' | 'ball';
  /** Indices of the balls involved (one for the floor, two for a ball–ball contact). */
  balls: number[];
  /** Restitution actually applied (0 when the ball came to rest at this contact). */
  restitution: number;
  /** Closing speed along the contact normal just before the contact, m/s. */
  normalSpeedMS: number;
}

export interface BallHistory {
  segments: Segment[];
  /** Contacts this ball took part in, in time order. */
  contacts: Contact[];
  /** When the ball's centre passed the table edge, or null. */
  leftTableS: number | null;
}

export interface Simulation {
  spec: WorldSpec;
  balls: BallHistory[];
  /** Every contact of every ball in time order; a ball–ball contact appears once. */
  contacts: Contact[];
  /** Gravity before and after the first contact (differs only with gravity-inconsistent). */
  gravityMS2: number;
  gravityAfterFirstContactMS2: number;
}

/** Physics constants of the simulator, in one place. */
export const PHYSICS_DEFAULTS = {
  /** A rebound lower than this (apex above the floor, m) ends the bouncing: the ball stays down. */
  restReboundM: 0.001,
  /** Rolling friction on the floor as a fraction of g (a ball that stops bouncing then slows down). */
  rollingFrictionRatio: 0.2,
  /** Share of the horizontal velocity a ball keeps at a floor contact (friction takes the rest). */
  floorTangentialRetention: 0.8,
  /** Scan step for contacts between balls with different accelerations, s. */
  pairScanStepS: 0.0005,
  maxEvents: 10_000,
} as const;

/** Events closer than this to the current time are the event just handled. */
const TIME_EPS_S = 1e-12;

export function positionAt(segment: Segment, timeS: number): { xM: number; yM: number } {
  const tau = timeS - segment.startS;
  return {
    xM: segment.xM + segment.vxMS * tau + 0.5 * segment.axMS2 * tau * tau,
    yM: segment.yM + segment.vyMS * tau + 0.5 * segment.ayMS2 * tau * tau,
  };
}

export function velocityAt(segment: Segment, timeS: number): { vxMS: number; vyMS: number } {
  const tau = timeS - segment.startS;
  return { vxMS: segment.vxMS + segment.axMS2 * tau, vyMS: segment.vyMS + segment.ayMS2 * tau };
}

/** The segment a ball follows at `timeS` (the last one started at or before it). */
export function segmentAt(segments: readonly Segment[], timeS: number): Segment {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    const segment = segments[mid];
    if (segment !== undefined && segment.startS <= timeS) low = mid;
    else high = mid - 1;
  }
  const found = segments[low];
  if (found === undefined) throw new RangeError('a ball history has no segment');
  return found;
}

/**
 * Time until a falling body at height `heightAboveM` (≥ 0) with upward speed `vyMS` under gravity
 * `gravityMS2` comes down to 0: the positive root of h + v·τ − ½·g·τ² = 0, written in the form that
 * avoids cancellation. Null when it never does.
 */
export function timeToFloor(heightAboveM: number, vyMS: number, gravityMS2: number): number | null {
  if (gravityMS2 === 0) return vyMS < 0 ? heightAboveM / -vyMS : null;
  const discriminant = vyMS * vyMS + 2 * gravityMS2 * Math.max(heightAboveM, 0);
  if (discriminant < 0) return null;
  const root = Math.sqrt(discriminant);
  return vyMS >= 0 ? (vyMS + root) / gravityMS2 : (2 * Math.max(heightAboveM, 0)) / (root - vyMS);
}

/**
 * First time τ > 0 at which two bodies moving with constant relative velocity come to distance
 * `reachM`: the smaller root of |d0 + dv·τ|² = R², in its cancellation-free form. Null when they
 * are not approaching or pass each other at a greater distance.
 */
export function linearContactTime(dxM: number, dyM: number, dvxMS: number, dvyMS: number, reachM: number): number | null {
  const a = dvxMS * dvxMS + dvyMS * dvyMS;
  const halfB = dxM * dvxMS + dyM * dvyMS;
  const c = dxM * dxM + dyM * dyM - reachM * reachM;
  if (a === 0 || halfB >= 0) return null;
  const quarterDiscriminant = halfB * halfB - a * c;
  if (quarterDiscriminant < 0) return null;
  const tau = c / (-halfB + Math.sqrt(quarterDiscriminant));
  return tau >= 0 ? tau : null;
}

/** Relative separation of ball j from ball i at τ, for two segments that start at the same time. */
function separation(a: Segment, b: Segment, tau: number): { dxM: number; dyM: number; dvxMS: number; dvyMS: number } {
  const dax = b.axMS2 - a.axMS2;
  const day = b.ayMS2 - a.ayMS2;
  const dvx = b.vxMS - a.vxMS;
  const dvy = b.vyMS - a.vyMS;
  return {
    dxM: b.xM - a.xM + dvx * tau + 0.5 * dax * tau * tau,
    dyM: b.yM - a.yM + dvy * tau + 0.5 * day * tau * tau,
    dvxMS: dvx + dax * tau,
    dvyMS: dvy + day * tau,
  };
}

/**
 * Contact time of two balls whose segments start together. Equal accelerations make the relative
 * motion linear (closed form); otherwise the squared gap is a quartic, found by a fine scan and
 * bisection to machine precision.
 */
function pairContactTime(a: Segment, b: Segment, reachM: number, horizonS: number): number | null {
  if (a.axMS2 === b.axMS2 && a.ayMS2 === b.ayMS2) {
    return linearContactTime(b.xM - a.xM, b.yM - a.yM, b.vxMS - a.vxMS, b.vyMS - a.vyMS, reachM);
  }
  const gap = (tau: number): number => {
    const s = separation(a, b, tau);
    return s.dxM * s.dxM + s.dyM * s.dyM - reachM * reachM;
  };
  const step = PHYSICS_DEFAULTS.pairScanStepS;
  let low = 0;
  let gapLow = gap(0);
  for (let high: number = step; low < horizonS; high += step) {
    const gapHigh = gap(high);
    if (gapLow > 0 && gapHigh <= 0) {
      let lo = low;
      let hi = high;
      for (let i = 0; i < 80 && hi - lo > 1e-14; i += 1) {
        const mid = 0.5 * (lo + hi);
        if (gap(mid) > 0) lo = mid;
        else hi = mid;
      }
      return hi;
    }
    low = high;
    gapLow = gapHigh;
  }
  return null;
}

interface BallState {
  mode: MotionMode;
  xM: number;
  yM: number;
  vxMS: number;
  vyMS: number;
}

function segmentFor(state: BallState, startS: number, gravityMS2: number): Segment {
  const rollingDecel = PHYSICS_DEFAULTS.rollingFrictionRatio * gravityMS2;
  const axMS2 = state.mode === 'floor-roll' ? -Math.sign(state.vxMS) * rollingDecel : 0;
  const ayMS2 = state.mode === 'flight' ? -gravityMS2 : 0;
  return { startS, ...state, axMS2, ayMS2 };
}

type PendingEvent =
  | { kind: 'floor' | 'table-edge' | 'stop'; timeS: number; ball: number }
  | { kind: 'ball'; timeS: number; ball: number; other: number };

/** The next event of one ball on its own (floor, table edge, coming to a stop), or null. */
function ownEvent(segment: Segment, ball: BallSpec, table: Table | null, gravityMS2: number): number | null {
  switch (segment.mode) {
    case 'flight':
      return timeToFloor(segment.yM - ball.radiusM, segment.vyMS, gravityMS2);
    case 'table':
      if (table === null || segment.vxMS <= 0) return null;
      return Math.max(table.edgeXM - segment.xM, 0) / segment.vxMS;
    case 'floor-roll':
      return segment.axMS2 === 0 ? null : Math.abs(segment.vxMS / segment.axMS2);
    case 'rest':
      return null;
  }
}

/** Runs the event loop from t = 0 to `spec.durationS` and returns every ball's exact history. */
export function simulate(spec: WorldSpec): Simulation {
  const baseGravity = spec.gravityMS2 * spec.gravityScale;
  const laterGravity = baseGravity * spec.gravityScaleAfterFirstContact;
  let gravity = baseGravity;
  const histories: BallHistory[] = spec.balls.map((ball) => ({
    segments: [
      segmentFor(
        { mode: ball.onTable ? 'table' : 'flight', xM: ball.xM, yM: ball.yM, vxMS: ball.vxMS, vyMS: ball.vyMS },
        0,
        gravity,
      ),
    ],
    contacts: [],
    leftTableS: null,
  }));
  const contacts: Contact[] = [];
  let floorBounces = 0;
  let nowS = 0;
  // Balls whose own event was handled at nowS. Another ball's own event due at that same instant
  // (two balls dropped together reach the floor together) is still pending: a zero delay must not hide it.
  const handledAtNow = new Set<number>();

  for (let count = 0; ; count += 1) {
    if (count > PHYSICS_DEFAULTS.maxEvents) {
      throw new SimError('physics-runaway', 'simulation', `more than ${PHYSICS_DEFAULTS.maxEvents} events before ${spec.durationS} s`);
    }
    const current = histories.map((history) => history.segments[history.segments.length - 1] as Segment);
    let next: PendingEvent | null = null;
    const consider = (event: PendingEvent): void => {
      const simultaneous = event.kind !== 'ball' && event.timeS >= nowS - TIME_EPS_S && !handledAtNow.has(event.ball);
      if ((event.timeS > nowS + TIME_EPS_S || simultaneous) && (next === null || event.timeS < next.timeS)) next = event;
    };
    current.forEach((segment, index) => {
      const ball = spec.balls[index] as BallSpec;
      const tau = ownEvent(segment, ball, spec.table, gravity);
      if (tau === null) return;
      const kind = segment.mode === 'flight' ? 'floor' : segment.mode === 'table' ? 'table-edge' : 'stop';
      consider({ kind, timeS: nowS + tau, ball: index });
    });
    for (let i = 0; i < current.length; i += 1) {
      for (let j = i + 1; j < current.length; j += 1) {
        const reach = (spec.balls[i] as BallSpec).radiusM + (spec.balls[j] as BallSpec).radiusM;
        const tau = pairContactTime(current[i] as Segment, current[j] as Segment, reach, spec.durationS - nowS);
        if (tau !== null) consider({ kind: 'ball', timeS: nowS + tau, ball: i, other: j });
      }
    }
    const event = next as PendingEvent | null;
    if (event === null || event.timeS > spec.durationS) break;

    const eventS = event.timeS;
    const states: BallState[] = current.map((segment) => ({
      mode: segment.mode,
      ...positionAt(segment, eventS),
      ...velocityAt(segment, eventS),
    }));
    const touched = states[event.ball] as BallState;
    const touchedSpec = spec.balls[event.ball] as BallSpec;
    let contact: Contact | null = null;

    if (event.kind === 'ball') {
      const other = states[event.other] as BallState;
      const otherSpec = spec.balls[event.other] as BallSpec;
      const firstCollision = !contacts.some((earlier) => earlier.kind === 'ball');
      contact = collide(touched, touchedSpec.massKg, other, otherSpec.massKg, spec.pairRestitution, eventS, [event.ball, event.other]);
      if (firstCollision && spec.firstCollisionSpeedScale !== undefined) {
        touched.vxMS *= spec.firstCollisionSpeedScale;
        touched.vyMS *= spec.firstCollisionSpeedScale;
      }
      for (const [state, ball] of [[touched, touchedSpec], [other, otherSpec]] as const) {
        if (state.mode === 'flight') continue;
        // A ball knocked upwards flies; one pressed down stays on its support, which takes the impulse.
        if (state.vyMS > 0) {
          state.mode = 'flight';
          continue;
        }
        state.vyMS = 0;
        if (state.mode === 'table') continue;
        state.yM = ball.radiusM;
        state.mode = state.vxMS === 0 ? 'rest' : 'floor-roll';
      }
    } else if (event.kind === 'floor') {
      touched.yM = touchedSpec.radiusM; // the root is exact; this removes rounding of the order of 1e-16 m
      const restitution = floorBounces === 0 && spec.firstBounceRestitution !== null ? spec.firstBounceRestitution : touchedSpec.restitution;
      floorBounces += 1;
      const impactMS = -touched.vyMS;
      const reboundMS = restitution * impactMS;
      // Apex of the rebound, v²/2g; below the threshold the ball stays down instead of bouncing forever.
      const comesToRest = gravity > 0 && (reboundMS * reboundMS) / (2 * gravity) < PHYSICS_DEFAULTS.restReboundM;
      touched.vyMS = comesToRest ? 0 : reboundMS;
      touched.vxMS *= PHYSICS_DEFAULTS.floorTangentialRetention;
      touched.mode = comesToRest ? (touched.vxMS === 0 ? 'rest' : 'floor-roll') : 'flight';
      contact = { timeS: eventS, kind: 'floor', balls: [event.ball], restitution: comesToRest ? 0 : restitution, normalSpeedMS: impactMS };
    } else if (event.kind === 'table-edge') {
      touched.mode = 'flight';
      (histories[event.ball] as BallHistory).leftTableS = eventS;
    } else {
      touched.vxMS = 0;
      touched.mode = 'rest';
    }

    if (contact !== null) {
      if (contacts.length === 0) gravity = laterGravity;
      contacts.push(contact);
      for (const index of contact.balls) (histories[index] as BallHistory).contacts.push(contact);
    }
    // Every ball gets a new segment at every event, so a gravity change applies to all of them.
    states.forEach((state, index) => (histories[index] as BallHistory).segments.push(segmentFor(state, eventS, gravity)));
    if (eventS > nowS + TIME_EPS_S) handledAtNow.clear();
    if (event.kind !== 'ball') handledAtNow.add(event.ball);
    nowS = Math.max(nowS, eventS);
  }
  return { spec, balls: histories, contacts, gravityMS2: baseGravity, gravityAfterFirstContactMS2: laterGravity };
}

/**
 * 1-D collision along the line of centres (Newton's restitution law with momentum conservation);
 * the tangential velocities are unchanged. Mutates both states and returns the contact record.
 */
function collide(a: BallState, massA: number, b: BallState, massB: number, restitution: number, timeS: number, balls: number[]): Contact {
  const distance = Math.hypot(b.xM - a.xM, b.yM - a.yM);
  const nx = (b.xM - a.xM) / distance;
  const ny = (b.yM - a.yM) / distance;
  const ua = a.vxMS * nx + a.vyMS * ny;
  const ub = b.vxMS * nx + b.vyMS * ny;
  const closing = ua - ub;
  const momentum = massA * ua + massB * ub;
  const uaAfter = (momentum - massB * restitution * closing) / (massA + massB);
  const ubAfter = (momentum + massA * restitution * closing) / (massA + massB);
  a.vxMS += (uaAfter - ua) * nx;
  a.vyMS += (uaAfter - ua) * ny;
  b.vxMS += (ubAfter - ub) * nx;
  b.vyMS += (ubAfter - ub) * ny;
  return { timeS, kind: 'ball', balls, restitution, normalSpeedMS: closing };
}

/** A ball's centre at `timeS`, in metres. */
export function ballPositionAt(history: BallHistory, timeS: number): { xM: number; yM: number } {
  return positionAt(segmentAt(history.segments, timeS), timeS);
}

import { describe, expect, it } from 'vitest';
import { joinArcs, quadraticRoots, restitution } from '../../metrics/contacts.js';
import { fitArc, type ArcPoint } from '../../metrics/fit-arc.js';
import type { FittedArc } from '../../metrics/trajectory-types.js';

const G = 2000;
const FLOOR_Y = 300;

/** A ball dropped from y = 100 at t = 0 that bounces on y = 300 with restitution e (exact, y down). */
function bounceY(t: number, e: number): number {
  const contactS = Math.sqrt((2 * (FLOOR_Y - 100)) / G);
  if (t <= contactS) return 100 + 0.5 * G * t * t;
  const vOut = -e * G * contactS;
  const u = t - contactS;
  return FLOOR_Y + vOut * u + 0.5 * G * u * u;
}

function fitted(times: number[], e: number): FittedArc {
  const points: ArcPoint[] = times.map((t) => ({ timeS: t, xPx: 80 + 40 * t, yPx: bounceY(t, e) }));
  const result = fitArc(points);
  if (result.status !== 'ok') throw new Error(result.status);
  return result.arc;
}

describe('quadraticRoots', () => {
  it.each([
    { a: 1, b: -3, c: 2, roots: [1, 2] },
    { a: 0, b: 2, c: -4, roots: [2] },
    { a: 1, b: 0, c: 1, roots: [] },
    { a: 1e-9, b: 1, c: -1, roots: [1] },
  ])('solves $a t² + $b t + $c', ({ a, b, c, roots }) => {
    const found = quadraticRoots(a, b, c).sort((p, q) => p - q);
    const near = found.filter((r) => Math.abs(r) < 1e6);
    expect(near.length).toBe(roots.length);
    near.forEach((r, i) => expect(r).toBeCloseTo(roots[i] as number, 6));
  });
});

describe('joinArcs', () => {
  const contactS = Math.sqrt((2 * (FLOOR_Y - 100)) / G);
  const frames = Array.from({ length: 30 }, (_, i) => i / 30);
  const before = frames.filter((t) => t < contactS);
  const after = frames.filter((t) => t > contactS);

  it('puts the bounce where the two fitted arcs meet, sub-frame, with the restitution', () => {
    const join = joinArcs(fitted(before, 0.7), fitted(after, 0.7), 1 / 60);
    expect(join.kind).toBe('bounce');
    expect(join.timeS).toBeCloseTo(contactS, 9);
    expect(join.gapPx).toBeLessThan(1e-6);
    expect(restitution(join)).toBeCloseTo(0.7, 9);
  });

  it('sees a jump between arcs as a gap', () => {
    const arcIn = fitted(before, 0.7);
    const arcOut = { ...fitted(after, 0.7) };
    arcOut.x0Px += 150;
    const join = joinArcs(arcIn, arcOut, 1 / 60);
    expect(join.gapPx).toBeCloseTo(150, 6);
  });

  it('times a sideways deflection at the closest approach', () => {
    const points = (ts: number[], vx: number): ArcPoint[] => ts.map((t) => ({ timeS: t, xPx: 200 + vx * (t - 0.5), yPx: 100 + 0.5 * G * t * t }));
    const early = frames.filter((t) => t < 0.5);
    const late = frames.filter((t) => t > 0.5);
    const a = fitArc(points(early, 120));
    const b = fitArc(points(late, -80));
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('fit');
    const join = joinArcs(a.arc, b.arc, 1 / 60);
    expect(join.kind).toBe('deflection');
    expect(join.timeS).toBeCloseTo(0.5, 5);
    expect(join.deltaVPxS).toBeCloseTo(200, 5);
  });
});

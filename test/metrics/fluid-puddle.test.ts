import { describe, expect, it } from 'vitest';
import { poolTrust } from '../../metrics/fluid-analysis.js';
import { frameProfile, poolOf } from '../../metrics/fluid-profile.js';
import { liquidAreaPx, unfedGrowth, wallLean } from '../../metrics/fluid-puddle.js';
import { volumeEvents } from '../../metrics/fluid-volume.js';

const WIDTH = 200;
const HEIGHT = 120;

/** A mask of the pixels inside `inside`, profiled. */
function profileOf(inside: (x: number, y: number) => boolean): ReturnType<typeof frameProfile> {
  const mask = new Float32Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) mask[y * WIDTH + x] = inside(x, y) ? 1 : 0;
  return frameProfile(mask, WIDTH, HEIGHT);
}

describe('wallLean and liquidAreaPx', () => {
  it('reads upright walls as 0 and a puddle seen at 35° (an ellipse) as leaning', () => {
    const glass = profileOf((x, y) => x >= 60 && x < 120 && y >= 50 && y < 110);
    const puddle = profileOf((x, y) => ((x - 100) / 80) ** 2 + ((y - 60) / (80 * Math.sin((35 * Math.PI) / 180))) ** 2 <= 1);
    expect(wallLean([glass], [poolOf(glass, 60)])).toBe(0);
    // Rows at least half the widest: edges from 0 to 0.5 of the half-width in, 10th to 90th percentile ≈ 0.46 of it, less 4 px of blur, over the width.
    const lean = wallLean([puddle], [poolOf(puddle, 160)])!;
    expect(lean).toBeGreaterThan(0.15);
    expect(lean).toBeLessThan(0.25);
  });

  it('ignores pools too shallow to show their walls', () => {
    const film = profileOf((x, y) => x >= 60 && x < 120 && y >= 105 && y < 110);
    expect(wallLean([film], [poolOf(film, 60)])).toBeNull();
  });

  it('sums the area of liquid per frame (π·a·b for an ellipse)', () => {
    const puddle = profileOf((x, y) => ((x - 100.5) / 60) ** 2 + ((y - 60.5) / 30) ** 2 <= 1);
    expect(liquidAreaPx([puddle])[0]! / (Math.PI * 60 * 30)).toBeCloseTo(1, 2);
  });
});

describe('a puddle partly hidden by what lay there at the start', () => {
  // A spill's puddle seen at 35°, with the tipped glass over its upper left quarter: the glass held the liquid in the
  // first frames, so there the starting background has the liquid's colour and the puddle cannot be seen under it.
  const inEllipse = (x: number, y: number): boolean => ((x - 100) / 80) ** 2 + ((y - 60) / 46) ** 2 <= 1;
  const underGlass = (x: number, y: number): boolean => x >= 30 && x < 100 && y >= 20 && y < 66;
  const mask = new Float32Array(WIDTH * HEIGHT);
  const unseen = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      mask[y * WIDTH + x] = inEllipse(x, y) && !underGlass(x, y) ? 1 : 0;
      unseen[y * WIDTH + x] = underGlass(x, y) ? 1 : 0;
    }
  }
  const solidity = (profile: ReturnType<typeof frameProfile>): number => poolTrust([poolOf(profile, 160)], [liquidAreaPx([profile])[0]!], 160, [], [profile]).solidity;

  it('is solid where it can be seen: the hidden pixels between its edges leave its span', () => {
    const profile = frameProfile(mask, WIDTH, HEIGHT, unseen);
    // Row 40: the ellipse spans x 28-172, the glass hides x 30-99 of it.
    expect(profile.rowLeftPx[40]).toBe(28);
    expect(profile.rowUnseenPx[40]).toBe(70);
    expect(solidity(profile)).toBeGreaterThan(0.99);
  });

  it('is not solid with the same hole where the liquid could have been seen', () => {
    expect(solidity(frameProfile(mask, WIDTH, HEIGHT))).toBeLessThan(0.85);
  });
});

describe('unfedGrowth', () => {
  // A spill's puddle at 24 fps: its area spreads as 1 − e^(−t/0.5) from the tip at 0.2 s (the simulator's law), for 5 s.
  const fps = 24;
  const timesS = Array.from({ length: 5 * fps }, (_, k) => k / fps);
  const spread = timesS.map((t) => 1000 * (1 - Math.exp(-Math.max(0, t - 0.2) / 0.5)));
  const options = { maxStepFraction: 0.1, stepOverInflow: 3, stepWindowFrames: 2, minChange: 5, persistFrames: 6, maxDrainFraction: 0.1, maxUnexplainedFraction: 0.15, inflowLagS: 0.3 };
  const judge = (area: number[]) => unfedGrowth(timesS, area, volumeEvents(timesS, area, timesS.map(() => false), options).events, options.persistFrames);

  it('lets a puddle spread from nothing while its spill feeds it, even when it is born in one frame', () => {
    expect(judge(spread)).toEqual([]);
    // The first frame of liquid already covers 60% of the final area: a step up, and the puddle's birth.
    const born = timesS.map((t) => (t < 0.2 ? 0 : 600 + 0.4 * spread[Math.round(t * fps)]!));
    expect(volumeEvents(timesS, born, timesS.map(() => false), options).events.map((e) => e.kind)).toContain('step-up');
    expect(judge(born)).toEqual([]);
  });

  it('finds a puddle that jumps by half once it has stopped spreading, at the jump', () => {
    const jumped = spread.map((a, k) => (timesS[k]! >= 3 ? 1.5 * a : a));
    const events = judge(jumped);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('step-up');
    expect(events[0]!.atS).toBeCloseTo(3, 6);
    expect(events[0]!.fraction).toBeGreaterThan(0.3);
  });
});

import { describe, expect, it } from 'vitest';
import { getPrompt } from '../../../prompts/catalog.js';
import { promptSchema, type Category } from '../../../prompts/schema.js';
import { isClothDefect } from '../../../runners/sim/cloth/cloth-defects.js';
import { isFluidOnlyDefect } from '../../../runners/sim/fluid/fluid-defects.js';
import { applicableDefects, chooseDefect, DEFECT_CODES, parseDefect } from '../../../runners/sim/defects.js';
import { isSimError, SimError } from '../../../runners/sim/errors.js';
import type { SimOptions } from '../../../runners/sim/options.js';
import { prepareClip, type PreparedClip } from '../../../runners/sim/simulate-clip.js';
import { DEFECTS, type DefectCode } from '../../../runners/sim/truth.js';

const G = 9.81;
const TINY: SimOptions = { width: 320, height: 180, durationS: 1.5, noiseSigma: 0, watermark: false };

function prompt(category: Category, durationS = 1.5, setup: Record<string, number> = {}) {
  return promptSchema.parse({
    id: `defect-${category}`,
    text: 'a red ball is dropped onto a wooden floor',
    category,
    durationS,
    setup,
    expect: { objects: [{ name: 'ball', colorHint: 'red', diameterM: 0.12 }], restitution: { min: 0.7, max: 0.8 } },
  });
}

function clipWith(code: DefectCode | null, value?: number, durationS = 1.5): PreparedClip {
  const defect = code === null ? null : { code, ...(value === undefined ? {} : { value }) };
  return prepareClip(prompt('bounce', durationS), { ...TINY, durationS, defect });
}

/** Pixels that differ from `reference` by more than 30 grey levels in red, with their centroid. */
function changedPixels(frame: Uint8Array, reference: Uint8Array, width: number): { count: number; xPx: number; yPx: number } {
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  for (let p = 0; p < frame.length / 3; p += 1) {
    if (Math.abs((frame[3 * p + 1] ?? 0) - (reference[3 * p + 1] ?? 0)) <= 30) continue;
    count += 1;
    sumX += p % width;
    sumY += Math.floor(p / width);
  }
  return { count, xPx: sumX / count, yPx: sumY / count };
}

function errorOf(run: () => unknown): SimError {
  try {
    run();
  } catch (error) {
    if (isSimError(error)) return error;
    throw error;
  }
  throw new Error('expected a SimError');
}

describe('parseDefect', () => {
  it('reads NAME=VALUE and NAME alone (the default value)', () => {
    expect(parseDefect('gravity-off=0.6')).toEqual({ code: 'gravity-off', value: 0.6 });
    expect(parseDefect('av-desync=-80')).toEqual({ code: 'av-desync', value: -80 });
    expect(parseDefect('flicker')).toEqual({ code: 'flicker', value: DEFECTS.flicker.defaultValue });
  });

  it('suggests the nearest name for a typo and lists the known ones', () => {
    const error = errorOf(() => parseDefect('gravty-off=0.6'));
    expect(error.code).toBe('unknown-defect');
    expect(error.message).toContain("(did you mean 'gravity-off'?)");
    expect(error.message).toContain('av-desync');
  });

  it('refuses values that make no sense for the defect', () => {
    expect(errorOf(() => parseDefect('energy-gain=0.9')).code).toBe('invalid-defect-value');
    expect(errorOf(() => parseDefect('teleport=abc')).code).toBe('invalid-defect-value');
    expect(errorOf(() => parseDefect('vanish=')).code).toBe('invalid-defect-value');
    expect(errorOf(() => parseDefect('energy-gain=0.9')).message).toContain('above 1');
  });
});

describe('which defects apply', () => {
  it('all but the collision defect for a bouncing ball, and that one for two balls colliding', () => {
    expect(applicableDefects(prompt('bounce'), TINY)).toEqual(DEFECT_CODES.filter((code) => !isClothDefect(code) && !isFluidOnlyDefect(code) && code !== 'momentum-violation'));
    expect(applicableDefects(prompt('collision'), TINY)).toContain('momentum-violation');
  });

  it('none for a scene the simulator does not render', () => {
    const fluid = promptSchema.parse({ id: 'pour', text: 'water is poured into a glass', category: 'fluid', durationS: 2, expect: {} });
    expect(applicableDefects(fluid)).toEqual([]);
    expect(chooseDefect(fluid, 1)).toBeNull();
  });

  it('no bounce-dependent defect when the ball never reaches the floor, and no av-desync without audio', () => {
    // From 1.2 m the ball needs 0.49 s to land; the clip is 0.4 s long.
    const short = applicableDefects(prompt('drop', 0.4), { ...TINY, durationS: 0.4 });
    expect(short).not.toContain('energy-gain');
    expect(short).not.toContain('gravity-inconsistent');
    expect(short).not.toContain('av-desync');
    expect(short).toContain('flicker');
    expect(applicableDefects(prompt('drop'), { ...TINY, audio: false })).not.toContain('av-desync');
  });

  it('no gravity-inconsistent when the first contact comes before 6 frames of flight: the gravity it changes from would not show', () => {
    // The cue ball meets the yellow ball 0.14 s in: 4 frames at 30 fps, 8 at 60.
    const billiard = getPrompt('billiard-head-on');
    expect(applicableDefects(billiard, { ...TINY, fps: 30 })).not.toContain('gravity-inconsistent');
    expect(applicableDefects(billiard, { ...TINY, fps: 60 })).toContain('gravity-inconsistent');
  });

  it('refuses an inapplicable defect with a clear error', () => {
    const error = errorOf(() => prepareClip(prompt('drop', 0.4), { ...TINY, durationS: 0.4, defect: { code: 'energy-gain' } }));
    expect(error.code).toBe('defect-not-applicable');
    expect(error.message).toMatch(/^defect-drop: energy-gain needs a bounce/);
    expect(errorOf(() => prepareClip(prompt('drop'), { ...TINY, audio: false, defect: { code: 'av-desync' } })).code).toBe('defect-not-applicable');
    expect(errorOf(() => prepareClip(prompt('drop'), { ...TINY, defect: { code: 'energy-gain', value: 0.5 } })).code).toBe('invalid-defect-value');
  });

  it('chooseDefect is deterministic, varies with the seed and only picks applicable defects', () => {
    const short = prompt('drop', 0.4);
    const options = { ...TINY, durationS: 0.4 };
    const allowed = applicableDefects(short, options);
    const picks = Array.from({ length: 40 }, (_, seed) => chooseDefect(short, seed, options)?.code);
    expect(picks.every((code) => code !== undefined && allowed.includes(code))).toBe(true);
    expect(new Set(picks).size).toBeGreaterThan(2);
    expect(chooseDefect(short, 7, options)).toEqual(chooseDefect(short, 7, options));
    expect(chooseDefect(prompt('bounce'), 3)?.value).toBe(DEFECTS[chooseDefect(prompt('bounce'), 3)!.code].defaultValue);
  });
});

describe('each planted defect changes what it should', () => {
  const ideal = clipWith(null);
  const idealBall = ideal.truth.objects[0]!;
  const t1 = Math.sqrt((2 * 1.2) / G);

  it('ideal: no defect recorded, every sample visible, the radius constant', () => {
    expect(ideal.truth.defect).toBeNull();
    expect(idealBall.frames.every((sample) => sample[4] === 1 && sample[3] === idealBall.frames[0]![3])).toBe(true);
    expect(idealBall.contactsS[0]).toBeCloseTo(t1, 12);
  });

  it('gravity-off: the ball falls with g × VALUE from the start', () => {
    const clip = clipWith('gravity-off', 0.6);
    expect(clip.truth.defect).toEqual({ code: 'gravity-off', value: 0.6, atS: 0 });
    expect(clip.truth.objects[0]!.contactsS[0]).toBeCloseTo(Math.sqrt((2 * 1.2) / (0.6 * G)), 12);
    expect(clip.truth.gravityMS2).toBe(G);
  });

  it('gravity-inconsistent: g changes at the first contact', () => {
    const clip = clipWith('gravity-inconsistent', 0.5, 2.5);
    const [first, second] = clip.truth.objects[0]!.contactsS;
    expect(clip.truth.defect?.atS).toBeCloseTo(t1, 12);
    expect(first).toBeCloseTo(t1, 12);
    expect(second! - first!).toBeCloseTo((2 * 0.75 * G * t1) / (0.5 * G), 9);
  });

  it('energy-gain: restitution VALUE at the first bounce, then back to normal', () => {
    const clip = clipWith('energy-gain', 1.25, 2.5);
    const ball = clip.truth.objects[0]!;
    expect(ball.restitution.slice(0, 2)).toEqual([1.25, 0.75]);
    // The rebound rises higher than the drop: the top of the arc is above the starting point.
    const highestAfter = Math.min(...ball.frames.filter((sample) => sample[0] > t1).map((sample) => sample[2]));
    expect(highestAfter).toBeLessThan(ball.frames[0]![2]);
  });

  it('teleport: the drawn position jumps sideways by VALUE × width at atS, and the frame shows it', () => {
    const clip = clipWith('teleport', 0.25);
    const jumpFrame = Math.round(clip.truth.defect!.atS * clip.truth.fps);
    const ball = clip.truth.objects[0]!;
    const jump = ball.frames[jumpFrame]![1] - ball.frames[jumpFrame - 1]![1];
    const natural = idealBall.frames[jumpFrame]![1] - idealBall.frames[jumpFrame - 1]![1];
    expect(Math.abs(jump - natural)).toBeCloseTo(0.25 * 320, 9);
    // The jump goes the way that keeps the rest of the path in the frame.
    expect(ball.frames.slice(jumpFrame).every(([, xPx, , radiusPx]) => xPx - radiusPx >= 0 && xPx + radiusPx <= 319)).toBe(true);
    const frames = [...clip.frames()];
    const idealFrames = [...ideal.frames()];
    const seen = changedPixels(frames[jumpFrame]!, idealFrames[jumpFrame]!, 320);
    expect(seen.count).toBeGreaterThan(50);
  });

  it('vanish: the ball is not drawn for VALUE s, and the truth marks those frames invisible', () => {
    const clip = clipWith('vanish', 0.2);
    const ball = clip.truth.objects[0]!;
    const hidden = ball.frames.filter((sample) => sample[4] === 0);
    expect(hidden.length).toBe(6);
    expect(hidden[0]![0]).toBeCloseTo(clip.truth.defect!.atS, 12);
    const frames = [...clip.frames()];
    const k = Math.round(hidden[0]![0] * 30);
    // The frame equals the one rendered without the ball: compare with a frame whose ball is elsewhere.
    const reference = frames[k + 10]!;
    const box = (frame: Uint8Array): number[] => {
      const [x, y, r] = [Math.round(ball.frames[k]![1]), Math.round(ball.frames[k]![2]), Math.ceil(ball.frames[k]![3]) + 1];
      const values: number[] = [];
      for (let j = y - r; j <= y + r; j += 1) for (let i = x - r; i <= x + r; i += 1) values.push(frame[(j * 320 + i) * 3 + 1] ?? 0);
      return values;
    };
    expect(box(frames[k]!)).toEqual(box(reference));
  });

  it('size-change: the drawn radius grows smoothly to VALUE × its size', () => {
    const clip = clipWith('size-change', 1.6);
    const radii = clip.truth.objects[0]!.frames.map((sample) => sample[3]);
    const r0 = idealBall.frames[0]![3];
    expect(radii[0]).toBe(r0);
    expect(radii.at(-1)! / r0).toBeCloseTo(1 + 0.6 * (44 / 30 / 1.5), 12);
    expect(radii.every((radius, index) => index === 0 || radius > radii[index - 1]!)).toBe(true);
  });

  it('flicker: odd frames are brighter by VALUE', () => {
    const clip = clipWith('flicker', 0.2);
    const frames = [...clip.frames()];
    const idealFrames = [...ideal.frames()];
    const at = (frame: Uint8Array): number => frame[(20 * 320 + 20) * 3] ?? 0;
    expect(at(frames[1]!) / at(idealFrames[1]!)).toBeCloseTo(1.2, 2);
    expect(at(frames[2]!)).toBe(at(idealFrames[2]!));
    expect(clip.truth.defect?.atS).toBeCloseTo(1 / 30, 12);
  });

  it('av-desync: impact sounds start VALUE ms after the contacts', () => {
    const clip = clipWith('av-desync', 120);
    const audio = clip.truth.audio!;
    expect(audio.offsetMs).toBe(120);
    const contacts = clip.truth.objects[0]!.contactsS;
    expect(audio.impactsS[0]).toBeCloseTo(contacts[0]! + 0.12, 12);
    const onset = Math.ceil(audio.impactsS[0]! * audio.sampleRate);
    const samples = clip.audio!.samples;
    expect(Math.abs(samples[onset - 1] ?? 1)).toBeLessThan(0.02);
    expect(Math.abs(samples[Math.ceil(contacts[0]! * audio.sampleRate) + 10] ?? 1)).toBeLessThan(0.02);
  });
});

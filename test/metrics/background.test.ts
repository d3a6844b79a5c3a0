import { describe, expect, it } from 'vitest';
import { BACKGROUND_DEFAULTS, BackgroundModel, columnMedian, exposureGain, gainSamples, type BackgroundOptions } from '../../metrics/background.js';
import { isWhiteVeil } from '../../metrics/veil.js';

const PIXELS = 50;
const frameOf = (rgb: [number, number, number]): Uint8Array => {
  const frame = new Uint8Array(PIXELS * 3);
  for (let i = 0; i < PIXELS; i++) frame.set(rgb, 3 * i);
  return frame;
};

describe('BackgroundModel', () => {
  it('takes the median, so an object in a minority of the first frames leaves no trace', () => {
    const frames = [frameOf([100, 110, 120]), frameOf([250, 10, 10]), frameOf([100, 110, 120]), frameOf([250, 10, 10]), frameOf([100, 110, 120])];
    const model = BackgroundModel.fromFrames(frames);
    expect([...model.rgb.slice(0, 3)]).toEqual([100, 110, 120]);
  });

  it('follows a slow change outside objects and keeps covered pixels', () => {
    const model = BackgroundModel.fromFrames([frameOf([100, 100, 100])]);
    const covered = new Uint8Array(PIXELS);
    covered[0] = 1;
    const brighter = frameOf([110, 110, 110]);
    model.update(brighter, covered);
    expect(model.rgb[0]).toBe(100);
    expect(model.rgb[3]).toBeCloseTo(100.3, 4);
  });

  it('forgets at once the faint veil a passing watermark left over a dark table leg', () => {
    // The leg (71, 48, 35) was learnt as (85, 62, 50) while the watermark passed: opacity about 0.07.
    const model = BackgroundModel.fromFrames([frameOf([85, 62, 50])]);
    const leg = frameOf([71, 48, 35]);
    const covered = new Uint8Array(PIXELS);
    model.update(leg, covered);
    model.update(leg, covered);
    expect([...model.rgb.slice(0, 3)].map(Math.round)).toEqual([71, 48, 35]);
  });

  it('scales the background by an exposure gain, and leaves it as it is when the gain moves no value by half a grey level', () => {
    const model = BackgroundModel.fromFrames([frameOf([200, 100, 50])]);
    const out = new Float32Array(PIXELS * 3);
    expect(model.scaledInto(1.001, out)).toBe(model.rgb);
    const brighter = model.scaledInto(1.1, out);
    expect(brighter).toBe(out);
    expect([...brighter.slice(0, 3)].map((v) => Math.round(v * 10) / 10)).toEqual([220, 110, 55]);
    expect(model.scaledInto(1.5, out)[0]).toBe(255);
  });

  it('forgets at once a still watermark that sat in the first frames', () => {
    const veiled = frameOf([Math.round(100 * 0.65 + 255 * 0.35), Math.round(120 * 0.65 + 255 * 0.35), Math.round(90 * 0.65 + 255 * 0.35)]);
    const model = BackgroundModel.fromFrames([veiled]);
    const clear = frameOf([100, 120, 90]);
    const covered = new Uint8Array(PIXELS);
    model.update(clear, covered);
    model.update(clear, covered);
    expect([...model.rgb.slice(0, 3)].map(Math.round)).toEqual([100, 120, 90]);
  });

  it('learns a grey ball still on a beige wall only after it has stayed coveredUnveilFrames frames', () => {
    // Wall = ball + a·(255 − ball) with a ≈ 0.3 in every channel: pixel by pixel, the ball is the wall unveiled.
    const wall: [number, number, number] = [200, 195, 185];
    const ball = frameOf([174, 170, 160]);
    const model = BackgroundModel.fromFrames([frameOf(wall)]);
    const covered = new Uint8Array(PIXELS).fill(1);
    const options = { ...BACKGROUND_DEFAULTS, coveredUnveilFrames: 15 };
    for (let frame = 0; frame < 15; frame++) model.update(ball, covered, 1, options);
    expect([...model.rgb.slice(0, 3)]).toEqual(wall);
    model.update(ball, covered, 1, options);
    expect([...model.rgb.slice(0, 3)].map(Math.round)).toEqual([174, 170, 160]);
  });

  it('learns the same pixels at once where no object covers them, or with coveredUnveilFrames 0', () => {
    const ball = frameOf([174, 170, 160]);
    const uncovered = BackgroundModel.fromFrames([frameOf([200, 195, 185])]);
    uncovered.update(ball, new Uint8Array(PIXELS), 1, { ...BACKGROUND_DEFAULTS, coveredUnveilFrames: 15 });
    expect([...uncovered.rgb.slice(0, 3)].map(Math.round)).toEqual([174, 170, 160]);
    const immediate = BackgroundModel.fromFrames([frameOf([200, 195, 185])]);
    immediate.update(ball, new Uint8Array(PIXELS).fill(1));
    expect([...immediate.rgb.slice(0, 3)].map(Math.round)).toEqual([174, 170, 160]);
  });
});

describe('BackgroundModel.update against the per-pixel rule', () => {
  /** The rule `update` follows, pixel by pixel as first written: the oracle for the word-at-a-time pass and its list of veil candidates. */
  const referenceUpdate = (bg: Float32Array, state: { previous: Uint8Array | null; streak: Uint8Array; unveiled: number }, frame: Uint8Array, covered: Uint8Array, gain: number, options: BackgroundOptions): void => {
    const inverse = 1 / gain;
    const previous = state.previous ?? frame;
    const hold = Math.min(254, options.coveredUnveilFrames);
    for (let i = 0, p = 0; i < covered.length; i++, p += 3) {
      const [r, g, b] = [frame[p]!, frame[p + 1]!, frame[p + 2]!];
      const [dr, dg, db] = [r * inverse - bg[p]!, g * inverse - bg[p + 1]!, b * inverse - bg[p + 2]!];
      let unveiled =
        dr < -8 && dg < -8 && db < -8 &&
        [0, 1, 2].every((k) => Math.abs(frame[p + k]! - previous[p + k]!) <= options.stillDelta) &&
        isWhiteVeil(bg, frame, p, options.veilSpread, options.veilMaxOpacity, options.veilMinOpacity);
      if (hold > 0) {
        const run = unveiled && covered[i] === 1 ? state.streak[i]! + 1 : 0;
        state.streak[i] = Math.min(255, run);
        if (run > 0 && run <= hold) unveiled = false;
      }
      const clipped = gain !== 1 && (r >= 250 || g >= 250 || b >= 250);
      const rate = unveiled ? options.unveilRate : covered[i] !== 1 && !clipped ? options.learningRate : null;
      if (rate === null) continue;
      if (unveiled) state.unveiled++;
      bg[p] = bg[p]! + rate * dr;
      bg[p + 1] = bg[p + 1]! + rate * dg;
      bg[p + 2] = bg[p + 2]! + rate * db;
    }
    state.previous = frame.slice();
  };

  it.each([0, 3])('gives the same background, to the bit, on random veiled, covered and clipped pixels (coveredUnveilFrames %s)', (coveredUnveilFrames) => {
    // 203 pixels: whole words of four pixels and a tail; frames and flags at odd offsets in their buffers.
    const pixels = 203;
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const scene = Uint8Array.from({ length: 3 * pixels }, () => Math.floor(20 + next() * 200));
    // The scene under a white veil of opacity 0.2-0.4, one per pixel: the starting background, unveiled in later frames.
    const opacity = Array.from({ length: pixels }, () => 0.2 + 0.2 * next());
    const veiled = scene.map((v, k) => Math.round(v + opacity[Math.floor(k / 3)]! * (255 - v)));
    const options = { ...BACKGROUND_DEFAULTS, coveredUnveilFrames };
    const model = BackgroundModel.fromFrames([veiled]);
    const bg = model.rgb.slice();
    const state = { previous: null as Uint8Array | null, streak: new Uint8Array(pixels), unveiled: 0 };
    let shown = veiled;
    let covered = Uint8Array.from({ length: pixels }, () => (next() < 0.4 ? 1 : 0));
    let longestStreak = 0;
    for (let frame = 0; frame < 12; frame++) {
      // Each pixel shows the scene (unveiled), the veiled scene, or something else, and keeps what it showed with odds 2/3 (still pixels).
      const upcoming = new Uint8Array(3 * pixels + 1).subarray(1);
      for (let i = 0; i < pixels; i++) {
        const pick = next();
        const source = pick < 0.66 ? shown : pick < 0.8 ? scene : pick < 0.9 ? veiled : null;
        for (let k = 3 * i; k < 3 * i + 3; k++) upcoming[k] = source === null ? (next() < 0.2 ? 252 : Math.floor(next() * 256)) : source[k]!;
      }
      shown = upcoming;
      // Objects stay: a pixel's flag changes with odds 1/10, so covered pixels build streaks.
      const flags = new Uint8Array(pixels + 3).subarray(3);
      flags.set(covered.map((flag) => (next() < 0.1 ? 1 - flag : flag)));
      covered = flags;
      const gain = [1, 1, 1.02, 0.97][frame % 4]!;
      model.update(shown, covered, gain, options);
      referenceUpdate(bg, state, shown, covered, gain, options);
      longestStreak = Math.max(longestStreak, ...state.streak);
      expect(Buffer.from(model.rgb.buffer).equals(Buffer.from(bg.buffer)), `frame ${frame}`).toBe(true);
    }
    // The draw reached the rare paths: unveiled pixels, and streaks held past coveredUnveilFrames.
    expect(state.unveiled).toBeGreaterThan(50);
    expect(longestStreak).toBe(coveredUnveilFrames === 0 ? 0 : coveredUnveilFrames + 1);
  });
});

describe('exposureGain', () => {
  /** A grey ramp from 40 to 240 over 6000 pixels, the first tenth covered by a red object. */
  const ramp = (gain: number, withObject: boolean): Uint8Array => {
    const frame = new Uint8Array(6000 * 3);
    for (let i = 0; i < 6000; i++) {
      const v = Math.min(255, Math.round((40 + (200 * i) / 6000) * gain));
      frame.set(withObject && i < 600 ? [250, 20, 20] : [v, v, v], 3 * i);
    }
    return frame;
  };
  const background = Float32Array.from(ramp(1, false));
  const covered = new Uint8Array(6000).map((_, i) => (i < 600 ? 1 : 0));

  it.each([0.75, 1, 1.25])('measures a global exposure step of %s, ignoring clipped pixels and objects', (gain) => {
    const ratios = gainSamples(background.length);
    expect(exposureGain(ramp(gain, true), background, covered, ratios)).toBeCloseTo(gain, 2);
  });

  it('builds the starting background from frames of alternating exposure without inflating the noise', () => {
    const frames = Array.from({ length: 9 }, (_, k) => ramp(k % 2 === 1 ? 1.25 : 1, false));
    const model = BackgroundModel.fromFrames(frames);
    expect(model.noiseSigma).toBeLessThan(1);
    expect(Math.abs((model.rgb[3 * 3000] as number) - (background[3 * 3000] as number))).toBeLessThanOrEqual(1);
  });
});

describe('isWhiteVeil', () => {
  it.each([
    { upper: [158, 172, 148], lower: [100, 120, 90], veil: true },
    { upper: [230, 90, 20], lower: [196, 192, 182], veil: false },
    { upper: [100, 120, 90], lower: [100, 120, 90], veil: false },
    { upper: [255, 255, 255], lower: [100, 120, 90], veil: false },
  ])('$upper over $lower: $veil', ({ upper, lower, veil }) => {
    expect(isWhiteVeil(upper, lower, 0, 0.15, 0.8)).toBe(veil);
  });
});

describe('columnMedian', () => {
  it('gives the median of a full sort (the mean of the middle two for an even count), on random and tied columns of 1-16 frames', () => {
    let seed = 5;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let count = 1; count <= 16; count++) {
      // Offsets 0-39: values spread over 0-255; 40-79: a few levels, many ties.
      const frames = Array.from({ length: count }, () => Uint8Array.from({ length: 80 }, (_, p) => (p < 40 ? Math.floor(next() * 256) : 100 + Math.floor(next() * 3))));
      const smallest = new Uint8Array((count >> 1) + 1);
      for (let p = 0; p < 80; p++) {
        const sorted = frames.map((frame) => frame[p]!).sort((a, b) => a - b);
        const mid = count >> 1;
        expect(columnMedian(frames, p, smallest), `${count} frames, offset ${p}`).toBe(count % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2);
      }
    }
  });
});

describe('BackgroundModel.adopt', () => {
  it("takes the frame at once, divided by the gain, on the given region's pixels only", () => {
    const model = BackgroundModel.fromFrames([frameOf([100, 100, 100])]);
    const labels = new Int32Array(PIXELS);
    labels.fill(4, 10, 20);
    labels[25] = 5;
    model.adopt(frameOf([60, 90, 120]), 1.2, labels, 10, [{ label: 4, minX: 0, maxX: 9, minY: 1, maxY: 1 }]);
    expect([...model.rgb.slice(30, 33)].map((v) => Math.round(v))).toEqual([50, 75, 100]);
    expect([...model.rgb.slice(0, 3)]).toEqual([100, 100, 100]);
    expect([...model.rgb.slice(75, 78)]).toEqual([100, 100, 100]);
  });
});

import { describe, expect, it } from 'vitest';
import { liquidColourOf } from '../../metrics/fluid-colour.js';
import { fitContinuity, streamWidening } from '../../metrics/fluid-continuity.js';
import { unreachedPieces } from '../../metrics/fluid-events.js';
import { binarize, connectedComponents, dilate } from '../../metrics/fluid-mask-ops.js';
import { frameProfile, poolOf, streamRowsOf, surfaceLineOf } from '../../metrics/fluid-profile.js';
import { fullOpacityOf, tintBasis, tintOpacities, tintOpacity, withoutThinLiquid } from '../../metrics/fluid-segment.js';
import { fedFrames, fillRatePerS, medianFilter, volumeEvents, type VolumeCheckOptions } from '../../metrics/fluid-volume.js';

const W = 120;
const H = 90;

/** A side view of a glass from x = 40 to 80 (exclusive) filled up to `surfaceY` (sub-pixel), the surface tilted by `tiltDeg`, with a stream above. */
function glassMask(surfaceY: number, options: { tiltDeg?: number; stream?: (y: number) => number; streamTopY?: number } = {}): Float32Array {
  const soft = new Float32Array(W * H);
  const slope = -Math.tan(((options.tiltDeg ?? 0) * Math.PI) / 180);
  for (let x = 40; x < 80; x++) {
    const top = surfaceY + slope * (x - 59.5);
    for (let y = 0; y < 80; y++) {
      // Coverage of pixel row y (spanning y - 0.5 .. y + 0.5) by liquid below `top`.
      soft[y * W + x] = Math.min(1, Math.max(0, y + 0.5 - top));
    }
  }
  if (options.stream !== undefined) {
    for (let y = options.streamTopY ?? 5; y < surfaceY; y++) {
      const half = options.stream(y) / 2;
      for (let x = 0; x < W; x++) {
        const cover = Math.min(1, Math.max(0, Math.min(x + 0.5, 60 + half) - Math.max(x - 0.5, 60 - half)));
        soft[y * W + x] = Math.max(soft[y * W + x]!, cover);
      }
    }
  }
  return soft;
}

describe('liquidColourOf', () => {
  it('reads CSS names, hex and phrases, and gives null for what it cannot read', () => {
    expect(liquidColourOf('lightblue')).toEqual([173, 216, 230]);
    expect(liquidColourOf('Light Blue')).toEqual([173, 216, 230]);
    expect(liquidColourOf('#f80')).toEqual([255, 136, 0]);
    expect(liquidColourOf('pale orange')).toEqual([255, 165, 0]);
    expect(liquidColourOf('clear')).toBeNull();
    expect(liquidColourOf(undefined)).toBeNull();
  });
});

describe('tintOpacity', () => {
  it('recovers the opacity of a liquid composited over any background', () => {
    const liquid: [number, number, number] = [255, 165, 0];
    for (const [b, opacity] of [[[250, 250, 250], 0.4], [[40, 60, 90], 0.7], [[120, 200, 30], 0.25]] as const) {
      const p = b.map((v, c) => v * (1 - opacity) + liquid[c]! * opacity);
      expect(tintOpacity(p[0]!, p[1]!, p[2]!, b[0], b[1], b[2], liquid, 2, 0.2)).toBeCloseTo(opacity, 6);
    }
  });

  it('is 0 for a change that does not lead towards the liquid colour', () => {
    // A grey object over white, looking for orange juice.
    expect(tintOpacity(128, 128, 128, 255, 255, 255, [255, 165, 0], 2, 0.2)).toBe(0);
  });

  it('finds a thin stream that was already there when the background was taken, from the wall beside it', () => {
    const w = 40;
    const h = 4;
    const liquid: [number, number, number] = [173, 216, 230];
    const rgb = new Uint8Array(w * h * 3).fill(90);
    for (let y = 0; y < h; y++) for (let x = 19; x <= 21; x++) for (let c = 0; c < 3; c++) rgb[3 * (y * w + x) + c] = Math.round(90 * 0.5 + liquid[c]! * 0.5);
    const background = Float32Array.from(rgb);
    const opacities = tintOpacities(rgb, background, tintBasis(background, liquid, 6), w, h, { noise: 3, maxOffLine: 0.2, sideOffsetPx: 5 }, new Float32Array(w * h));
    expect(opacities[2 * w + 20]).toBeCloseTo(0.5, 1);
    expect(opacities[2 * w + 10]).toBeCloseTo(0, 6);
    expect(fullOpacityOf(opacities, w, 0.1, 2)).toBeCloseTo(0.5, 1);
    expect(fullOpacityOf(opacities, w, 0.1, 50)).toBeNull();
  });

  it('sees the liquid through a translucent white watermark and does not take the watermark for liquid', () => {
    // Over a beige wall and over a dark brown counter (where white and light blue lie only 14° apart from it):
    // liquid at opacity 0.55 under a 35% white overlay, and the overlay alone.
    const liquid: [number, number, number] = [173, 216, 230];
    for (const wall of [
      [200, 195, 185],
      [120, 85, 60],
    ]) {
      const background = Float32Array.from([...wall, ...wall]);
      const pool = wall.map((b, c) => b * 0.45 + liquid[c]! * 0.55);
      const rgb = Uint8Array.from([...pool, ...wall].map((v) => Math.round(v * 0.65 + 255 * 0.35)));
      const opacities = tintOpacities(rgb, background, tintBasis(background, liquid, 6), 2, 1, { noise: 3, maxOffLine: 0.25, sideOffsetPx: 5 }, new Float32Array(2));
      expect(opacities[0]).toBeCloseTo(0.55, 1);
      // Rounding to bytes leaves a trace (measured 0.015); the plain projection read 0.45 on the brown.
      expect(opacities[1]).toBeLessThan(0.05);
    }
  });

  it('sees the liquid, and no liquid, where the watermark lay over the starting background and has moved on', () => {
    const liquid: [number, number, number] = [173, 216, 230];
    const wall = [200, 195, 185];
    const watermarked = wall.map((b) => b * 0.65 + 255 * 0.35);
    const background = Float32Array.from([...watermarked, ...watermarked]);
    const rgb = Uint8Array.from([...wall.map((b, c) => Math.round(b * 0.45 + liquid[c]! * 0.55)), ...wall]);
    const opacities = tintOpacities(rgb, background, tintBasis(background, liquid, 6), 2, 1, { noise: 3, maxOffLine: 0.25, sideOffsetPx: 5 }, new Float32Array(2));
    expect(opacities[0]).toBeCloseTo(0.55, 1);
    expect(opacities[1]).toBeLessThan(0.05);
  });

  it('paints a stream already running in the starting background out of it, wider than the side offset, and leaves a wide pool and the wall as they are', () => {
    const w = 70;
    const liquid: [number, number, number] = [173, 216, 230];
    const background = new Float32Array(w * 3);
    const wall = (x: number, c: number): number => 150 + x - 10 * c;
    for (let x = 0; x < w; x++) {
      // A wall whose shade drifts, a 9 px stream at 16-24 (the side offset is 5 px) and a pool from 45 on.
      const share = (x >= 16 && x <= 24) || x >= 45 ? 0.5 : 0;
      for (let c = 0; c < 3; c++) background[3 * x + c] = wall(x, c) * (1 - share) + liquid[c]! * share;
    }
    const cleaned = withoutThinLiquid(background, w, liquid, { noise: 3, maxOffLine: 0.25, sideOffsetPx: 5, minOpacity: 0.1 });
    for (let c = 0; c < 3; c++) {
      for (let x = 16; x <= 24; x++) expect(cleaned[3 * x + c]).toBeCloseTo(wall(x, c), 3);
      expect(cleaned[3 * 10 + c]).toBe(background[3 * 10 + c]);
      expect(cleaned[3 * 55 + c]).toBe(background[3 * 55 + c]);
    }
  });
});

describe('frameProfile and poolOf', () => {
  it('measure the filled height of a glass to a tenth of a pixel and its walls', () => {
    for (const surfaceY of [50, 50.3, 62.75]) {
      const pool = poolOf(frameProfile(glassMask(surfaceY), W, H), 40);
      expect(pool).not.toBeNull();
      expect(pool!.levelHeightPx).toBeCloseTo(79.5 - surfaceY, 1);
      expect(pool!.leftPx).toBe(40);
      expect(pool!.rightPx).toBe(79);
      expect(pool!.bottomRow).toBe(79);
    }
  });

  it('leave a stream out of the pool and give its rows', () => {
    const profile = frameProfile(glassMask(50, { stream: () => 4, streamTopY: 10 }), W, H);
    const pool = poolOf(profile, 40)!;
    // The stream's row just above the surface adds its width / the glass's: 0.1 px.
    expect(pool.levelHeightPx).toBeCloseTo(29.6, 1);
    const rows = streamRowsOf(profile, pool, 20, 2);
    expect(rows[0]!.yPx).toBe(10);
    expect(rows[rows.length - 1]!.yPx).toBe(47);
    for (const row of rows) {
      expect(row.widthPx).toBeCloseTo(4, 5);
      expect(row.centreXPx).toBeCloseTo(60, 5);
    }
  });

  it('find no pool in an empty frame, and a stream that lands on the bottom without one', () => {
    expect(poolOf(frameProfile(new Float32Array(W * H), W, H), 40)).toBeNull();
    const profile = frameProfile(glassMask(80, { stream: () => 3, streamTopY: 20 }), W, H);
    expect(poolOf(profile, 40)).toBeNull();
    expect(streamRowsOf(profile, null, 20, 0)).toHaveLength(60);
  });
});

describe('surfaceLineOf', () => {
  const options = { edgeFraction: 0.1, maxBumpPx: 4, minColumns: 8 };
  it('measures the tilt of the free surface', () => {
    for (const tiltDeg of [0, 3, -6]) {
      const profile = frameProfile(glassMask(50, { tiltDeg }), W, H);
      const line = surfaceLineOf(profile, poolOf(profile, 40)!, null, options)!;
      expect(line.tiltDeg).toBeCloseTo(tiltDeg, 1);
      expect(line.levelPx).toBeCloseTo(79.5 - 50, 1);
    }
  });

  it('is not misled by the stream standing on the surface', () => {
    const profile = frameProfile(glassMask(50, { stream: () => 4 }), W, H);
    const line = surfaceLineOf(profile, poolOf(profile, 40)!, null, options)!;
    expect(Math.abs(line.tiltDeg)).toBeLessThan(0.1);
  });
});

describe('stream continuity', () => {
  // The continuity law the simulator draws: w = w0·(v0/√(v0² + 2gh))^½, here with v0²/2g = 8 px.
  const law = (drop: number): number => 6 * (1 + drop / 8) ** -0.25;

  it('fits the velocity head and the top width of an exact stream', () => {
    const drops = Array.from({ length: 40 }, (_, i) => i);
    const fit = fitContinuity(drops, drops.map(law))!;
    expect(fit.topWidthPx).toBeCloseTo(6, 1);
    expect(fit.velocityHeadPx / 8).toBeGreaterThan(0.85);
    expect(fit.velocityHeadPx / 8).toBeLessThan(1.15);
    expect(fit.rmsPx).toBeLessThan(0.02);
    expect(fit.modelRatio).toBeCloseTo(law(39) / 6, 1);
  });

  it('reads a narrowing stream as negative widening and a widening one as positive', () => {
    const rows = (width: (y: number) => number) => Array.from({ length: 40 }, (_, i) => ({ yPx: 10 + i, widthPx: width(i), centreXPx: 60 }));
    expect(streamWidening(rows(law), 8)).toBeLessThan(-0.3);
    expect(streamWidening(rows((d) => 3 * (1 + d / 20)), 8)).toBeCloseTo(39 / 20, 5);
    expect(streamWidening(rows(law).slice(0, 5), 8)).toBeNull();
  });
});

describe('volume conservation', () => {
  const options: VolumeCheckOptions = { maxStepFraction: 0.1, stepOverInflow: 3, stepWindowFrames: 3, minChange: 0.005, persistFrames: 4, maxDrainFraction: 0.1, maxUnexplainedFraction: 0.1, inflowLagS: 0.3 };
  const times = Array.from({ length: 90 }, (_, i) => i / 30);
  // A pour over 0.5-2 s at 0.1 L/s, then rest.
  const fill = times.map((t) => 0.1 * Math.min(1.5, Math.max(0, t - 0.5)));
  const inflow = times.map((t) => t >= 0.5 && t < 2);

  it('passes a container filled by its stream', () => {
    const { events, peak } = volumeEvents(times, fill, inflow, options);
    expect(events).toEqual([]);
    expect(peak).toBeCloseTo(0.15, 6);
    expect(fillRatePerS(times, fill, inflow)).toBeCloseTo(0.1, 2);
  });

  it('finds a drain, steps up and down, and a rise with no stream, with their times', () => {
    const drained = fill.map((v, i) => v - (times[i]! > 2.2 ? 0.06 * (times[i]! - 2.2) : 0));
    const drain = volumeEvents(times, drained, inflow, options).events;
    expect(drain.map((e) => e.kind)).toEqual(['drain']);
    expect(drain[0]!.atS).toBeCloseTo(2.2, 0);
    expect(drain[0]!.fraction).toBeCloseTo((0.06 * (89 / 30 - 2.2)) / 0.15, 1);
    const stepUp = volumeEvents(times, fill.map((v, i) => (times[i]! >= 1.2 ? v + 0.05 : v)), inflow, options).events;
    expect(stepUp.map((e) => e.kind)).toEqual(['step-up']);
    expect(stepUp[0]!.atS).toBeCloseTo(1.2, 1);
    expect(stepUp[0]!.fraction).toBeCloseTo(0.05 / 0.2, 1);
    // A step down after the pour is not a drain as well.
    const stepDown = volumeEvents(times, fill.map((v, i) => (times[i]! >= 2.5 ? v * 0.6 : v)), inflow, options).events;
    expect(stepDown).toEqual([{ kind: 'step-down', atS: expect.closeTo(2.5, 1) as number, fraction: expect.closeTo(0.4, 2) as number }]);
    // Something passing in front of the glass for a few frames is neither a step nor a drain.
    const passing = fill.map((v, i) => (times[i]! >= 2.6 && times[i]! < 2.7 ? v * 0.3 : v));
    expect(volumeEvents(times, passing, inflow, options).events).toEqual([]);
    const unfed = fill.map((v, i) => v + (times[i]! > 2.5 ? 0.1 * (times[i]! - 2.5) : 0));
    expect(volumeEvents(times, unfed, inflow, options).events.map((e) => e.kind)).toEqual(['no-source']);
  });

  it('medianFilter removes a one-frame spike and keeps a step; fedFrames holds a pour for its lag', () => {
    expect(medianFilter([1, 1, 9, 1, 1, 5, 5, 5], 1)).toEqual([1, 1, 1, 1, 1, 5, 5, 5]);
    expect(fedFrames([0, 0.1, 0.2, 0.3, 0.4], [true, false, false, false, false], 0.2)).toEqual([true, true, true, false, false]);
  });
});

describe('mask operations and unreached pieces', () => {
  it('dilates by a square and labels 8-connected components', () => {
    const mask = binarize(Float32Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 5, 4);
    expect(Array.from(dilate(mask, 1).data).reduce((a, b) => a + b, 0)).toBe(9 + 4);
    const components = connectedComponents(mask);
    expect(components.map((c) => c.areaPx)).toEqual([1, 1]);
  });

  it('finds liquid that appears far from any liquid, not liquid that moved a little', () => {
    const before = binarize(glassMask(50), W, H);
    const risen = binarize(glassMask(49), W, H);
    expect(unreachedPieces(before, risen, 3, 4)).toEqual([]);
    const blob = binarize(glassMask(50), W, H);
    for (let y = 10; y < 16; y++) for (let x = 5; x < 11; x++) blob.data[y * W + x] = 1;
    const pieces = unreachedPieces(before, blob, 3, 4);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]!.areaPx).toBe(36);
    expect(pieces[0]!.centroidXPx).toBeCloseTo(7.5, 6);
    // Vanished pieces are the earlier frame's pieces the later frame does not reach.
    expect(unreachedPieces(before, blob, 3, 4)).toHaveLength(1);
    expect(unreachedPieces(blob, before, 3, 4)).toEqual([]);
  });
});

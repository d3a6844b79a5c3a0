import { describe, expect, it } from 'vitest';
import { analyzeTrack, type TrackAnalysis, type VideoPoint } from '../../metrics/analyze-track.js';
import { joinArcs } from '../../metrics/contacts.js';
import { checkTrajectory, reappearanceFailures, seenJumpPx, sightedJumps, TRAJECTORY_DEFAULTS, type CheckedObject } from '../../metrics/trajectory-checks.js';
import type { FittedArc } from '../../metrics/trajectory-types.js';

const FPS = 30;
const PX_PER_M = 200;
const G_PX_S2 = 9.81 * PX_PER_M;
const RADIUS_PX = 7;

/** y of a ball dropped from 40 px onto a floor at 300 px; restitution `e` at the first bounce and `later` after. */
function bounceTrack(options: { gScale?: number; gScaleAfter?: number; e?: number; frames?: number } = {}): VideoPoint[] {
  const g1 = G_PX_S2 * (options.gScale ?? 1);
  const g2 = g1 * (options.gScaleAfter ?? 1);
  const contactS = Math.sqrt((2 * 260) / g1);
  const vOut = -(options.e ?? 0.75) * g1 * contactS;
  return Array.from({ length: options.frames ?? 60 }, (_, k) => {
    const t = k / FPS;
    const u = t - contactS;
    const y = t <= contactS ? 40 + 0.5 * g1 * t * t : 300 + vOut * u + 0.5 * g2 * u * u;
    return { frameIndex: k, timeS: t, xPx: 100 + 60 * t, yPx: Math.min(300, y), radiusPx: RADIUS_PX, atEdge: false };
  });
}

/** Sightings written 'frame:x,y,r ...', as tracks are dumped. */
function pixelTrack(seen: string): VideoPoint[] {
  return seen.split(' ').map((entry) => {
    const [k, x, y, r] = entry.split(/[:,]/).map(Number) as [number, number, number, number];
    return { frameIndex: k, timeS: k / FPS, xPx: x, yPx: y, radiusPx: r, atEdge: false };
  });
}

function check(points: VideoPoint[], pxPerM: number | null = PX_PER_M, underOverlay?: CheckedObject['underOverlay']) {
  const analysis = analyzeTrack(points, { frameIntervalS: 1 / FPS, breakFloorPx: 1.5 });
  const object: CheckedObject = { label: 'the ball', points, analysis, pxPerM, frameIntervalS: 1 / FPS, ...(underOverlay === undefined ? {} : { underOverlay }) };
  return checkTrajectory(object, 9.81, TRAJECTORY_DEFAULTS);
}

describe('checkTrajectory', () => {
  it('passes an exact bounce', () => {
    expect(check(bounceTrack())).toEqual([]);
  });

  it('reports gravity off in m/s² with the relative error', () => {
    const failures = check(bounceTrack({ gScale: 0.5 }));
    expect(failures.map((f) => f.code)).toEqual(['gravity-off']);
    expect(failures[0]?.message).toBe('gravity on the ball is 4.91 m/s², expected 9.81 m/s² (-50%)');
  });

  it('does not judge gravity-off on a flight of fewer than 6 sightings', () => {
    // A 5-frame "flight" at 57% of g (a desk leg's crossing with a watermark, tracked as a ball) is no measure of g.
    const short = bounceTrack({ gScale: 0.57 }).filter((p) => p.frameIndex >= 2 && p.frameIndex <= 6);
    expect(check(short)).toEqual([]);
    const longer = bounceTrack({ gScale: 0.57 }).filter((p) => p.frameIndex >= 2 && p.frameIndex <= 7);
    expect(check(longer).map((f) => f.code)).toEqual(['gravity-off']);
  });

  it('does not judge gravity without a scale', () => {
    expect(check(bounceTrack({ gScale: 0.5 }), null)).toEqual([]);
  });

  it('reports gravity that changes after the contact, and not gravity-off', () => {
    const failures = check(bounceTrack({ gScaleAfter: 0.5 }));
    expect(failures.map((f) => f.code)).toEqual(['gravity-inconsistent']);
    expect(failures[0]?.message).toMatch(/^gravity on the ball drops from 9\.8 m\/s² to 4\.9 m\/s² at 0\.5\d s$/);
  });

  it('reports energy gained at a bounce with its restitution and time', () => {
    const failures = check(bounceTrack({ e: 1.25 }));
    expect(failures.map((f) => f.code)).toEqual(['energy-gain']);
    expect(failures[0]?.atS).toBeCloseTo(Math.sqrt(520 / G_PX_S2), 6);
    expect(failures[0]?.message).toMatch(/restitution 1\.25\)$/);
  });

  it('reports a jump, a gap and growth', () => {
    const jumped = bounceTrack().map((p) => (p.frameIndex >= 40 ? { ...p, xPx: p.xPx + 150 } : p));
    expect(check(jumped).map((f) => f.code)).toEqual(['teleport']);
    const gap = bounceTrack().filter((p) => p.frameIndex < 30 || p.frameIndex > 37);
    const vanish = check(gap);
    expect(vanish.map((f) => f.code)).toEqual(['vanish']);
    expect(vanish[0]?.message).toBe('the ball vanished for 0.27 s at 1.00 s');
    const grown = bounceTrack().map((p) => ({ ...p, radiusPx: RADIUS_PX * (1 + 0.6 * (p.frameIndex / 59)) }));
    const size = check(grown);
    expect(size.map((f) => f.code)).toEqual(['size-change']);
    expect(size[0]?.message).toBe("the ball grew from 7.5 to 10.7 px radius (×1.43)");
  });

  it('ignores a gap where the object left the frame', () => {
    const gap = bounceTrack()
      .filter((p) => p.frameIndex < 30 || p.frameIndex > 37)
      .map((p) => (p.frameIndex === 29 ? { ...p, atEdge: true } : p));
    expect(check(gap)).toEqual([]);
  });

  it('ignores a gap where the object passed under a translucent overlay, and only there', () => {
    const gap = bounceTrack().filter((p) => p.frameIndex < 30 || p.frameIndex > 37);
    // A watermark over x 150-175 during the gap: the ball's path crosses x 160-174 in frames 30-37.
    const watermark = (frameIndex: number, xPx: number, _yPx: number, radiusPx: number): boolean => frameIndex >= 28 && frameIndex <= 40 && xPx >= 150 - radiusPx && xPx <= 175 + radiusPx;
    expect(check(gap, PX_PER_M, watermark)).toEqual([]);
    // An overlay elsewhere, or one that leaves before the ball comes back, explains nothing.
    expect(check(gap, PX_PER_M, (frameIndex, xPx) => frameIndex >= 28 && xPx >= 400).map((f) => f.code)).toEqual(['vanish']);
    expect(check(gap, PX_PER_M, (frameIndex, xPx, yPx, r) => frameIndex <= 34 && watermark(frameIndex, xPx, yPx, r)).map((f) => f.code)).toEqual(['vanish']);
  });

  it('follows the arc, not a straight line, across a gap at the apex under an overlay', () => {
    // A toss whose apex (y 100 px at frame 16) falls in the gap, frames 10 to 22.
    const toss = Array.from({ length: 40 }, (_, k): VideoPoint => {
      const t = k / FPS;
      return { frameIndex: k, timeS: t, xPx: 100 + 60 * t, yPx: 100 + 0.5 * G_PX_S2 * (t - 16 / FPS) ** 2, radiusPx: RADIUS_PX, atEdge: false };
    }).filter((p) => p.frameIndex < 10 || p.frameIndex > 22);
    // A watermark band over y 95-140 while the ball is unseen: the ball (y 100-139) is under it, the
    // chord between the sightings either side of the gap (y 153) is not.
    const band = (frameIndex: number, _xPx: number, yPx: number, radiusPx: number): boolean => frameIndex >= 10 && frameIndex <= 22 && yPx >= 95 - 1.5 * radiusPx && yPx <= 140 + 1.5 * radiusPx;
    expect(check(toss, PX_PER_M, band)).toEqual([]);
  });

  it('takes the chord when a stray sighting next to the gap bends the parabola away from the overlay', () => {
    const gap = bounceTrack()
      .filter((p) => p.frameIndex < 30 || p.frameIndex > 37)
      // Frame 28, just before the gap, caught a piece of the watermark 80 px off the ball's path.
      .map((p) => (p.frameIndex === 28 ? { ...p, xPx: p.xPx - 80 } : p));
    const watermark = (frameIndex: number, xPx: number, _yPx: number, radiusPx: number): boolean => frameIndex >= 28 && frameIndex <= 40 && xPx >= 150 - radiusPx && xPx <= 175 + radiusPx;
    expect(check(gap, PX_PER_M, watermark).map((f) => f.code)).not.toContain('vanish');
  });

  it('says when an object no track followed went and where it came back, unless an overlay hid it', () => {
    // The default suite's bowling ball (seed 5): seen at the top in frames 0 and 1, found again on the floor from frame 10.
    const sighting = (frameIndex: number, yPx: number): VideoPoint => ({ frameIndex, timeS: frameIndex / FPS, xPx: 320, yPx, radiusPx: 44, atEdge: false });
    const points = [sighting(0, 65.3), sighting(1, 67.5), sighting(10, 262.9), sighting(11, 258.3)];
    const failures = reappearanceFailures({ label: 'the bowling ball', points, frameIntervalS: 1 / FPS }, TRAJECTORY_DEFAULTS);
    expect(failures).toEqual([{ code: 'vanish', message: 'the bowling ball vanished for 0.27 s at 0.07 s and came back 195 px away at 0.33 s', atS: 2 / FPS }]);
    const watermark = (_frameIndex: number, xPx: number): boolean => xPx >= 300 && xPx <= 340;
    expect(reappearanceFailures({ label: 'the bowling ball', points, frameIntervalS: 1 / FPS, underOverlay: watermark }, TRAJECTORY_DEFAULTS)).toEqual([]);
  });

  it('reports a jump in a short fall, seen between the two arcs\' ends though the arc after it has only 4 sightings', () => {
    // A bowling ball (42 px, 400 px/m) dropped from y 65 lands at 0.29 s and stays; at frame 5 it jumps 160 px sideways,
    // where it falls 18 px a frame (g·t at 0.136 s, the arcs' closest approach): 9 times that.
    const gPxS2 = 9.81 * 400;
    const floorPx = 65 + 0.5 * gPxS2 * 0.29 ** 2;
    const fall: VideoPoint[] = Array.from({ length: 30 }, (_, k) => {
      const t = k / FPS;
      return { frameIndex: k, timeS: t, xPx: k < 5 ? 320 : 480, yPx: Math.min(floorPx, 65 + 0.5 * gPxS2 * t * t), radiusPx: 42, atEdge: false };
    });
    const analysis = analyzeTrack(fall, { frameIntervalS: 1 / FPS, breakFloorPx: 1.5 });
    expect(analysis.arcs.slice(0, 2).map((arc) => arc.points)).toEqual([5, 4]);
    const failures = checkTrajectory({ label: 'the ball', points: fall, analysis, pxPerM: 400, frameIntervalS: 1 / FPS }, 9.81, TRAJECTORY_DEFAULTS);
    expect(failures.map((f) => f.code)).toEqual(['teleport']);
    expect(failures[0]?.message).toBe('the ball jumped 160 px at 0.15 s, 9 times further than its motion explains');
  });

  it('reports no jump where a track strayed onto a still speck for 4 frames: that short arc is no free flight', () => {
    // A golf ball (radius 3.7) near its apex; its track took a speck 12 px away for frames 40-43 (default suite,
    // flawed golf-ball-bounce-tiles, seed 9) before the ball's own track went on.
    const gPxS2 = 1825;
    const ball = (k: number): VideoPoint => ({ frameIndex: k, timeS: k / FPS, xPx: 319.5, yPx: 127 + 0.5 * gPxS2 * (k / FPS - 1.4) ** 2, radiusPx: 3.7, atEdge: false });
    const points = [...Array.from({ length: 20 }, (_, i) => ball(20 + i)), ...[40, 41, 42, 43].map((k) => ({ ...ball(k), xPx: 315.5, yPx: 117.2 }))];
    const analysis = analyzeTrack(points, { frameIntervalS: 1 / FPS, breakFloorPx: 1.5 });
    expect(analysis.arcs.map((arc) => arc.points)).toEqual([20, 4]);
    expect(analysis.freeFlight).toEqual([true, false]);
    const failures = checkTrajectory({ label: 'the ball', points, analysis, pxPerM: 180, frameIntervalS: 1 / FPS }, 9.81, TRAJECTORY_DEFAULTS);
    expect(failures.map((f) => f.code)).not.toContain('teleport');
  });

  it('reports a jump seen in the sightings where the arcs leave a gap: a kicked ball read small for 6 frames', () => {
    // The football's track at seed 13 of the default suite (radius 5.6 px, 290 px/s sideways), to the pixel,
    // less the sighting at 0.03 s that a watermark swelled:
    // 0.20 to 0.40 s read small and are kept out of the fits, so the first arc ends at 0.17 s with 4
    // sightings, 0.43 and 0.47 s join no arc, and from the ends of the arcs the jump back of 150 px at
    // 0.48 s is explained by the motion.
    const seen = '0:44,298,5.6 2:63,284,5.4 3:73,278,5.1 5:92,266,5.4 6:101,261,5.2 8:121,254,4.4 9:130,251,4.6 10:140,249,4.8 12:159,244,5.2 13:168,244,5.4 14:178,243,5.4 15:27,244,5.4 16:36,245,5.5 17:46,247,5.5 18:55,249,5.6 21:84,259,5.8 23:104,269,5.4 24:113,275,5.4 25:122,280,5.5 26:132,288,5.5 27:141,295,5.4';
    const points = pixelTrack(seen);
    const analysis = analyzeTrack(points, { frameIntervalS: 1 / FPS, breakFloorPx: 1.5 });
    const [before, after] = analysis.arcs as [FittedArc, FittedArc];
    expect([before.endS * FPS, after.startS * FPS]).toEqual([5, 15].map((k) => expect.closeTo(k, 9)));
    expect(seenJumpPx(before, after)).toBeLessThan(3 * 5.6);
    const failures = checkTrajectory({ label: 'the ball', points, analysis, pxPerM: 100, frameIntervalS: 1 / FPS }, 5.23, TRAJECTORY_DEFAULTS);
    expect(failures.map((f) => f.code)).toEqual(['teleport']);
    expect(failures[0]?.atS).toBeCloseTo(14.5 / FPS, 9);
    expect(failures[0]?.message).toMatch(/^the ball jumped 16\d px at 0\.48 s, its motion the same on both sides \(10 px a frame before it\)$/);
  });

  it('holds no still speck\'s arc to meet a flight that starts long after it (flawed golf-ball-rolls-off-desk, seed 9)', () => {
    // A track began on a speck lying still at (313, 134), lost it, and took the ball at its apex 1.1 s
    // later; to the pixel. The speck's arc and the ball's fall "miss" each other by 20 px.
    const seen = '2:314,135,3.2 3:313,134,3.4 4:313,134,3.5 5:313,134,3.6 6:313,134,3.6 7:313,134,3.6 8:313,134,3.6 23:358,123,4.1 24:357,123,4.3 28:345,123,3.6 42:339,38,3.6 43:345,32,3.5 44:351,28,3.1 45:357,27,2.7 46:363,26,3.1 47:368,28,3.5 48:374,32,3.6 49:380,39,2.9 50:385,46,3.5 51:391,56,3.7 52:397,68,3.6 53:403,82,2.9 54:408,97,3.6 55:414,115,3.4 56:420,134,3.7 57:425,156,3.7 58:431,179,3.5 59:437,204,3.7 60:443,232,3.5 61:448,261,3.5 62:454,293,3.7';
    const points = pixelTrack(seen);
    const analysis = analyzeTrack(points, { frameIntervalS: 1 / FPS, breakFloorPx: 1.5 });
    expect(analysis.freeFlight[0]).toBe(false);
    expect(analysis.boundaries[0]?.join.gapPx).toBeGreaterThan(3 * 3.6);
    const failures = checkTrajectory({ label: 'the ball', points, analysis, pxPerM: 180, frameIntervalS: 1 / FPS }, 9.81, TRAJECTORY_DEFAULTS);
    expect(failures.map((f) => f.code)).not.toContain('teleport');
  });

  it('takes no bounce, and no stray onto a drifting speck, for a jump in the sightings', () => {
    const ball = (k: number, xPx: number, yPx: number): VideoPoint => ({ frameIndex: k, timeS: k / FPS, xPx, yPx, radiusPx: 5, atEdge: false });
    // A bounce reverses the motion: 12 px a frame down, then 9 up.
    const bounce = Array.from({ length: 8 }, (_, k) => ball(k, 100 + 3 * k, k < 4 ? 200 + 12 * k : 236 - 9 * (k - 4)));
    expect(sightedJumps(bounce, 3)).toEqual([]);
    // A ball falling 10 px a frame whose track takes a watermark's piece drifting 2 px a frame 100 px away.
    const stray = Array.from({ length: 8 }, (_, k) => (k < 4 ? ball(k, 300, 100 + 10 * k) : ball(k, 200 + 2 * k, 120)));
    expect(sightedJumps(stray, 3)).toEqual([]);
    // The same fall, jumping 100 px sideways: the jump.
    const jump = Array.from({ length: 8 }, (_, k) => ball(k, k < 4 ? 300 : 200, 100 + 10 * k));
    expect(sightedJumps(jump, 3)).toEqual([{ atS: 3.5 / FPS, landsS: 4 / FPS, gapPx: 100, stepPx: 10 }]);
  });

  it('counts gravity in the motion: a steel ball jumping 160 px at its apex (flawed steel-ball-on-glass-plate, seed 24)', () => {
    // Radius 10.5 px; near the apex it moves 4 px a frame but falls 10 px a frame faster each frame, on both
    // sides of the jump. To the pixel; partial discs are left out, and a still speck (no acceleration) is no jump.
    const apex = pixelTrack('11:321,137,10.1 12:320,114,10.2 13:320,100,10.4 14:320,96,10.5 15:480,101,10.9 16:481,117,10 17:483,142,8.9 18:481,177,10.1');
    expect(sightedJumps(apex, 3)).toEqual([{ atS: 14.5 / FPS, landsS: 15 / FPS, gapPx: expect.closeTo(160, 0), stepPx: 4 }]);
    const ontoSpeck = apex.map((p) => (p.frameIndex >= 15 ? { ...p, xPx: 480, yPx: 101 } : p));
    expect(sightedJumps(ontoSpeck, 3)).toEqual([]);
    expect(sightedJumps(apex.map((p) => ({ ...p, partial: true })), 3)).toEqual([]);
  });

  it('reports no jump between short arcs whose extrapolations part but whose ends meet (exact steel ball rattling on glass, seed 3)', () => {
    // The arcs measured around 2.83 s of that clip: 4 sightings each, fitted across unseen small bounces (g 8335 and −5213 px/s²).
    const before: FittedArc = { startS: 2.7, endS: 2.8, tRefS: 2.75, x0Px: 320.27, vxPxS: 1.61, y0Px: 281.96, vyPxS: 134.28, gPxS2: 8334.75, gStdErrPxS2: 537.85, rmsPx: 0.3, points: 4 };
    const after: FittedArc = { startS: 2.86667, endS: 2.96667, tRefS: 2.91667, x0Px: 320.67, vxPxS: -3.59, y0Px: 294.34, vyPxS: 15.86, gPxS2: -5213.35, gStdErrPxS2: 570.13, rmsPx: 0.46, points: 4 };
    const join = joinArcs(before, after, 1 / FPS);
    const radiusPx = 10.05;
    expect(join.gapPx).toBeGreaterThan(TRAJECTORY_DEFAULTS.teleportRadii * radiusPx);
    expect(seenJumpPx(before, after)).toBeLessThan(0);
    const analysis: TrackAnalysis = {
      arcs: [before, after],
      freeFlight: [true, false],
      boundaries: [{ join, isContact: false, betweenFreeFlights: false, speedInPxS: Math.hypot(join.vxInPxS, join.vyInPxS) }],
      gravityPxS2: before.gPxS2,
      gravityStdErrPxS2: before.gStdErrPxS2,
      meanRadiusPx: radiusPx,
    };
    expect(checkTrajectory({ label: 'the ball', points: [], analysis, pxPerM: null, frameIntervalS: 1 / FPS }, 9.81, TRAJECTORY_DEFAULTS)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Blob } from '../../metrics/detect-blobs.js';
import { predictPx, recentRadius, splitAtLongGaps, touchesOverlay, Tracker, type Track } from '../../metrics/tracker.js';

const blob = (xPx: number, yPx: number, radiusPx = 10): Blob => ({ xPx, yPx, radiusPx, areaPx: Math.PI * radiusPx ** 2, rgb: [255, 0, 0] });

describe('predictPx', () => {
  it('extrapolates constant acceleration exactly', () => {
    const y = (t: number) => 10 + 5 * t + 0.5 * 900 * t * t;
    const points = [0, 1, 2].map((i) => ({ frameIndex: i, timeS: i / 30, xPx: 3 * i, yPx: y(i / 30), radiusPx: 5 }));
    const p = predictPx(points, 4 / 30);
    expect(p.xPx).toBeCloseTo(12, 9);
    expect(p.yPx).toBeCloseTo(y(4 / 30), 9);
  });
});

describe('Tracker', () => {
  it('keeps two crossing balls apart and records a gap as missing frames', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 30; i++) {
      const t = i / 30;
      const blobs = [blob(100 + 300 * t, 100 + 200 * t * t), blob(500 - 300 * t, 110 + 200 * t * t, 12)];
      // The first ball is missing for frames 12 to 15.
      tracker.update(i, t, i >= 12 && i <= 15 ? blobs.slice(1) : blobs);
    }
    const tracks = tracker.tracks();
    expect(tracks).toHaveLength(2);
    expect(tracks[0]?.points).toHaveLength(26);
    expect(tracks[1]?.points).toHaveLength(30);
    expect(tracks[0]?.points.every((p) => p.radiusPx === 10)).toBe(true);
    expect(tracks[0]?.points[12]?.frameIndex).toBe(16);
  });

  it('follows a jump of a quarter frame width and refuses a merged blob', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 20; i++) {
      const x = 100 + 5 * i + (i >= 10 ? 160 : 0);
      tracker.update(i, i / 30, i === 5 ? [blob(x, 100, 14)] : [blob(x, 100)]);
    }
    expect(tracker.tracks()[0]?.points).toHaveLength(19);
  });

  it('joins the track of a ball that came out of a merge swollen back to the ball', () => {
    // Two balls meet at frame 6 (one region, too large for either) and part; at frame 7 the right ball
    // still reads swollen and off-centre, so the merged region's track, nearer, takes it from frame 8 on.
    const tracker = new Tracker(320, 180);
    const leftX = (i: number): number => (i <= 6 ? 100 + 4 * i : 124 - 4 * (i - 6));
    const rightX = (i: number): number => (i <= 6 ? 154 - 4 * i : 130 + 4 * (i - 6));
    for (let i = 0; i < 20; i++) {
      const left = blob(leftX(i), 100, 3);
      const blobs = i === 6 ? [blob(127, 100, 4.3)] : i === 7 ? [left, blob(136, 100, 4.2)] : [left, blob(rightX(i), 100, 3)];
      tracker.update(i, i / 30, blobs);
    }
    const tracks = tracker.tracks();
    expect(tracks.map((t) => t.points.length)).toEqual([19, 20]);
    expect(tracks[1]?.points.map((p) => p.frameIndex)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(tracks[1]?.points.filter((p) => p.frameIndex > 7).every((p) => p.xPx === rightX(p.frameIndex))).toBe(true);
  });

  it('does not join a track to a ball of another size that appears where it ended', () => {
    const tracker = new Tracker(320, 180);
    for (let i = 0; i < 16; i++) tracker.update(i, i / 30, [blob(100 + 4 * i, 100, i < 8 ? 3 : 6)]);
    expect(tracker.tracks().map((t) => t.points.length)).toEqual([8, 8]);
  });

  it('keeps an object through a jump even when a stray blob appeared just before it', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 20; i++) {
      const x = 300 + 5 * i - (i >= 10 ? 160 : 0);
      // Frame 10: the object is hidden and a stray blob shows far away; from 11 on the object is back, jumped.
      const blobs = i === 10 ? [blob(250, 40, 3)] : [blob(x, 200)];
      tracker.update(i, i / 30, blobs);
    }
    const [object, stray] = tracker.tracks();
    expect(object?.points).toHaveLength(19);
    expect(stray?.points).toHaveLength(1);
  });

  it('does not jump onto a piece of a watermark when the ball goes unseen for a frame', () => {
    // A falling ball, and a watermark drifting right whose icon shows through in two disc-like pieces
    // (the frame 19 of a 1920x1080 golf clip at 24 fps, analysed at 640x360). At frame 5 the ball is missed.
    const tracker = new Tracker(640, 360);
    const ballAt = (i: number): [number, number] => [200 + 10 * i, 100 + 2 * i * i];
    for (let i = 0; i < 12; i++) {
      // The icon shows through now and then: one piece at frame 3, two at frame 5.
      const icon = i === 3 ? [blob(76 + i, 267, 3.2)] : i === 5 ? [blob(76 + i, 267, 3.2), blob(78 + i, 246, 3.2)] : [];
      const overlays = [{ minX: 80 + i, minY: 244, maxX: 200 + i, maxY: 272 }];
      tracker.update(i, i / 24, i === 5 ? icon : [blob(...ballAt(i), 4), ...icon], overlays);
    }
    const ball = tracker.tracks().find((t) => t.points[0]?.xPx === 200);
    expect(ball?.points.map((p) => p.frameIndex)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    expect(ball?.points.every((p) => p.xPx === ballAt(p.frameIndex)[0])).toBe(true);
  });

  it('does not jump onto a piece of a watermark while the ball is hidden for a while, and takes the ball back', () => {
    // A thrown ball (radius 7, 8 px a frame) hidden in frames 30-37, a planted 0.27 s vanish; a watermark's pieces
    // show in frames 32-33 and 36-37, 150 px and more from where the ball was last seen (default suite,
    // rubber-ball-thrown-across-room seed 8: its track went into the watermark and the ball came back as a new track).
    const tracker = new Tracker(640, 360);
    const ballAt = (i: number): [number, number] => [70 + 7 * i, 320 - 15 * i + 0.3 * i * i];
    const overlays = [{ minX: 50, minY: 300, maxX: 177, maxY: 330 }];
    const pieces: Record<number, Blob[]> = { 32: [blob(168.6, 331.1, 5.5)], 33: [blob(69.1, 331.1, 8.5)], 36: [blob(77.9, 320.3, 5.6)], 37: [blob(169.9, 318.4, 4.7)] };
    for (let i = 0; i < 50; i++) {
      const hidden = i >= 30 && i <= 37;
      tracker.update(i, i / 30, [...(hidden ? [] : [blob(...ballAt(i), 7)]), ...(pieces[i] ?? [])], overlays);
    }
    const ball = tracker.tracks().find((t) => t.points[0]?.frameIndex === 0);
    const seen = Array.from({ length: 50 }, (_, i) => i).filter((i) => i < 30 || i > 37);
    expect(ball?.points.map((p) => p.frameIndex)).toEqual(seen);
    expect(ball?.points.every((p) => p.xPx === ballAt(p.frameIndex)[0])).toBe(true);
  });

  it('does not take a watermark piece far sideways of a ball going straight up, within three of its steps (seed 32)', () => {
    // The golf ball of golf-ball-bounce-tiles (flawed, seed 32, 640x360) as the detector saw it: falling at
    // x ≈ 320, bouncing at frame 17, unseen at 19 and 21 (read as partial discs at 20 and 21), back at 22.
    // At 20 a watermark's piece shows 103 px to its right, 105 px from its last sighting: within three of its
    // 25 px steps, but the ball had no sideways speed. Taken, the track followed the watermark, a new track
    // took the ball, and the planted vanish (frames 27-35) fell between two tracks and was not reported.
    const ys = [25.91, 26.92, 29.88, 35.83, 43.33, 52.01, 62.88, 75.73, 91.99, 108.8, 128.13, 149.59, 172.67, 197.93, 224.9, 255.74, 286.44, 295.12, 269.72];
    const tracker = new Tracker(640, 360);
    ys.forEach((y, i) => tracker.update(i, i / 30, [blob(319.8, y, 3.6)], [{ minX: 346 - 3 * i, minY: 231, maxX: 472 - 3 * i, maxY: 259 }]));
    tracker.update(19, 19 / 30, [], [{ minX: 297, minY: 227, maxX: 424, maxY: 255 }]);
    tracker.update(20, 20 / 30, [blob(423.1, 249.3, 3.74)], [{ minX: 294, minY: 227, maxX: 421, maxY: 255 }]);
    tracker.update(21, 21 / 30, [], [{ minX: 292, minY: 226, maxX: 416, maxY: 254 }]);
    tracker.update(22, 22 / 30, [blob(319.6, 189.7, 3.66), blob(418.4, 233.4, 4.13)], [{ minX: 288, minY: 226, maxX: 413, maxY: 254 }]);
    const ball = tracker.tracks().find((t) => t.points[0]?.frameIndex === 0);
    expect(ball?.points.slice(-2).map((p) => [p.frameIndex, p.xPx])).toEqual([[18, 319.8], [22, 319.6]]);
  });

  it('still follows a jump in clear view, and a jump onto a pale ball whose own lit side reads as a veil', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 20; i++) {
      const x = 100 + 5 * i + (i >= 10 ? 160 : 0);
      tracker.update(i, i / 30, [blob(x, 100, 6)], [{ minX: x - 4, minY: 96, maxX: x, maxY: 100 }]);
    }
    expect(tracker.tracks()).toHaveLength(1);
  });

  it('keeps a teleport by a watermark in one track: the jump refused while tracking is joined back', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 20; i++) {
      const x = 100 + 5 * i + (i >= 10 ? 160 : 0);
      tracker.update(i, i / 30, [blob(x, 100, 6)], [{ minX: 250, minY: 80, maxX: 400, maxY: 95 }]);
    }
    expect(tracker.tracks().map((t) => t.points.length)).toEqual([20]);
  });

  it('lets a young track by a watermark take its next sighting: with one sighting it has no step to judge a jump by', () => {
    // A golf ball (radius 4) rolls 8 px a frame to a desk's edge and falls (y grows by 4·(i − 3)² px) beside
    // a watermark's box. Unseen in frames 4-5, it shows in frame 6 as a crescent (radius 2.9, centre 5 px
    // off: a young track of its own) and in frame 7 at radius 3.5, which the young track must take (the
    // rolling track's prediction is 64 px off), so the two join into the ball's track.
    const tracker = new Tracker(640, 360);
    const overlays = [{ minX: 140, minY: 70, maxX: 150, maxY: 300 }];
    for (let i = 0; i < 12; i++) {
      const x = 100 + 8 * i;
      const y = 40 + (i > 3 ? 4 * (i - 3) ** 2 : 0);
      const ball = i === 6 ? blob(x + 5, y, 2.9) : blob(x, y, i === 7 ? 3.5 : 4);
      tracker.update(i, i / 30, i === 4 || i === 5 ? [] : [ball], overlays);
    }
    expect(tracker.tracks().map((t) => t.points.map((p) => p.frameIndex))).toEqual([[0, 1, 2, 3, 6, 7, 8, 9, 10, 11]]);
  });

  it('counts a disc within 1.5 radii of an overlay as touching it, but not its own lit side', () => {
    const overlay = { minX: 100, minY: 100, maxX: 160, maxY: 120 };
    expect(touchesOverlay(94, 110, 4, [overlay])).toBe(true);
    expect(touchesOverlay(93, 110, 4, [overlay])).toBe(false);
    expect(touchesOverlay(50, 50, 4, [{ minX: 48, minY: 47, maxX: 52, maxY: 50 }])).toBe(false);
    expect(touchesOverlay(50, 50, 4, [{ minX: 48, minY: 47, maxX: 58, maxY: 50 }])).toBe(true);
  });

  it('continues a moving track with a partial disc where its ball should be, and nowhere else', () => {
    // A ball falls past a floor whose colour matches its shaded side: frames 6-8 see only a crescent.
    // A stray partial disc far off, and one near a track too young to predict, are left alone.
    const tracker = new Tracker(640, 360);
    const y = (i: number): number => 40 + 0.5 * i * i;
    for (let i = 0; i < 12; i++) {
      const crescent = i >= 6 && i <= 8;
      const blobs = crescent ? [] : [blob(100, y(i), 4)];
      const partials = crescent ? [blob(100.8, y(i) + 1, 3.2), blob(400, 200, 3.5)] : i === 1 ? [blob(300, 100, 4)] : [];
      if (i === 0) blobs.push(blob(300, 100, 4));
      tracker.update(i, i / 30, blobs, [], partials);
    }
    const [ball, young, ...others] = tracker.tracks();
    expect(others).toEqual([]);
    expect(ball?.points.map((p) => p.frameIndex)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(ball?.points.filter((p) => p.partial === true).map((p) => p.frameIndex)).toEqual([6, 7, 8]);
    expect(young?.points.map((p) => p.frameIndex)).toEqual([0]);
  });

  it('takes a partial disc that reads smaller than the ball, down to half its radius (flickering golf ball, seed 16)', () => {
    // A white golf ball (radius 3.7) on pale tiles, in the bright frames of a flickering clip: frames 5-8
    // show only partial discs, reading 0.76 of its radius; in frame 10 one reads under half of it.
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 12; i++) {
      const at = (r: number) => blob(320, 100 + 8 * i, r);
      const partial = (i >= 5 && i <= 8) || i === 10;
      tracker.update(i, i / 30, partial ? [] : [at(3.7)], [], partial ? [at(i === 10 ? 1.7 : 2.8)] : []);
    }
    const [ball] = tracker.tracks();
    expect(ball?.points.filter((p) => p.partial === true).map((p) => p.frameIndex)).toEqual([5, 6, 7, 8]);
    expect(ball?.points.map((p) => p.frameIndex)).not.toContain(10);
  });

  it('does not take a partial disc for a track that vanished, nor one of another size', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 10; i++) {
      // Frames 4-5: the ball is gone; a partial disc lies where it would be in frame 5, and in frame 7 one twice its size.
      const blobs = i === 4 || i === 5 ? [] : i === 7 ? [] : [blob(100 + 5 * i, 100, 4)];
      const partials = i === 5 ? [blob(125, 100, 3.5)] : i === 7 ? [blob(135, 100, 8)] : [];
      tracker.update(i, i / 30, blobs, [], partials);
    }
    expect(tracker.tracks().map((t) => t.points.map((p) => p.frameIndex))).toEqual([[0, 1, 2, 3, 6, 8, 9]]);
  });

  it('follows a teleport by a watermark from a partial disc: without the partial the frame was a gap', () => {
    // The ball's last sighting before the jump is a partial disc whose own lit cap reads as an overlay
    // beside it: a jump from it is not refused, so the teleport stays in the ball's one track. (Refused,
    // the old track would take the stray blob of frames 14-16 and not be joined to the ball's new one.)
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 20; i++) {
      const x = 100 + 5 * i + (i >= 10 ? 160 : 0);
      const partial = i === 9;
      const overlays = partial ? [{ minX: x - 6, minY: 95, maxX: x - 2, maxY: 98 }] : [];
      const blobs = partial ? [] : [blob(x, 100, 4)];
      if (i >= 14 && i <= 16) blobs.push(blob(200 + 2 * i, 160, 4));
      tracker.update(i, i / 30, blobs, overlays, partial ? [blob(x + 1, 101, 3.2)] : []);
    }
    expect(tracker.tracks().map((t) => t.points.length)).toEqual([20, 3]);
  });

  it('accepts a smaller blob where the object is cut off by the frame border', () => {
    const tracker = new Tracker(640, 360);
    for (let i = 0; i < 8; i++) tracker.update(i, i / 30, [blob(40 - 6 * i, 200, i >= 6 ? 6 : 10)]);
    expect(tracker.tracks()).toHaveLength(1);
  });
});

describe('recentRadius', () => {
  it('is the median of the last 5 sightings, partial discs left out unless there is nothing else', () => {
    const at = (frameIndex: number, radiusPx: number, partial = false) => ({ frameIndex, timeS: frameIndex / 30, xPx: 0, yPx: 0, radiusPx, ...(partial ? { partial } : {}) });
    expect(recentRadius([4, 4.2, 3, 3.1, 3.1].map((r, i) => at(i, r)))).toBe(3.1);
    // A golf ball's last three sightings were partial discs reading 0.75 of it (default suite, flawed, seed 5).
    expect(recentRadius([4, 4.2, 3, 3.1, 3.1].map((r, i) => at(i, r, i >= 2)))).toBe(4.2);
    expect(recentRadius([3, 3.1, 2.9].map((r, i) => at(i, r, true)))).toBe(3);
  });
});

describe('splitAtLongGaps', () => {
  const trackSeenAt = (frames: number[]): Track => ({ id: 4, points: frames.map((frameIndex) => ({ frameIndex, timeS: frameIndex / 24, xPx: frameIndex, yPx: 0, radiusPx: 5 })) });
  const framesOf = (track: Track): number[] => track.points.map((p) => p.frameIndex);

  it('cuts where the track went unseen for longer than the limit, the first piece keeping its id', () => {
    const pieces = splitAtLongGaps(trackSeenAt([0, 1, 2, 3, 50, 52, 66, 67, 68]), 12, 9);
    expect(pieces.map((p) => p.id)).toEqual([4, 9, 10]);
    expect(pieces.map(framesOf)).toEqual([[0, 1, 2, 3], [50, 52], [66, 67, 68]]);
  });

  it('keeps a track whose gaps are all within the limit whole', () => {
    const pieces = splitAtLongGaps(trackSeenAt([0, 1, 8, 9, 22]), 12, 9);
    expect(pieces.map((p) => p.id)).toEqual([4]);
    expect(pieces.map(framesOf)).toEqual([[0, 1, 8, 9, 22]]);
  });
});

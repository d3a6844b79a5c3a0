import { describe, expect, it } from 'vitest';
import type { Blob } from '../../metrics/detect-blobs.js';
import { findReappearance, type ReappearanceOptions } from '../../metrics/reappearance.js';
import { Tracker, TRACKER_DEFAULTS, type Track } from '../../metrics/tracker.js';

const FPS = 30;
const WIDTH = 640;
const HEIGHT = 360;
const blob = (xPx: number, yPx: number, radiusPx = 44): Blob => ({ xPx, yPx, radiusPx, areaPx: Math.PI * radiusPx ** 2, rgb: [31, 58, 147] });

const tracker = new Tracker(WIDTH, HEIGHT);
const OPTIONS: ReappearanceOptions = { minGapFrames: 4, minLaterSightings: 8, maxRadiusRatio: TRACKER_DEFAULTS.maxRadiusRatio, minTravelRadii: 2, atBorder: (x, y, r) => tracker.atBorder(x, y, r) };

/** The tracks of a 3 s clip given the blobs seen in each frame. */
function tracksOf(blobsAt: (frameIndex: number) => Blob[]): readonly Track[] {
  const clip = new Tracker(WIDTH, HEIGHT);
  for (let i = 0; i < 3 * FPS; i++) clip.update(i, i / FPS, blobsAt(i));
  return clip.tracks();
}

/** A bowling ball (44 px, 400 px/m) dropped from y 65 that lands at y 266 after 0.32 s and stays. */
const dropYPx = (frameIndex: number): number => Math.min(266, 65 + 0.5 * 9.81 * 400 * (frameIndex / FPS) ** 2);

describe('findReappearance', () => {
  it('joins a ball seen before its fall to where it lies, unseen for the whole fall in between', () => {
    // Hidden in frames 2 to 9, as the planted 0.25 s vanish of the default suite's bowling ball (seed 5): the
    // two sightings before it are a track too young to reach the floor 190 px away.
    const tracks = tracksOf((i) => (i >= 2 && i <= 9 ? [] : [blob(320, dropYPx(i))]));
    expect(tracks).toHaveLength(2);
    const found = findReappearance(tracks, OPTIONS);
    expect(found?.before.points.map((p) => p.frameIndex)).toEqual([0, 1]);
    expect(found?.after.points[0]?.frameIndex).toBe(10);
    expect(found?.after.points).toHaveLength(80);
  });

  it('finds nothing in a ball seen all along, nor in one that blinks where it lies', () => {
    expect(findReappearance(tracksOf((i) => [blob(320, dropYPx(i))]), OPTIONS)).toBeNull();
    expect(findReappearance(tracksOf((i) => (i >= 40 && i <= 50 ? [] : [blob(320, 266)])), OPTIONS)).toBeNull();
  });

  it('finds nothing when the thing seen first is of another size, or left through the border', () => {
    const smaller = tracksOf((i) => (i >= 2 && i <= 9 ? [] : [blob(320, dropYPx(i), i < 2 ? 20 : 44)]));
    expect(findReappearance(smaller, OPTIONS)).toBeNull();
    const leftAtTop = tracksOf((i) => (i >= 2 && i <= 9 ? [] : [blob(320, i < 2 ? 40 : dropYPx(i))]));
    expect(findReappearance(leftAtTop, OPTIONS)).toBeNull();
  });

  it('finds nothing when the ball comes back too soon to have vanished, or only for a few frames', () => {
    expect(findReappearance(tracksOf((i) => (i >= 2 && i <= 4 ? [] : [blob(320, i < 2 ? 65 : 266)])), OPTIONS)).toBeNull();
    expect(findReappearance(tracksOf((i) => (i < 2 || (i >= 10 && i < 16) ? [blob(320, i < 2 ? 65 : 266)] : [])), OPTIONS)).toBeNull();
  });
});

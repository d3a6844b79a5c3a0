import { earlyRadius, recentRadius, sameSize, type Track } from './tracker.js';

export interface ReappearanceOptions {
  /** Frames unseen between the two sightings that make a vanish (TRAJECTORY_DEFAULTS.vanishFrames). */
  minGapFrames: number;
  /** Sightings the object needs where it is found again: a lasting object, not a speck. */
  minLaterSightings: number;
  /** The two sizes, as a ratio either way, within which they are one object (the tracker's maxRadiusRatio). */
  maxRadiusRatio: number;
  /** It must come back at least this many of its radii from where it went: it moved, unseen. */
  minTravelRadii: number;
  /** True when a disc touches the frame border (analysis px): an object that left the frame or came in has not vanished. */
  atBorder: (xPx: number, yPx: number, radiusPx: number) => boolean;
}

/** The tracks either side of an object's disappearance: the one that ended when it went and the one that began when it came back. */
export interface Reappearance {
  before: Track;
  after: Track;
}

/**
 * Object permanence where no track moved by itself: a ball seen before its fall and found again on the
 * floor, unseen in between, leaves a short track where it was and a still one where it lies, neither a
 * moving object. The object found again is the longest track (at least `minLaterSightings`); the one it
 * went from is the track that ended latest before it, at least `minGapFrames` unseen frames earlier, of
 * the same size (within `maxRadiusRatio`), clear of the border at both ends of the gap, and at least
 * `minTravelRadii` of its radii away. Null when there is none.
 */
export function findReappearance(tracks: readonly Track[], options: ReappearanceOptions): Reappearance | null {
  const after = tracks.reduce<Track | null>((best, t) => (t.points.length > (best?.points.length ?? 0) ? t : best), null);
  const seenAgain = after?.points[0];
  if (after === null || seenAgain === undefined || after.points.length < options.minLaterSightings) return null;
  const radiusAgainPx = earlyRadius(after.points);
  if (options.atBorder(seenAgain.xPx, seenAgain.yPx, seenAgain.radiusPx)) return null;
  let before: Track | null = null;
  for (const track of tracks) {
    const lastSeen = track.points[track.points.length - 1];
    if (track === after || lastSeen === undefined || seenAgain.frameIndex - lastSeen.frameIndex - 1 < options.minGapFrames) continue;
    const radiusPx = recentRadius(track.points);
    if (!sameSize(radiusAgainPx / radiusPx, options.maxRadiusRatio) || options.atBorder(lastSeen.xPx, lastSeen.yPx, lastSeen.radiusPx)) continue;
    const travelPx = Math.hypot(seenAgain.xPx - lastSeen.xPx, seenAgain.yPx - lastSeen.yPx);
    if (travelPx < (options.minTravelRadii * (radiusPx + radiusAgainPx)) / 2) continue;
    const latestEnd = before?.points[before.points.length - 1]?.frameIndex ?? -Infinity;
    if (lastSeen.frameIndex > latestEnd) before = track;
  }
  return before === null ? null : { before, after };
}

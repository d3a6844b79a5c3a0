import { arcPositionPx, fitArc } from './fit-arc.js';
import { recentRadius, sameSize, TRACKER_DEFAULTS, type Track, type TrackPoint } from './tracker.js';

export interface GapFillOptions {
  /** A sighting joins a gap only when its radius is within this factor of the track's radius there (TrackerOptions.maxRadiusRatio). */
  maxRadiusRatio: number;
  /** ... and lies within this many of the track's radii of the path through the gap. */
  maxOffsetRadii: number;
  /** Only a track with at least this many sightings has gaps worth filling: a few specks have no path. */
  minTrackSightings: number;
}

export const GAP_FILL_DEFAULTS: GapFillOptions = { maxRadiusRatio: TRACKER_DEFAULTS.maxRadiusRatio, maxOffsetRadii: 1, minTrackSightings: 8 };

/** Sightings each side of a gap that give the path through it: two, so the arc through them has its curvature from both. */
const SIDE_SIGHTINGS = 2;

/**
 * Fills the gaps of long tracks with the sightings of short tracks (no object's own) that lie inside a gap, on the
 * free-flight arc through the sightings either side of it, and of the same size. A ball that
 * crosses a translucent watermark reads swollen for a frame or two (merged with the watermark's icon):
 * those sightings start a track of their own, which then holds the ball's next, whole sightings
 * (nearer to it than to the ball's own track), and the ball's track shows a gap it never had, a false
 * `vanish`. The swollen sightings stay out (size), so do those of a gap across a bounce (the path).
 * A ball that truly vanished leaves no sighting on its path. Tracks are not modified; a track left
 * without sightings is dropped.
 */
export function fillTrackGaps(tracks: readonly Track[], options: GapFillOptions = GAP_FILL_DEFAULTS): Track[] {
  const filled = tracks.map((t) => ({ id: t.id, points: [...t.points] }));
  const byLength = [...filled].sort((a, b) => b.points.length - a.points.length);
  for (const track of byLength) {
    if (track.points.length < options.minTrackSightings) continue;
    for (let i = 0; i + 1 < track.points.length; i++) {
      const before = track.points[i] as TrackPoint;
      const after = track.points[i + 1] as TrackPoint;
      if (after.frameIndex - before.frameIndex < 2) continue;
      const found = sightingsInGap(track.points, i, filled, track, options);
      if (found.length === 0) continue;
      track.points.splice(i + 1, 0, ...found);
      i += found.length;
    }
  }
  return filled.filter((t) => t.points.length > 0);
}

/**
 * The sightings of other tracks (taken out of them) that fill the gap after `points[gapAt]`: only from
 * tracks too short to be an object, and of those only the ones inside the gap, on the path, of the size.
 */
function sightingsInGap(points: readonly TrackPoint[], gapAt: number, tracks: readonly Track[], own: Track, options: GapFillOptions): TrackPoint[] {
  const side = [...points.slice(Math.max(0, gapAt + 1 - SIDE_SIGHTINGS), gapAt + 1), ...points.slice(gapAt + 1, gapAt + 1 + SIDE_SIGHTINGS)];
  // The free-flight arc through the sightings either side (four: none can be dropped as an outlier).
  const path = fitArc(side);
  if (path.status !== 'ok') return [];
  const before = points[gapAt] as TrackPoint;
  const after = points[gapAt + 1] as TrackPoint;
  const radiusPx = recentRadius(points.slice(0, gapAt + 1));
  const found: TrackPoint[] = [];
  for (const other of tracks) {
    // A track of its own (as many sightings as the one filled needs) is another object's.
    if (other === own || other.points.length >= options.minTrackSightings) continue;
    const fits = other.points.filter((p) => {
      if (p.frameIndex <= before.frameIndex || p.frameIndex >= after.frameIndex) return false;
      if (found.some((q) => q.frameIndex === p.frameIndex)) return false;
      if (!sameSize(p.radiusPx / radiusPx, options.maxRadiusRatio)) return false;
      const { xPx, yPx } = arcPositionPx(path.arc, p.timeS);
      return Math.hypot(p.xPx - xPx, p.yPx - yPx) <= options.maxOffsetRadii * radiusPx;
    });
    if (fits.length === 0) continue;
    found.push(...fits);
    other.points = other.points.filter((p) => !fits.includes(p));
  }
  return found.sort((a, b) => a.frameIndex - b.frameIndex);
}

import { isNearBox, type Blob, type BlobShape, type PixelBox } from './detect-blobs.js';

/** One sighting of a tracked object, in analysis pixels. */
export interface TrackPoint {
  frameIndex: number;
  timeS: number;
  xPx: number;
  yPx: number;
  radiusPx: number;
  /** The sighting's outline, as the blob measured it (absent when it was not). */
  shape?: BlobShape;
  /** The blob's limb radius, where its outline was sharp enough to fit (see Blob.limbRadiusPx). */
  limbRadiusPx?: number;
  /** True for a partial disc (see Tracker.update): the ball was there, but its centre and radius lean towards the part seen. */
  partial?: boolean;
}

export interface Track {
  id: number;
  points: TrackPoint[];
}

export interface TrackerOptions {
  /** A blob further than this share of the frame diagonal from a track's prediction cannot join it ... */
  gateShare: number;
  /** ... or this share, for a track of fewer than 3 points (no velocity yet: a stray blob must not grab a far object). */
  youngGateShare: number;
  /** A track that missed more than this many frames chooses after the others. */
  staleFrames: number;
  /**
   * A blob more than this factor larger than the track's recent radius cannot join it: two touching
   * balls merge into one region about √2 times larger, which belongs to neither.
   */
  maxRadiusRatio: number;
  /**
   * ... nor one smaller than this factor of it. A ball partly hidden (under an overlay, or its lit side
   * lost against a pale wall) reads smaller for a frame or two and is still the same ball, when it lies
   * within a radius of where the ball should be.
   */
  minRadiusRatio: number;
  /** A track not seen for this many frames is closed; a later blob starts a new track. */
  maxMissedFrames: number;
  /**
   * A step from the frame before longer than this many of the track's radii, from its prediction and from its
   * last place, is a jump: one that starts or ends at a translucent overlay is refused (see `touchesOverlay`).
   */
  overlayJumpRadii: number;
}

export const TRACKER_DEFAULTS: TrackerOptions = { gateShare: 0.35, youngGateShare: 0.1, staleFrames: 3, maxRadiusRatio: 1.3, minRadiusRatio: 0.5, maxMissedFrames: 90, overlayJumpRadii: 4 };

/**
 * Where a track should be at `timeS`: the quadratic through its last three points (constant
 * acceleration, Lagrange form), the line through two, or the last position.
 */
export function predictPx(points: readonly TrackPoint[], timeS: number): { xPx: number; yPx: number } {
  const c = points[points.length - 1];
  if (c === undefined) throw new RangeError('predictPx needs at least one point');
  const b = points[points.length - 2];
  const a = points[points.length - 3];
  if (b === undefined) return { xPx: c.xPx, yPx: c.yPx };
  if (a === undefined) {
    const k = (timeS - c.timeS) / (c.timeS - b.timeS);
    return { xPx: c.xPx + k * (c.xPx - b.xPx), yPx: c.yPx + k * (c.yPx - b.yPx) };
  }
  const la = ((timeS - b.timeS) * (timeS - c.timeS)) / ((a.timeS - b.timeS) * (a.timeS - c.timeS));
  const lb = ((timeS - a.timeS) * (timeS - c.timeS)) / ((b.timeS - a.timeS) * (b.timeS - c.timeS));
  const lc = ((timeS - a.timeS) * (timeS - b.timeS)) / ((c.timeS - a.timeS) * (c.timeS - b.timeS));
  return { xPx: la * a.xPx + lb * b.xPx + lc * c.xPx, yPx: la * a.yPx + lb * b.yPx + lc * c.yPx };
}

function sightingOf(frameIndex: number, timeS: number, blob: Blob): TrackPoint {
  const { xPx, yPx, radiusPx, shape, limbRadiusPx } = blob;
  return { frameIndex, timeS, xPx, yPx, radiusPx, shape, ...(limbRadiusPx === undefined ? {} : { limbRadiusPx }) };
}

/** True when a radius ratio stays within `maxRatio` either way: one object's size, seen twice. */
export function sameSize(ratio: number, maxRatio: number): boolean {
  return ratio <= maxRatio && ratio >= 1 / maxRatio;
}

/** Sightings whose radii give a track's recent size. */
const RECENT_SIGHTINGS = 5;

/**
 * Median radius of a track's last few sightings: one partly hidden sighting does not move it. Partial
 * discs count only when there is nothing else: they read smaller than the ball, and three of them in a
 * row made a golf ball's next whole sighting look too large to be it.
 */
export function recentRadius(points: readonly TrackPoint[]): number {
  const whole = points.filter((p) => p.partial !== true);
  const radii = (whole.length > 0 ? whole : points).slice(-RECENT_SIGHTINGS).map((p) => p.radiusPx).sort((a, b) => a - b);
  return radii[radii.length >> 1] as number;
}

/**
 * Multi-object tracker: each frame, every (track, blob) pair within the gate is scored by the
 * distance from the track's constant-acceleration prediction or its last position, and pairs are
 * taken nearest first (greedy global nearest neighbour), tracks seen in the last few frames before
 * tracks lost for longer; a track too young to have a velocity has a tighter gate. Unclaimed blobs start tracks. Missed frames stay gaps in the
 * track; nothing is interpolated. Keeps only the tracks' own points.
 */
export class Tracker {
  private readonly gatePx: number;
  private readonly youngGatePx: number;
  private readonly options: TrackerOptions;
  private readonly all: Track[] = [];
  private readonly active: Track[] = [];
  private lastFrameIndex = -1;
  /** The overlays of the last frame given to `update` (copied: the caller's list may be reused). */
  private lastOverlays: PixelBox[] = [];

  constructor(
    private readonly width: number,
    private readonly height: number,
    options: TrackerOptions = TRACKER_DEFAULTS,
  ) {
    this.options = options;
    this.gatePx = options.gateShare * Math.hypot(width, height);
    this.youngGatePx = options.youngGateShare * Math.hypot(width, height);
  }

  /** True when a disc at (x, y) of radius r reaches within a pixel of the frame border. */
  atBorder(xPx: number, yPx: number, radiusPx: number): boolean {
    return xPx - radiusPx < 1 || yPx - radiusPx < 1 || xPx + radiusPx > this.width - 2 || yPx + radiusPx > this.height - 2;
  }

  /**
   * Takes the frame's blobs. `overlays`: the translucent white layers seen in the frame (a watermark),
   * analysis px. A watermark's icon shows through it in pieces that look like small discs: a track that
   * jumped onto one lost its ball, and the ball, back a frame later, went to the piece's own track. A ball
   * hidden by a watermark is a gap in its track; one that comes out again is near where it was going.
   * `partials`: regions shaped like a ball but for a part that matched the background (see
   * BlobWorkspace.partials); one continues a moving track that finds no blob, where the ball should be.
   */
  update(frameIndex: number, timeS: number, blobs: readonly Blob[], overlays: readonly PixelBox[] = [], partials: readonly Blob[] = []): void {
    const pairs: Array<{ track: Track; blob: Blob; distancePx: number; stale: boolean }> = [];
    for (const track of this.active) {
      const last = track.points[track.points.length - 1] as TrackPoint;
      const predicted = predictPx(track.points, timeS);
      const recentRadiusPx = recentRadius(track.points);
      for (const blob of blobs) {
        const ratio = blob.radiusPx / recentRadiusPx;
        // Cut off by the frame border, an object looks smaller: its size says nothing there.
        const sizeComparable = !this.atBorder(blob.xPx, blob.yPx, blob.radiusPx) && !this.atBorder(last.xPx, last.yPx, last.radiusPx);
        if (sizeComparable && (ratio > this.options.maxRadiusRatio || ratio < this.options.minRadiusRatio)) continue;
        // The last position also counts: after a jump the prediction overshoots, the last position does not.
        const distancePx = Math.min(
          Math.hypot(blob.xPx - predicted.xPx, blob.yPx - predicted.yPx),
          Math.hypot(blob.xPx - last.xPx, blob.yPx - last.yPx),
        );
        // A notably smaller sighting is the ball partly hidden only where the ball should be.
        const shrunk = sizeComparable && ratio < 1 / this.options.maxRadiusRatio;
        const gatePx = shrunk ? recentRadiusPx : track.points.length < 3 ? this.youngGatePx : this.gatePx;
        // Only a track with a velocity (3 sightings) jumps: a young track's next step is unknown. A step no
        // longer than a few of its last steps per frame missed is motion (a fast ball leaving a bounce; after
        // a gap, one that bounced unseen and came back off its prediction). Else, by an overlay, it is a jump
        // onto a watermark's piece: a ball hidden for 0.27 s had its track taken 150 px away into a watermark.
        // After a gap only an established track is held so: a few specks strung together have no object to
        // keep, and when they take a watermark's pieces, the pieces make no track of their own. A partial disc
        // is no sure place to jump from: without it the frame was a gap.
        const seenJustBefore = last.frameIndex === this.lastFrameIndex && last.partial !== true;
        const jumpFloorPx = this.options.overlayJumpRadii * recentRadiusPx;
        const jumps =
          (seenJustBefore ? track.points.length >= 3 : track.points.length >= ESTABLISHED_SIGHTINGS) &&
          distancePx > jumpFloorPx &&
          beyondMotion(track.points, blob, distancePx, frameIndex - last.frameIndex, jumpFloorPx);
        // The overlays of the frame the track was last seen in are kept only for the frame before.
        const leavesOverlay = seenJustBefore && touchesOverlay(last.xPx, last.yPx, last.radiusPx, this.lastOverlays);
        if (jumps && (touchesOverlay(blob.xPx, blob.yPx, blob.radiusPx, overlays) || leavesOverlay)) continue;
        if (distancePx <= gatePx) pairs.push({ track, blob, distancePx, stale: this.lastFrameIndex - last.frameIndex > this.options.staleFrames });
      }
    }
    // Tracks seen recently choose first: a track lost long ago must not take over an object that
    // jumped towards where it was last seen.
    pairs.sort((p, q) => Number(p.stale) - Number(q.stale) || p.distancePx - q.distancePx);
    const claimedTracks = new Set<Track>();
    const claimedBlobs = new Set<Blob>();
    for (const { track, blob } of pairs) {
      if (claimedTracks.has(track) || claimedBlobs.has(blob)) continue;
      claimedTracks.add(track);
      claimedBlobs.add(blob);
      track.points.push(sightingOf(frameIndex, timeS, blob));
    }
    for (const blob of blobs) {
      if (claimedBlobs.has(blob)) continue;
      const track: Track = { id: this.all.length + 1, points: [sightingOf(frameIndex, timeS, blob)] };
      this.all.push(track);
      this.active.push(track);
    }
    this.continueWithPartials(frameIndex, timeS, partials, claimedTracks);
    this.lastFrameIndex = frameIndex;
    this.lastOverlays = overlays.map((box) => ({ ...box }));
    for (let i = this.active.length - 1; i >= 0; i--) {
      const track = this.active[i] as Track;
      const last = track.points[track.points.length - 1] as TrackPoint;
      if (frameIndex - last.frameIndex > this.options.maxMissedFrames) this.active.splice(i, 1);
    }
  }

  /**
   * Gives each moving track (3 sightings, seen in the frame before) that no blob continued the nearest
   * partial disc within 1.5 radii of its prediction, no larger than the ball and not under half its radius:
   * the ball, part of it lost against the background. A white golf ball on pale tiles, in the bright frames
   * of a flickering clip, read 0.76 of its radius and went unseen 4 frames in a row (a false `vanish`).
   * Nowhere else is a partial disc a ball; a ball that vanished leaves none there.
   */
  private continueWithPartials(frameIndex: number, timeS: number, partials: readonly Blob[], claimedTracks: ReadonlySet<Track>): void {
    const taken = new Set<Blob>();
    for (const track of this.active) {
      const last = track.points[track.points.length - 1] as TrackPoint;
      if (claimedTracks.has(track) || track.points.length < 3 || last.frameIndex !== this.lastFrameIndex) continue;
      const predicted = predictPx(track.points, timeS);
      const recentRadiusPx = recentRadius(track.points);
      let best: Blob | null = null;
      let bestDistancePx = PARTIAL_GATE_RADII * recentRadiusPx;
      for (const partial of partials) {
        const ratio = partial.radiusPx / recentRadiusPx;
        // Part of it lost, a partial disc reads smaller: as a blob (minRadiusRatio), never larger.
        if (taken.has(partial) || ratio > this.options.maxRadiusRatio || ratio < this.options.minRadiusRatio) continue;
        const distancePx = Math.hypot(partial.xPx - predicted.xPx, partial.yPx - predicted.yPx);
        if (distancePx <= bestDistancePx) {
          best = partial;
          bestDistancePx = distancePx;
        }
      }
      if (best === null) continue;
      taken.add(best);
      const { xPx, yPx, radiusPx } = best;
      track.points.push({ frameIndex, timeS, xPx, yPx, radiusPx, partial: true });
    }
  }

  /** Every track so far, in order of first sighting, with tracks broken by swollen sightings joined (see `joinBrokenTracks`). */
  tracks(): readonly Track[] {
    return joinBrokenTracks(this.all, this.options, this.youngGatePx, this.gatePx);
  }
}

/** A partial disc continues a track within this many radii of its prediction: its centroid leans up to half a radius towards the part seen. */
const PARTIAL_GATE_RADII = 1.5;

/** Sightings that make a track an object's after a gap (as the trajectory metric's shortest track kept, 8 frames). */
const ESTABLISHED_SIGHTINGS = 8;

/** A step longer than this many of the track's last step (per frame) is more than its motion: a jump. */
const JUMP_STEPS = 3;

/** A track's last step per frame, px (0 for a single sighting). */
function lastStepPx(points: readonly TrackPoint[]): { dxPx: number; dyPx: number } {
  const last = points[points.length - 1];
  const before = points[points.length - 2];
  if (last === undefined || before === undefined) return { dxPx: 0, dyPx: 0 };
  const frames = last.frameIndex - before.frameIndex;
  return { dxPx: (last.xPx - before.xPx) / frames, dyPx: (last.yPx - before.yPx) / frames };
}

/**
 * True when a step of `distancePx` (from the prediction or the last sighting, the nearer) to `blob`,
 * `frames` frames after the track's last sighting, is more than its motion: longer than JUMP_STEPS of its
 * last steps per frame, or, after missed frames, further sideways from the last sighting than JUMP_STEPS
 * of its last sideways steps per frame and `floorPx`. The allowance grows with the frames missed, and
 * bounces and gravity change the vertical speed, but in flight and off the floor nothing changes the
 * horizontal one: a golf ball going straight up after a bounce, unseen for a frame, had its track taken
 * 103 px sideways onto a watermark's piece, within three of its 25 px steps for each of the two frames.
 */
function beyondMotion(points: readonly TrackPoint[], blob: Blob, distancePx: number, frames: number, floorPx: number): boolean {
  const last = points[points.length - 1] as TrackPoint;
  const { dxPx, dyPx } = lastStepPx(points);
  if (distancePx > JUMP_STEPS * Math.hypot(dxPx, dyPx) * frames) return true;
  return frames > 1 && Math.abs(blob.xPx - last.xPx) > JUMP_STEPS * Math.abs(dxPx) * frames + floorPx;
}

/** Reach beyond an overlay's box, in radii of the disc, within which the disc counts as under it. */
const OVERLAY_REACH_RADII = 1.5;

/**
 * True when a disc at (x, y) of radius r comes within 1.5 radii of one of the overlays' boxes, leaving out
 * a box that lies within those 1.5 radii of its centre: a pale ball's own lit side, which reads as a veil.
 */
export function touchesOverlay(xPx: number, yPx: number, radiusPx: number, overlays: readonly PixelBox[]): boolean {
  const reach = OVERLAY_REACH_RADII * radiusPx;
  return overlays.some((box) => {
    const ownLitSide = Math.max(Math.abs(box.minX - xPx), Math.abs(box.maxX - xPx)) ** 2 + Math.max(Math.abs(box.minY - yPx), Math.abs(box.maxY - yPx)) ** 2 <= reach * reach;
    return !ownLitSide && isNearBox(box, xPx, yPx, reach);
  });
}

/** Median radius of a track's first few sightings. */
export function earlyRadius(points: readonly TrackPoint[]): number {
  return recentRadius(points.slice(0, RECENT_SIGHTINGS));
}

/**
 * Joins a track that ended to one that began within `staleFrames` + 1 frames of its end, near where it
 * was heading (`joinGatePx` from its prediction or last place) and of the same size. Two balls that
 * touch merge into one sighting too large for either track; that sighting starts a track of its own,
 * which can then take the ball that comes out of the merge (it is nearer) while the ball's own track
 * ends. A track that began the very frame after one ended may be further, within `nextFrameGatePx`.
 * Nearest pairs first; the joined track keeps the earlier id. Tracks are not modified.
 */
export function joinBrokenTracks(tracks: readonly Track[], options: TrackerOptions, joinGatePx: number, nextFrameGatePx = joinGatePx): Track[] {
  const byStart = [...tracks].sort((a, b) => (a.points[0]?.frameIndex ?? 0) - (b.points[0]?.frameIndex ?? 0));
  const joined = new Map<Track, Track>(byStart.map((t) => [t, { id: t.id, points: [...t.points] }]));
  const absorbed = new Set<Track>();
  for (const later of byStart) {
    const start = later.points[0];
    if (start === undefined) continue;
    let best: { track: Track; distancePx: number } | null = null;
    for (const earlier of joined.values()) {
      if (earlier === joined.get(later) || absorbed.has(earlier)) continue;
      const end = earlier.points[earlier.points.length - 1];
      if (end === undefined || end.frameIndex >= start.frameIndex || start.frameIndex - end.frameIndex > options.staleFrames + 1) continue;
      const ratio = earlyRadius(later.points) / recentRadius(earlier.points);
      if (!sameSize(ratio, options.maxRadiusRatio)) continue;
      const predicted = predictPx(earlier.points, start.timeS);
      const distancePx = Math.min(Math.hypot(start.xPx - predicted.xPx, start.yPx - predicted.yPx), Math.hypot(start.xPx - end.xPx, start.yPx - end.yPx));
      // A track that began the very frame after the other ended, within the tracker's gate, is the same
      // object: a jump by a translucent overlay refused while tracking (see `touchesOverlay`) when the
      // object did not come back where it was going, a teleport.
      const gatePx = start.frameIndex === end.frameIndex + 1 ? nextFrameGatePx : joinGatePx;
      if (distancePx <= gatePx && (best === null || distancePx < best.distancePx)) best = { track: earlier, distancePx };
    }
    if (best === null) continue;
    const own = joined.get(later) as Track;
    best.track.points.push(...own.points);
    absorbed.add(own);
  }
  return tracks.map((t) => joined.get(t) as Track).filter((t) => !absorbed.has(t));
}

/**
 * The pieces of a track between its gaps longer than `maxGapFrames` (the track itself when it has none).
 * The first piece keeps the track's id; the others take `nextId`, `nextId + 1`, ... in order.
 */
export function splitAtLongGaps(track: Track, maxGapFrames: number, nextId: number): Track[] {
  const pieces: Track[] = [];
  let current: TrackPoint[] = [];
  for (const point of track.points) {
    const previous = current[current.length - 1];
    if (previous !== undefined && point.frameIndex - previous.frameIndex - 1 > maxGapFrames) {
      pieces.push({ id: pieces.length === 0 ? track.id : nextId + pieces.length - 1, points: current });
      current = [];
    }
    current.push(point);
  }
  if (current.length > 0) pieces.push({ id: pieces.length === 0 ? track.id : nextId + pieces.length - 1, points: current });
  return pieces;
}

/** Positions of points followed from the first frame: x/y[frame · count + point], NaN once lost. */
export interface PointTracks {
  count: number;
  frameCount: number;
  xs: Float32Array;
  ys: Float32Array;
}

/** Position of point i at frame k, or null when it is not tracked there. */
function at(tracks: PointTracks, k: number, i: number): { x: number; y: number } | null {
  const x = tracks.xs[k * tracks.count + i];
  const y = tracks.ys[k * tracks.count + i];
  return x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y) ? null : { x, y };
}

/** Points that move farther than `minTravelPx` from where they are first seen: the cloth, not the still background. */
export function movingPoints(tracks: PointTracks, minTravelPx: number): number[] {
  const moving: number[] = [];
  for (let i = 0; i < tracks.count; i += 1) {
    const first = firstTrackedFrame(tracks, i);
    if (first === null) continue;
    const start = at(tracks, first, i);
    if (start === null) continue;
    for (let k = first + 1; k < tracks.frameCount; k += 1) {
      const p = at(tracks, k, i);
      if (p !== null && Math.hypot(p.x - start.x, p.y - start.y) > minTravelPx) {
        moving.push(i);
        break;
      }
    }
  }
  return moving;
}

/** First frame at which point i is tracked, or null when never. */
export function firstTrackedFrame(tracks: PointTracks, i: number): number | null {
  for (let k = 0; k < tracks.frameCount; k += 1) if (at(tracks, k, i) !== null) return k;
  return null;
}

/** Where a point is at one frame. */
export interface PointAt {
  point: number;
  x: number;
  y: number;
}

/** The points tracked at frame k, with their positions there. */
export function pointsAt(tracks: PointTracks, points: readonly number[], k: number): PointAt[] {
  return points.flatMap((point) => {
    const p = at(tracks, k, point);
    return p === null ? [] : [{ point, ...p }];
  });
}

/** Two points whose horizontal distance is followed: `left` lies left of `right` at the reference frame, `gapPx` apart along x there. */
export interface PointPair {
  left: number;
  right: number;
  gapPx: number;
}

/**
 * Neighbouring pairs among points at a reference frame, closer than `maxGapPx` and lying along the
 * horizontal (|dy| ≤ `maxSlope`·|dx|): a side or oblique view shows horizontal cloth lengths
 * unforeshortened, so their growth in the picture is stretch, not a turn in depth.
 */
export function horizontalNeighbourPairs(reference: readonly PointAt[], maxGapPx: number, maxSlope: number): PointPair[] {
  const sorted = [...reference].sort((u, v) => u.x - v.x);
  const pairs: PointPair[] = [];
  for (let m = 0; m < sorted.length; m += 1) {
    const p = sorted[m] as PointAt;
    for (let n = m + 1; n < sorted.length; n += 1) {
      const q = sorted[n] as PointAt;
      const dx = q.x - p.x;
      if (dx > maxGapPx) break;
      const dy = Math.abs(q.y - p.y);
      if (dx > 0 && Math.hypot(dx, dy) <= maxGapPx && dy <= maxSlope * dx) pairs.push({ left: p.point, right: q.point, gapPx: dx });
    }
  }
  return pairs.sort((u, v) => u.left - v.left || u.right - v.right);
}

/**
 * Horizontal strain of each pair tracked at frame k against its gap at the reference, |Δx|/Δx₀ − 1
 * (engineering strain along x). Only x is compared: in a side or oblique view no turn of the cloth
 * lengthens a horizontal span, and a tracker sliding along an edge (the aperture problem) mostly
 * slides across it, not along the pair.
 */
export function pairStrains(tracks: PointTracks, pairs: readonly PointPair[], k: number): number[] {
  return pairs.flatMap((pair) => {
    const spanPx = spanAt(tracks, pair, k);
    return spanPx === null ? [] : [spanPx / pair.gapPx - 1];
  });
}

function spanAt(tracks: PointTracks, { left, right }: PointPair, k: number): number | null {
  const p = at(tracks, k, left);
  const q = at(tracks, k, right);
  return p === null || q === null ? null : Math.abs(q.x - p.x);
}

/**
 * Strain at each point with pairs on both sides at frame k: the smaller of the strain of its left
 * pairs taken together and that of its right pairs (Σ|Δx| / ΣΔx₀ − 1 over a side, so a short pair's
 * tracking error weighs no more than its length). A point that slips alone lengthens the pairs on one
 * side and shortens those on the other, so no slip shows as stretch at it or at its neighbours, while
 * fabric stretched around a point stretches both sides.
 */
export function pointStrains(tracks: PointTracks, pairs: readonly PointPair[], k: number): number[] {
  interface Side {
    nowPx: number;
    gapPx: number;
  }
  const sides = new Map<number, { left: Side; right: Side }>();
  const add = (point: number, side: 'left' | 'right', nowPx: number, gapPx: number): void => {
    const entry = sides.get(point) ?? { left: { nowPx: 0, gapPx: 0 }, right: { nowPx: 0, gapPx: 0 } };
    entry[side].nowPx += nowPx;
    entry[side].gapPx += gapPx;
    sides.set(point, entry);
  };
  for (const pair of pairs) {
    const spanPx = spanAt(tracks, pair, k);
    if (spanPx === null) continue;
    add(pair.left, 'right', spanPx, pair.gapPx);
    add(pair.right, 'left', spanPx, pair.gapPx);
  }
  return [...sides.values()].filter((s) => s.left.gapPx > 0 && s.right.gapPx > 0).map((s) => Math.min(s.left.nowPx / s.left.gapPx, s.right.nowPx / s.right.gapPx) - 1);
}

/**
 * A frame's stretch from its point strains: the `q`-quantile, but never more than the strain the
 * `minPoints` most stretched points all reach, so that one or two points (an occlusion edge sliding
 * over the cloth, a slip the neighbour check missed) are never the stretch however few points there are.
 */
export function frameStretch(strains: readonly number[], q: number, minPoints: number): number | null {
  if (strains.length < minPoints) return null;
  const sorted = [...strains].sort((a, b) => a - b);
  return Math.min(quantile(sorted, q) as number, sorted[sorted.length - minPoints] as number);
}

/** The q-quantile (0 … 1) by linear interpolation between order statistics; null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

/** Per-frame step of each point tracked in frames k − 1 and k (px); index 0 is empty. */
export function pointSteps(tracks: PointTracks, points: readonly number[]): Array<Array<{ point: number; dx: number; dy: number }>> {
  const steps: Array<Array<{ point: number; dx: number; dy: number }>> = [[]];
  for (let k = 1; k < tracks.frameCount; k += 1) {
    const frame: Array<{ point: number; dx: number; dy: number }> = [];
    for (const i of points) {
      const p = at(tracks, k - 1, i);
      const q = at(tracks, k, i);
      if (p !== null && q !== null) frame.push({ point: i, dx: q.x - p.x, dy: q.y - p.y });
    }
    steps.push(frame);
  }
  return steps;
}

/** Downward velocity of the cloth's centre per frame (mean step of the points tracked on both sides), px/s; index 0 is 0. */
export function centreVelocityPxS(steps: ReadonlyArray<ReadonlyArray<{ dy: number }>>, fps: number): number[] {
  return steps.map((frame) => (frame.length === 0 ? 0 : (frame.reduce((sum, step) => sum + step.dy, 0) / frame.length) * fps));
}

/**
 * Downward acceleration of the centre during its fall: the least-squares slope of its downward
 * velocity against time from the first frame to the frame where that velocity peaks, px/s².
 * Null when the fall is shorter than `minFrames`.
 */
export function fallAccelerationPxS2(velocityPxS: readonly number[], fps: number, minFrames: number): { accelerationPxS2: number; endFrame: number } | null {
  let peak = 1;
  for (let k = 1; k < velocityPxS.length; k += 1) if ((velocityPxS[k] as number) > (velocityPxS[peak] as number)) peak = k;
  // The fall ends where the velocity first comes close to its peak, before any later driven motion.
  const peakValue = velocityPxS[peak] as number;
  let end = 1;
  while (end < peak && (velocityPxS[end + 1] as number) >= (velocityPxS[end] as number) - 0.05 * Math.abs(peakValue)) end += 1;
  if (end < minFrames) return null;
  // Velocity k is the mean over frame interval (k − 1, k): its time is (k − ½)/fps.
  let sumT = 0;
  let sumV = 0;
  const n = end;
  for (let k = 1; k <= end; k += 1) {
    sumT += (k - 0.5) / fps;
    sumV += velocityPxS[k] as number;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 1; k <= end; k += 1) {
    const dt = (k - 0.5) / fps - meanT;
    sxy += dt * ((velocityPxS[k] as number) - meanV);
    sxx += dt * dt;
  }
  return sxx === 0 ? null : { accelerationPxS2: sxy / sxx, endFrame: end };
}

/**
 * The points drifting steadily at each frame's step: over some `2·halfWindow + 1` frames holding the
 * step (centred on it, or ending or starting there: a drift starts and stops), all with a step of
 * the point, its mean step is longer than `minDriftPx` and more than `minDriftRatio` times the
 * root-mean-square deviation of its steps from it, a straight path at a constant speed (fabric
 * slowing down as e^(−t/τ) stays below 3 while the window is at least 1.2τ long: the simulator's
 * damping, τ = 0.33 s, in 0.5 s). A translucent watermark drifting over the picture so moves its
 * own corners and drags the points under it; fabric that keeps moving sways, flaps or bounces.
 */
export function steadyDrifts(steps: ReadonlyArray<ReadonlyArray<{ point: number; dx: number; dy: number }>>, halfWindow: number, minDriftPx: number, minDriftRatio: number): Array<Set<number>> {
  const byPoint = new Map<number, Array<{ k: number; dx: number; dy: number }>>();
  steps.forEach((frame, k) => {
    for (const step of frame) {
      const series = byPoint.get(step.point) ?? [];
      series.push({ k, dx: step.dx, dy: step.dy });
      byPoint.set(step.point, series);
    }
  });
  // Each point's steps are in frame order: a window is the slice between two binary searches, not a scan of the whole series.
  const firstAtOrAfter = (series: ReadonlyArray<{ k: number }>, k: number): number => {
    let lo = 0;
    let hi = series.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((series[mid] as { k: number }).k < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const steadyOver = (series: ReadonlyArray<{ k: number; dx: number; dy: number }>, from: number, to: number): boolean => {
    const near = series.slice(firstAtOrAfter(series, from), firstAtOrAfter(series, to + 1));
    if (near.length < 2 * halfWindow + 1) return false;
    const mx = near.reduce((sum, s) => sum + s.dx, 0) / near.length;
    const my = near.reduce((sum, s) => sum + s.dy, 0) / near.length;
    const deviation = Math.sqrt(near.reduce((sum, s) => sum + (s.dx - mx) ** 2 + (s.dy - my) ** 2, 0) / near.length);
    const drift = Math.hypot(mx, my);
    return drift > minDriftPx && drift > minDriftRatio * deviation;
  };
  return steps.map((frame, k) => {
    const drifting = new Set<number>();
    for (const { point } of frame) {
      const series = byPoint.get(point) ?? [];
      if (steadyOver(series, k - halfWindow, k + halfWindow) || steadyOver(series, k - 2 * halfWindow, k) || steadyOver(series, k, k + 2 * halfWindow)) drifting.add(point);
    }
    return drifting;
  });
}

/**
 * `steps` (of the cloth's points) without those of points that drift steadily (`drifting`, from
 * steadyDrifts over every point followed) or lie within `reachPx` of one at that frame: the points
 * a watermark drags are where its own corners drift, on the background beside the cloth or on the
 * cloth, though dragged partly and unevenly, and often followed too briefly to judge alone.
 */
export function awayFromDrifts<T extends { point: number }>(tracks: PointTracks, steps: ReadonlyArray<ReadonlyArray<T>>, drifting: ReadonlyArray<ReadonlySet<number>>, reachPx: number): T[][] {
  return steps.map((frame, k) => {
    const drifts = [...(drifting[k] ?? [])].flatMap((i) => at(tracks, k, i) ?? []);
    return frame.filter((step) => {
      const p = at(tracks, k, step.point);
      return p !== null && !(drifting[k]?.has(step.point) ?? false) && !drifts.some((q) => Math.hypot(p.x - q.x, p.y - q.y) <= reachPx);
    });
  });
}

/** Median speed of the steps into each frame, px/s; null where fewer than `minPoints` step (too few to stand for the cloth). */
export function medianSpeedsPxS(steps: ReadonlyArray<ReadonlyArray<{ dx: number; dy: number }>>, fps: number, minPoints: number): Array<number | null> {
  return steps.map((frame) => (frame.length < Math.max(1, minPoints) ? null : (quantile(frame.map((step) => Math.hypot(step.dx, step.dy)), 0.5) ?? 0) * fps));
}

/** Mean squared speed of the cloth points per frame, (px/s)²: the motion energy per unit mass, up to ½. */
export function motionEnergyPx2S2(steps: ReadonlyArray<ReadonlyArray<{ dx: number; dy: number }>>, fps: number): number[] {
  return steps.map((frame) => (frame.length === 0 ? 0 : frame.reduce((sum, step) => sum + (step.dx * step.dx + step.dy * step.dy) * fps * fps, 0) / frame.length));
}

/**
 * Frames where points jump: a step longer than `jumpPx` right after a step shorter than a third of
 * it (a start from near rest in one frame, which no force on fabric does); a landing, a sudden
 * stop, is not a jump, and neither is a step the next frame takes back to within a third of the
 * jump (a tracker slipping to a look-alike spot and back) nor one the next frame carries on at half
 * its length or more (motion set off by a push or a yank goes on; a pop lands or springs back), nor
 * one inside a burst of motion along it, the steps before and after both going at least a tenth of
 * its length its way (a flag's free end whipping past at 24 fps goes 2.8, 10.7 then 3.8 px a frame
 * along one path; a popped patch springs back or stops, and the slower cloth around it moved its own
 * way before), nor one within `jumpPx` of the median step of the frame's points (a corner of the
 * background that a yanked tablecloth drags along for one frame moves with the cloth; a pop moves
 * apart from it). Returns frames with at least `minPoints` jumping points.
 */
export function findJumps(steps: ReadonlyArray<ReadonlyArray<{ point: number; dx: number; dy: number }>>, jumpPx: number, minPoints: number): Array<{ frame: number; points: number }> {
  const jumps: Array<{ frame: number; points: number }> = [];
  for (let k = 2; k < steps.length; k += 1) {
    const frame = steps[k] ?? [];
    const before = new Map((steps[k - 1] ?? []).map((step) => [step.point, step]));
    const after = new Map((steps[k + 1] ?? []).map((step) => [step.point, step]));
    const medianDx = medianOf(frame.map((step) => step.dx));
    const medianDy = medianOf(frame.map((step) => step.dy));
    let count = 0;
    for (const step of frame) {
      const previous = before.get(step.point);
      const length = Math.hypot(step.dx, step.dy);
      const next = after.get(step.point);
      // How far a step goes along this one, as a fraction of its length.
      const along = (other: { dx: number; dy: number }): number => (other.dx * step.dx + other.dy * step.dy) / (length * length);
      const undone = next !== undefined && Math.hypot(step.dx + next.dx, step.dy + next.dy) < length / 3;
      const carriedOn = next !== undefined && along(next) >= 1 / 2;
      const burst = previous !== undefined && next !== undefined && along(previous) >= 1 / 10 && along(next) >= 1 / 10;
      const withCloth = Math.hypot(step.dx - medianDx, step.dy - medianDy) <= jumpPx;
      if (previous !== undefined && length > jumpPx && Math.hypot(previous.dx, previous.dy) < length / 3 && !undone && !carriedOn && !burst && !withCloth) count += 1;
    }
    if (count >= minPoints) jumps.push({ frame: k, points: count });
  }
  return jumps;
}

/**
 * The cloth among moving points: the largest group linked at the first frame (single linkage), then
 * every moving point linked, at the frame it is first seen, to a point already counted and still
 * tracked there. Two points link when at most `linkPx` apart and, where both are tracked at the next
 * frame, their steps to it differ by at most `maxStepDifferencePx`: fabric carries its neighbours
 * along, and a watermark drifting past the cloth or a second object apart from it stays out. While
 * fewer than `minAlive` counted points are tracked (nearly every track lost where the cloth lands or
 * is yanked), a linked group of the points first seen then counts too when one of them lies within
 * `linkPx` of where a counted point was last tracked, at most `recentFrames` before, and none links
 * to a moving point still followed that started apart from the cloth at its first frame: the cloth is
 * found again where it was just lost, and not along the path it fell, nor a watermark that drifts
 * over the place where it landed.
 */
export function clothPoints(tracks: PointTracks, moving: readonly number[], { linkPx, maxStepDifferencePx, minAlive, recentFrames }: { linkPx: number; maxStepDifferencePx: number; minAlive: number; recentFrames: number }): number[] {
  const byFirst = new Map<number, number[]>();
  for (const i of moving) {
    const first = firstTrackedFrame(tracks, i);
    if (first !== null) byFirst.set(first, [...(byFirst.get(first) ?? []), i]);
  }
  const firstFrames = [...byFirst.keys()].sort((a, b) => a - b);
  const within = (k: number, i: number, j: number): boolean => {
    const p = at(tracks, k, i);
    const q = at(tracks, k, j);
    return p !== null && q !== null && Math.hypot(p.x - q.x, p.y - q.y) <= linkPx;
  };
  const near = (k: number, i: number, j: number): boolean => {
    if (!within(k, i, j)) return false;
    const p = at(tracks, k, i) as { x: number; y: number };
    const q = at(tracks, k, j) as { x: number; y: number };
    // Neighbours on fabric move together: a watermark drifting past the cloth does not.
    const pNext = at(tracks, k + 1, i);
    const qNext = at(tracks, k + 1, j);
    return pNext === null || qNext === null || Math.hypot(pNext.x - p.x - (qNext.x - q.x), pNext.y - p.y - (qNext.y - q.y)) <= maxStepDifferencePx;
  };
  const members = new Set<number>();
  /** Moving points first seen with the cloth's first points, farther than `linkPx` from all of them: not the cloth. */
  const apart = new Set<number>();
  /** Where and when each counted point was last tracked. */
  const lastSeen = new Map<number, { x: number; y: number; frame: number }>();
  let seenUpTo = 0;
  for (const k of firstFrames) {
    for (; seenUpTo < k; seenUpTo += 1) {
      for (const m of members) {
        const p = at(tracks, seenUpTo, m);
        if (p !== null) lastSeen.set(m, { ...p, frame: seenUpTo });
      }
    }
    const starting = byFirst.get(k) ?? [];
    const alive = [...members].filter((m) => at(tracks, k, m) !== null);
    for (const i of starting) if (alive.some((m) => near(k, i, m))) members.add(i);
    if (members.size > 0 && alive.length >= minAlive) continue;
    const groups = linkedGroups(starting, (i, j) => near(k, i, j));
    const nearLost = (i: number): boolean => {
      const p = at(tracks, k, i);
      return p !== null && [...lastSeen.values()].some((q) => k - q.frame <= recentFrames && Math.hypot(p.x - q.x, p.y - q.y) <= linkPx);
    };
    // Moving points first seen apart from the cloth and still followed belong to something else.
    const others = [...apart].filter((o) => at(tracks, k, o) !== null);
    const ofOther = (i: number): boolean => others.some((o) => near(k, i, o));
    const largest = groups.reduce<number[]>((best, g) => (g.length > best.length ? g : best), []);
    const atStart = members.size === 0;
    for (const group of groups) if (atStart ? group === largest : group.some(nearLost) && !group.some(ofOther)) for (const i of group) members.add(i);
    // Only the first frame tells apart: later, points of the cloth itself start away from the few still followed.
    if (atStart) for (const i of starting) if (!members.has(i) && !largest.some((m) => within(k, i, m))) apart.add(i);
  }
  return [...members].sort((a, b) => a - b);
}

/**
 * Width of the cloth at the first frame any of `members` is seen: the extent along x of the members
 * there and of the points seen at that frame only, linked to them by gaps of at most `linkPx`. A
 * point lost at once (a yanked tablecloth moves 10 px in its first step, and many of its corners are
 * not followed) never shows it moves, yet it lies on the cloth; a still background point is followed on.
 */
export function startWidthPx(tracks: PointTracks, members: readonly number[], linkPx: number): number | null {
  const start = members.reduce((first, i) => Math.min(first, firstTrackedFrame(tracks, i) ?? Infinity), Infinity);
  if (!Number.isFinite(start)) return null;
  const seenOnlyThen: number[] = [];
  for (let i = 0; i < tracks.count; i += 1) if (at(tracks, start, i) !== null && firstTrackedFrame(tracks, i) === start && at(tracks, start + 1, i) === null) seenOnlyThen.push(i);
  const counted = new Set(members.filter((i) => at(tracks, start, i) !== null));
  const near = (i: number, j: number): boolean => {
    const p = at(tracks, start, i) as { x: number; y: number };
    const q = at(tracks, start, j) as { x: number; y: number };
    return Math.hypot(p.x - q.x, p.y - q.y) <= linkPx;
  };
  for (const group of linkedGroups([...counted, ...seenOnlyThen], near)) if (group.some((i) => counted.has(i))) for (const i of group) counted.add(i);
  const xs = [...counted].map((i) => (at(tracks, start, i) as { x: number }).x);
  return xs.length < 2 ? null : Math.max(...xs) - Math.min(...xs);
}

/** Connected groups of `points` (breadth-first over `linked`, single linkage). */
function linkedGroups(points: readonly number[], linked: (i: number, j: number) => boolean): number[][] {
  const seen = new Set<number>();
  const groups: number[][] = [];
  for (const seed of points) {
    if (seen.has(seed)) continue;
    const queue = [seed];
    seen.add(seed);
    for (let n = 0; n < queue.length; n += 1) {
      for (const other of points) {
        if (!seen.has(other) && linked(queue[n] as number, other)) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
    groups.push(queue);
  }
  return groups;
}

/**
 * Tracks cut at the first step that departs by more than `maxDeviationPx` from the median step of
 * the point's `neighbours` nearest points (a tracker slipping to a look-alike spot of a repeating
 * texture moves alone; fabric carries its neighbours along). Other points are left as they are.
 */
export function cutInconsistentTracks(tracks: PointTracks, points: readonly number[], neighbours: number, maxDeviationPx: number): PointTracks {
  const xs = Float32Array.from(tracks.xs);
  const ys = Float32Array.from(tracks.ys);
  const cut: PointTracks = { count: tracks.count, frameCount: tracks.frameCount, xs, ys };
  for (let k = 1; k < tracks.frameCount; k += 1) {
    const moves: Array<{ point: number; x: number; y: number; dx: number; dy: number }> = [];
    for (const i of points) {
      const p = at(cut, k - 1, i);
      const q = at(cut, k, i);
      if (p !== null && q !== null) moves.push({ point: i, x: p.x, y: p.y, dx: q.x - p.x, dy: q.y - p.y });
    }
    if (moves.length <= neighbours) continue;
    moves.sort((u, v) => u.x - v.x);
    const bad: number[] = [];
    moves.forEach((move, n) => {
      const nearest = nearestByX(moves, n, neighbours);
      const dx = medianOf(nearest.map((m) => m.dx));
      const dy = medianOf(nearest.map((m) => m.dy));
      if (Math.hypot(move.dx - dx, move.dy - dy) > maxDeviationPx) bad.push(move.point);
    });
    for (const i of bad) {
      for (let j = k; j < tracks.frameCount; j += 1) {
        xs[j * tracks.count + i] = NaN;
        ys[j * tracks.count + i] = NaN;
      }
    }
  }
  return cut;
}

/** The `count` points nearest to sorted[n] (sorted by x): scans outwards while the gap in x alone can still beat the worst kept. */
function nearestByX<T extends { x: number; y: number }>(sorted: readonly T[], n: number, count: number): T[] {
  const centre = sorted[n] as T;
  const kept: Array<{ item: T; distance: number }> = [];
  const consider = (item: T): void => {
    const distance = Math.hypot(item.x - centre.x, item.y - centre.y);
    if (kept.length < count || distance < (kept[kept.length - 1] as { distance: number }).distance) {
      kept.push({ item, distance });
      kept.sort((a, b) => a.distance - b.distance);
      if (kept.length > count) kept.pop();
    }
  };
  const worst = (): number => (kept.length < count ? Infinity : (kept[kept.length - 1] as { distance: number }).distance);
  for (let left = n - 1, right = n + 1; left >= 0 || right < sorted.length; ) {
    const leftGap = left >= 0 ? centre.x - (sorted[left] as T).x : Infinity;
    const rightGap = right < sorted.length ? (sorted[right] as T).x - centre.x : Infinity;
    if (Math.min(leftGap, rightGap) > worst()) break;
    if (leftGap <= rightGap) consider(sorted[left--] as T);
    else consider(sorted[right++] as T);
  }
  return kept.map((k) => k.item);
}

function medianOf(values: readonly number[]): number {
  return quantile(values, 0.5) ?? 0;
}

/** Counts of `values` in bins of `widthOfBin` from `low`; values below or above the range fall in the first or last bin. */
export function histogram(values: readonly number[], low: number, widthOfBin: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((value - low) / widthOfBin)));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

/** Running median over `window` values centred on each index (shorter at the ends): a sustained level, blind to one- or two-frame spikes. */
export function runningMedian(values: readonly number[], window: number): number[] {
  const half = Math.floor(window / 2);
  return values.map((_, k) => medianOf(values.slice(Math.max(0, k - half), k + half + 1)));
}

/** First index from which every value stays at or below `rest` to the end; null when the last `minTail` values are not all at rest. */
export function restStart(values: readonly number[], rest: number, minTail: number): number | null {
  let first = values.length;
  while (first > 0 && (values[first - 1] as number) <= rest) first -= 1;
  return values.length - first >= minTail ? first : null;
}

/** Index where `values` first stay at or below `rest` for at least `minRun` values in a row after they first rise above it, or null: where a cloth came to rest once it had moved (a pop or a watermark's drag later does not undo that). */
export function firstRestAfterMoving(values: readonly number[], rest: number, minRun: number): number | null {
  const moved = values.findIndex((value) => value > rest);
  if (moved < 0) return null;
  let run = 0;
  for (let n = moved + 1; n < values.length; n += 1) {
    run = (values[n] as number) <= rest ? run + 1 : 0;
    if (run >= minRun) return n - minRun + 1;
  }
  return null;
}

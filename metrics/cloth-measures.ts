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

/** Points that move farther than `minTravelPx` from where they start: the cloth, not the still background. */
export function movingPoints(tracks: PointTracks, minTravelPx: number): number[] {
  const moving: number[] = [];
  for (let i = 0; i < tracks.count; i += 1) {
    const start = at(tracks, 0, i);
    if (start === null) continue;
    for (let k = 1; k < tracks.frameCount; k += 1) {
      const p = at(tracks, k, i);
      if (p !== null && Math.hypot(p.x - start.x, p.y - start.y) > minTravelPx) {
        moving.push(i);
        break;
      }
    }
  }
  return moving;
}

/**
 * Neighbouring pairs among the points at the first frame, closer than `maxGapPx` and lying along the
 * horizontal (|dy| ≤ `maxSlope`·|dx|): a side or oblique view shows horizontal cloth lengths
 * unforeshortened, so their growth in the picture is stretch, not a turn in depth.
 */
export function horizontalNeighbourPairs(tracks: PointTracks, points: readonly number[], maxGapPx: number, maxSlope: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < points.length; a += 1) {
    for (let b = a + 1; b < points.length; b += 1) {
      const i = points[a] as number;
      const j = points[b] as number;
      const p = at(tracks, 0, i);
      const q = at(tracks, 0, j);
      if (p === null || q === null) continue;
      const dx = Math.abs(q.x - p.x);
      const dy = Math.abs(q.y - p.y);
      if (Math.hypot(dx, dy) <= maxGapPx && dy <= maxSlope * dx) pairs.push([i, j]);
    }
  }
  return pairs;
}

/** Strain of each pair at frame k against the first frame, d/d₀ − 1 (engineering strain); pairs not tracked there are left out. */
export function pairStrains(tracks: PointTracks, pairs: ReadonlyArray<[number, number]>, k: number): number[] {
  const strains: number[] = [];
  for (const [i, j] of pairs) {
    const p0 = at(tracks, 0, i);
    const q0 = at(tracks, 0, j);
    const p = at(tracks, k, i);
    const q = at(tracks, k, j);
    if (p0 === null || q0 === null || p === null || q === null) continue;
    strains.push(Math.hypot(q.x - p.x, q.y - p.y) / Math.hypot(q0.x - p0.x, q0.y - p0.y) - 1);
  }
  return strains;
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

/** Mean squared speed of the cloth points per frame, (px/s)²: the motion energy per unit mass, up to ½. */
export function motionEnergyPx2S2(steps: ReadonlyArray<ReadonlyArray<{ dx: number; dy: number }>>, fps: number): number[] {
  return steps.map((frame) => (frame.length === 0 ? 0 : frame.reduce((sum, step) => sum + (step.dx * step.dx + step.dy * step.dy) * fps * fps, 0) / frame.length));
}

/**
 * Frames where points jump: a step longer than `jumpPx` right after a step shorter than a third of
 * it (a start from near rest in one frame, which no force on fabric does); a landing, a sudden
 * stop, is not a jump. Returns frames with at least `minPoints` jumping points.
 */
export function findJumps(steps: ReadonlyArray<ReadonlyArray<{ point: number; dx: number; dy: number }>>, jumpPx: number, minPoints: number): Array<{ frame: number; points: number }> {
  const jumps: Array<{ frame: number; points: number }> = [];
  for (let k = 2; k < steps.length; k += 1) {
    const before = new Map((steps[k - 1] ?? []).map((step) => [step.point, Math.hypot(step.dx, step.dy)]));
    let count = 0;
    for (const step of steps[k] ?? []) {
      const previous = before.get(step.point);
      const length = Math.hypot(step.dx, step.dy);
      if (previous !== undefined && length > jumpPx && previous < length / 3) count += 1;
    }
    if (count >= minPoints) jumps.push({ frame: k, points: count });
  }
  return jumps;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrack, type VideoPoint } from '../../metrics/analyze-track.js';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { handoverJumps, handovers, handoverVanishes, type HandoverObject } from '../../metrics/handover-jumps.js';
import { TRAJECTORY_DEFAULTS, type OverlayTest } from '../../metrics/trajectory-checks.js';
import { trajectoryMetric } from '../../metrics/trajectory.js';
import { getPrompt } from '../../prompts/catalog.js';
import { simulateClip } from '../../runners/sim/index.js';
import type { DefectCode } from '../../runners/sim/truth.js';

const FPS = 30;
const G_PX_S2 = 1380;

/** A ball thrown up and right (as rubber-ball-bounce-concrete at 640x360), seen in frames [from, to], shifted by `shiftPx` in x. */
function flight(from: number, to: number, shiftPx = 0, vxPxS = 45): VideoPoint[] {
  return Array.from({ length: to - from + 1 }, (_, i) => {
    const k = from + i;
    const t = k / FPS;
    return { frameIndex: k, timeS: t, xPx: 100 + vxPxS * t + shiftPx, yPx: 300 - 900 * t + 0.5 * G_PX_S2 * t * t, radiusPx: 3.2, atEdge: false };
  });
}

function object(label: string, points: VideoPoint[]): HandoverObject {
  return { label, points, analysis: analyzeTrack(points, { frameIntervalS: 1 / FPS, breakFloorPx: 1.5 }) };
}

/** The handover checks on objects filmed at FPS, under the default thresholds. */
const jumpsOf = (objects: HandoverObject[]) => handoverJumps(handovers(objects, 1 / FPS, TRAJECTORY_DEFAULTS), 1 / FPS, TRAJECTORY_DEFAULTS);
const vanishesOf = (objects: HandoverObject[], underOverlay?: OverlayTest) => handoverVanishes(handovers(objects, 1 / FPS, TRAJECTORY_DEFAULTS), 1 / FPS, TRAJECTORY_DEFAULTS, underOverlay);

describe('handoverJumps', () => {
  it('reports a ball whose track ended and whose flight a new track took up 160 px away (planted teleport, seed 20)', () => {
    // Seen to frame 34, jumped 160 px at frame 35 and unseen under a watermark to 38, its new track from 39.
    const failures = jumpsOf([object('ball 1', flight(0, 34)), object('ball 5', flight(39, 60, 160))]);
    expect(failures.map((f) => f.code)).toEqual(['teleport']);
    expect(failures[0]?.atS).toBeCloseTo(36.5 / FPS, 9);
    expect(failures[0]?.message).toBe('ball 5 took up the flight of ball 1 160 px from where it was going at 1.22 s, with its velocity: the same object jumped');
  });

  it('reports nothing where the new track goes on where the old flight went', () => {
    expect(jumpsOf([object('ball 1', flight(0, 34)), object('ball 2', flight(39, 60))])).toEqual([]);
  });

  it('reports nothing where the new track moves otherwise: another ball thrown the other way', () => {
    expect(jumpsOf([object('ball 1', flight(0, 34)), object('ball 2', flight(36, 60, 160, -400))])).toEqual([]);
  });

  it('reports nothing where another object is seen going on with the old flight: two balls thrown side by side', () => {
    // The left ball's track broke at frame 34 and a new one took it up at 36; the right ball, 160 px away
    // with the same motion, was first tracked from frame 37.
    const objects = [object('ball 1', flight(0, 34)), object('ball 2', flight(36, 60)), object('ball 3', flight(37, 60, 160))];
    expect(jumpsOf(objects)).toEqual([]);
  });

  it('reports nothing for a track that ended at rest, or a later flight of another size', () => {
    const resting = [...flight(0, 10), ...Array.from({ length: 20 }, (_, i): VideoPoint => ({ frameIndex: 11 + i, timeS: (11 + i) / FPS, xPx: 150, yPx: 300, radiusPx: 3.2, atEdge: false }))];
    expect(jumpsOf([object('ball 1', resting), object('ball 2', flight(33, 60, 160))])).toEqual([]);
    const larger = flight(39, 60, 160).map((p) => ({ ...p, radiusPx: 4.8 }));
    expect(jumpsOf([object('ball 1', flight(0, 34)), object('ball 2', larger)])).toEqual([]);
  });
});

describe('handoverVanishes', () => {
  // A watermark's piece drifting 1.5 px a frame, tracked from frame 10, takes the ball when it comes back.
  const piece = (from: number, to: number): VideoPoint[] =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ frameIndex: from + i, timeS: (from + i) / FPS, xPx: 400 + 1.5 * (from + i), yPx: 330, radiusPx: 3.2, atEdge: false }));

  it('reports a ball unseen for 8 frames whose flight another track took up where it was going (planted vanish, tennis ball, seed 16)', () => {
    const failures = vanishesOf([object('ball 1', flight(0, 33)), object('ball 4', [...piece(10, 40), ...flight(42, 60)])]);
    expect(failures.map((f) => f.code)).toEqual(['vanish']);
    expect(failures[0]?.message).toMatch(/^ball 1 vanished for 0\.27 s at 1\.13 s and came back \d+ px away at 1\.40 s$/);
  });

  it('reports nothing for a gap under 4 frames, a flight taken up elsewhere, or a gap where something was seen on the way', () => {
    expect(vanishesOf([object('ball 1', flight(0, 33)), object('ball 2', flight(37, 60))])).toEqual([]);
    expect(vanishesOf([object('ball 1', flight(0, 33)), object('ball 2', flight(42, 60, 160))])).toEqual([]);
    const seenOnTheWay = object('ball 3', flight(36, 39));
    expect(vanishesOf([object('ball 1', flight(0, 33)), seenOnTheWay, object('ball 2', flight(42, 60))])).toEqual([]);
  });

  it('reports nothing where the ball was under a translucent overlay all through the gap', () => {
    const underWatermark = (frameIndex: number): boolean => frameIndex >= 30 && frameIndex <= 45;
    expect(vanishesOf([object('ball 1', flight(0, 33)), object('ball 2', flight(42, 60))], underWatermark)).toEqual([]);
  });
});

describe('trajectory metric on a teleport or a vanish that breaks the track', () => {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-handover-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The trajectory metric's failures on a default-suite clip (640x360, 30 fps, 3 s) with `code` planted. */
  const plantedFailures = async (promptId: string, seed: number, code: DefectCode) => {
    const prompt = getPrompt(promptId);
    const path = join(dir, `${promptId}-${seed}.mp4`);
    const truth = await simulateClip(prompt, path, { width: 640, height: 360, fps: 30, durationS: 3, seed, audio: false, defect: { code } });
    return { truth, failures: (await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] })).failures };
  };

  it('reports the planted jump once, at its time and size, and nothing on the exact clip (rubber-ball-bounce-concrete, seed 20)', async () => {
    // The ball jumps 160 px at its apex into a watermark, where the tracker refuses the jump; a new track takes it up.
    const prompt = getPrompt('rubber-ball-bounce-concrete');
    const run = async (planted: boolean) => {
      const path = join(dir, `${planted ? 'flawed' : 'exact'}.mp4`);
      const truth = await simulateClip(prompt, path, { width: 640, height: 360, fps: 30, durationS: 3, seed: 20, audio: false, defect: planted ? { code: 'teleport' } : null });
      return { truth, failures: (await analyzeVideo(path, { expect: prompt.expect, metrics: [trajectoryMetric] })).failures };
    };
    const flawed = await run(true);
    const jumpPx = (flawed.truth.defect?.value ?? 0) * flawed.truth.width;
    expect(flawed.failures.map((f) => f.code)).toEqual(['teleport']);
    expect(flawed.failures[0]?.message).toContain(`${Math.round(jumpPx)} px from where it was going`);
    expect(Math.abs((flawed.failures[0]?.atS ?? 0) - (flawed.truth.defect?.atS ?? 0))).toBeLessThanOrEqual(3 / 30);
    expect((await run(false)).failures).toEqual([]);
  }, 60_000);

  it('reads the end of a flight two frames before the last sighting on times as ffmpeg prints them (golf-ball-bounce-tiles, seed 28)', async () => {
    // The golf ball jumps 160 px at its apex. Its last two sightings, at the apex, are not on its arc: the
    // arc ends at 0.933333 s (pts_time has 6 decimals), the track at 1.0 s, 0.0666670 s later: more than two
    // frames (0.0666667 s) by the rounding alone, and the handover went unseen.
    const { truth, failures } = await plantedFailures('golf-ball-bounce-tiles', 28, 'teleport');
    expect(failures.map((f) => f.code)).toEqual(['teleport']);
    expect(failures[0]?.message).toContain(`${Math.round((truth.defect?.value ?? 0) * truth.width)} px from where it was going`);
  }, 60_000);

  it('reports a planted vanish whose return the track of a watermark piece took (tennis-ball-bounce-concrete, seed 16)', async () => {
    const { truth, failures } = await plantedFailures('tennis-ball-bounce-concrete', 16, 'vanish');
    expect(failures.map((f) => f.code)).toEqual(['vanish']);
    expect(Math.abs((failures[0]?.atS ?? 0) - (truth.defect?.atS ?? 0))).toBeLessThanOrEqual(1 / 30);
  }, 60_000);
});

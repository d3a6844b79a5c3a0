import { z } from 'zod';
import type { ItemResult } from '../suites/results.js';

/*
 * Metric values in a results file are `unknown`: the file comes from disk and metric versions
 * change. Each view below keeps what is well formed and drops the rest, so one odd value leaves
 * a hole in the report instead of breaking it. (zod 4 numbers already reject NaN and Infinity.)
 */

const trackPointSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

const arcSchema = z.object({
  startS: z.number(),
  endS: z.number(),
  tRefS: z.number(),
  x0Px: z.number(),
  vxPxS: z.number(),
  y0Px: z.number(),
  vyPxS: z.number(),
  gPxS2: z.number(),
  /** Standard error of the arc's g; null when the results do not record it. */
  gStdErrPxS2: z.number().nonnegative().nullable().catch(null),
});

const objectShellSchema = z.object({
  id: z.number(),
  track: z.array(z.unknown()),
  arcs: z.array(z.unknown()).catch([]),
  contactsS: z.array(z.number()).catch([]),
  /** Pixels per metre from the object's known size; null when the scale is unknown. */
  pxPerM: z.number().positive().nullable().catch(null),
  restitution: z.array(z.number()).catch([]),
});

const trajectoryShellSchema = z.object({
  objects: z.array(z.unknown()).catch([]),
  gravityMS2: z.number().nullable().catch(null),
  /** Not in TrajectoryValue yet: read when a trajectory metric records the prompt's expectation. */
  expectedGravityMS2: z.number().positive().nullable().catch(null),
  restitution: z.array(z.number()).catch([]),
  contactsS: z.array(z.number()).catch([]),
});

const avSyncSchema = z.object({
  hasAudio: z.boolean(),
  offsetMs: z.number().nullable().catch(null),
  confidence: z.number().nullable().catch(null),
  /** Sound onsets found in the audio, seconds. */
  onsetsS: z.array(z.number()).catch([]),
  /** Visual impacts (contacts of every tracked object) the onsets were paired against, seconds. */
  impactsS: z.array(z.number()).catch([]),
  /** Each impact paired with its sound. */
  pairs: z.array(z.object({ videoS: z.number(), audioS: z.number() })).catch([]),
});

const temporalSchema = z.object({
  flickerIndex: z.number().nullable().catch(null),
  worstFlickerAtS: z.number().nullable().catch(null),
  /** Mean luma (0-255) of every frame, in order. */
  lumaSeries: z.array(z.number()).catch([]),
});

export type ArcView = z.infer<typeof arcSchema>;

export interface ObjectTrackView {
  id: number;
  /** [timeS, xPx, yPx, radiusPx]. */
  track: Array<[number, number, number, number]>;
  arcs: ArcView[];
  contactsS: number[];
  pxPerM: number | null;
  /** At each of this object's contacts, in order. */
  restitution: number[];
}

export interface TrajectoryView {
  objects: ObjectTrackView[];
  gravityMS2: number | null;
  expectedGravityMS2: number | null;
  /** Of the main object, at each contact in order. */
  restitution: number[];
  contactsS: number[];
}

export type AvSyncView = z.infer<typeof avSyncSchema>;
export type TemporalView = z.infer<typeof temporalSchema>;

function keepValid<T>(schema: z.ZodType<T>, values: readonly unknown[]): T[] {
  const kept: T[] = [];
  for (const value of values) {
    const parsed = schema.safeParse(value);
    if (parsed.success) kept.push(parsed.data);
  }
  return kept;
}

function readObject(value: unknown): ObjectTrackView | null {
  const shell = objectShellSchema.safeParse(value);
  if (!shell.success) return null;
  return {
    id: shell.data.id,
    track: keepValid(trackPointSchema, shell.data.track),
    arcs: keepValid(arcSchema, shell.data.arcs).filter((arc) => arc.endS >= arc.startS),
    contactsS: shell.data.contactsS,
    pxPerM: shell.data.pxPerM,
    restitution: shell.data.restitution,
  };
}

/** The trajectory metric of an item, or null when it has none or it is not an object. */
export function readTrajectory(item: ItemResult): TrajectoryView | null {
  const shell = trajectoryShellSchema.safeParse(item.metrics['trajectory']);
  if (!shell.success) return null;
  const objects: ObjectTrackView[] = [];
  for (const value of shell.data.objects) {
    const object = readObject(value);
    if (object !== null) objects.push(object);
  }
  return {
    objects,
    gravityMS2: shell.data.gravityMS2,
    expectedGravityMS2: shell.data.expectedGravityMS2,
    restitution: shell.data.restitution,
    contactsS: shell.data.contactsS,
  };
}

export function readAvSync(item: ItemResult): AvSyncView | null {
  const parsed = avSyncSchema.safeParse(item.metrics['avsync']);
  return parsed.success ? parsed.data : null;
}

export function readTemporal(item: ItemResult): TemporalView | null {
  const parsed = temporalSchema.safeParse(item.metrics['temporal']);
  return parsed.success ? parsed.data : null;
}

import { z } from 'zod';

/** Scene categories. The simulator renders the rigid-ball ones; fluids and cloth have their own suites. */
export const CATEGORIES = [
  'drop',
  'bounce',
  'projectile',
  'collision',
  'rolling',
  'fluid',
  'splash',
  'cloth',
  'impact-sound',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories whose motion is rigid balls in free flight, contact and collision. */
export const BALL_CATEGORIES: readonly Category[] = ['drop', 'bounce', 'projectile', 'collision', 'rolling', 'impact-sound'];

export const MATERIALS = ['rubber', 'leather', 'felt', 'celluloid', 'resin', 'plastic', 'steel', 'glass', 'wood', 'water', 'juice', 'cotton', 'silk', 'polyester', 'wool'] as const;

const rangeSchema = z
  .object({ min: z.number(), max: z.number() })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

export const objectSchema = z
  .object({
    name: z.string().min(1),
    /** A CSS colour (name or #rrggbb) that helps, but is never required, to find the object. */
    colorHint: z.string().min(1).optional(),
    diameterM: z.number().positive(),
    massKg: z.number().positive().optional(),
    material: z.enum(MATERIALS).optional(),
  })
  .strict();

export const fluidSchema = z
  .object({
    liquid: z.string().min(1),
    colorHint: z.string().optional(),
    /** Volume that ends up in the container, litres. */
    volumeL: z.number().positive().optional(),
    /** Volume flow of the stream, litres per second. */
    flowLS: z.number().positive().optional(),
    containerDiameterM: z.number().positive().optional(),
  })
  .strict();

export const clothSchema = z
  .object({
    material: z.enum(MATERIALS),
    widthM: z.number().positive(),
    heightM: z.number().positive(),
    /** Largest strain fabric allows between neighbouring points (0.1 = 10%). */
    maxStretch: z.number().positive().default(0.1),
    windMS: z.number().nonnegative().optional(),
  })
  .strict();

/** The physical expectations a metric checks a clip against. */
export const expectationsSchema = z
  .object({
    objects: z.array(objectSchema).default([]),
    gravityMS2: z.number().positive().default(9.81),
    /**
     * How many times slower than real time the clip plays: 4 for footage filmed at 120 fps and played at
     * 30, 0.5 for a clip sped up twice, 1 for real time. Times stay the clip's own; speeds and
     * accelerations in metres are real-world values (a ball in 4× slow motion falls at g/16 per clip second²).
     */
    slowMotion: z.number().positive().default(1),
    /** Coefficient of restitution the material allows at a bounce. */
    restitution: rangeSchema.optional(),
    /** How many floor or object contacts the main object should make, at least. */
    contacts: z.number().int().nonnegative().optional(),
    audibleImpacts: z.boolean().default(false),
    fluid: fluidSchema.optional(),
    cloth: clothSchema.optional(),
  })
  .strict();

/** Initial conditions of the scene, in SI units; the simulator takes them, a prompt's text states them. */
export const setupSchema = z
  .object({
    /** Drop distance at release: the object's lowest point above the surface it first lands on (floor, table, water). */
    heightM: z.number().positive().optional(),
    /** Launch speed (projectile), speed of each moving ball (collision), speed at the table edge (rolling), pull speed (cloth). */
    speedMS: z.number().nonnegative().optional(),
    /** Launch angle above the horizontal. */
    angleDeg: z.number().min(-90).max(90).optional(),
    /** Height of the table top above the floor. */
    tableHeightM: z.number().positive().optional(),
    /** Gap between the two balls' surfaces at the start of a collision scene. */
    distanceM: z.number().positive().optional(),
  })
  .strict();

/**
 * A clip this prompt continues (video extension) or re-makes (remix) instead of starting from
 * nothing. `promptId` names another catalog prompt: its clip made by the same generator with the
 * same seed in the same run; `videoPath` names a video file (absolute, or relative to the working
 * folder). For an extension, `durationS` is the length of the new part; the result records where
 * the continuation starts (`generation.boundaryS`) so physics can be checked across it.
 */
export const fromClipSchema = z
  .object({
    promptId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').optional(),
    videoPath: z.string().min(1).optional(),
    /** `extension`: go on from the clip; `remix`: make the clip again changed as the text says (Sora's remix). */
    as: z.enum(['extension', 'remix']).default('extension'),
    /** Time in the source clip where the continuation starts, seconds; its end when absent (extension only). */
    boundaryS: z.number().positive().optional(),
  })
  .strict()
  .refine((clip) => (clip.promptId === undefined) !== (clip.videoPath === undefined), { message: 'give exactly one of promptId and videoPath' })
  .refine((clip) => clip.as === 'extension' || clip.boundaryS === undefined, { message: 'boundaryS applies to an extension, not a remix' });

export const promptSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    text: z.string().min(10),
    category: z.enum(CATEGORIES),
    durationS: z.number().positive().max(60),
    aspectRatio: z.enum(['16:9', '9:16', '1:1', '4:3']).default('16:9'),
    /** Image for image-to-video, relative to the catalog file. */
    startImage: z.string().optional(),
    /** Continue or remix another clip (see `fromClipSchema`); a generator without the mode says so in its plan. */
    fromClip: fromClipSchema.optional(),
    tags: z.array(z.string()).default([]),
    setup: setupSchema.default({}),
    expect: expectationsSchema,
  })
  .strict();

export const catalogFileSchema = z.object({ prompts: z.array(promptSchema).min(1) }).strict();

export type ObjectSpec = z.infer<typeof objectSchema>;
export type Expectations = z.infer<typeof expectationsSchema>;
export type ExpectationsInput = z.input<typeof expectationsSchema>;
export type Setup = z.infer<typeof setupSchema>;
export type Prompt = z.infer<typeof promptSchema>;
export type FromClip = z.infer<typeof fromClipSchema>;

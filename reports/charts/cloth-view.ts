import { z } from 'zod';
import type { ItemResult } from '../../suites/results.js';

// What the cloth charts read from an item's `metrics.cloth` (written by metrics/cloth.ts); anything
// malformed leaves the chart out instead of breaking the report.
const pointSchema = z.tuple([z.number(), z.number()]);

const clothViewSchema = z.object({
  stretch: z.object({
    maxAllowed: z.number(),
    sustained: z.number().nullable(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    histogram: z.object({ lowStrain: z.number(), binWidth: z.number().positive(), counts: z.array(z.number().nonnegative()) }),
  }),
  settle: z.object({
    settleS: z.number().nullable(),
    energySeries: z.array(pointSchema),
    energyUnit: z.string(),
  }),
});

export type ClothView = z.infer<typeof clothViewSchema>;

export function readCloth(item: ItemResult): ClothView | null {
  const parsed = clothViewSchema.safeParse(item.metrics['cloth']);
  return parsed.success ? parsed.data : null;
}

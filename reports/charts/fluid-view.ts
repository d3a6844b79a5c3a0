import { z } from 'zod';
import type { ItemResult } from '../../suites/results.js';

// What the fluid charts read from an item's `metrics.fluid` (written by metrics/fluid.ts); anything
// malformed leaves the chart out instead of breaking the report.
const pointSchema = z.tuple([z.number(), z.number()]);

const fluidViewSchema = z.object({
  volumeUnit: z.enum(['L', 'container widths']),
  expected: z.object({ volumeL: z.number().positive().nullable(), flowLS: z.number().positive().nullable() }).catch({ volumeL: null, flowLS: null }),
  volumeSeries: z.array(pointSchema),
  inflowSpansS: z.array(pointSchema).catch([]),
  tiltSeries: z.array(pointSchema),
  restTiltDeg: z.number().nullable().catch(null),
  restFromS: z.number().nullable().catch(null),
});

export type FluidView = z.infer<typeof fluidViewSchema>;

export function readFluid(item: ItemResult): FluidView | null {
  const parsed = fluidViewSchema.safeParse(item.metrics['fluid']);
  return parsed.success ? parsed.data : null;
}

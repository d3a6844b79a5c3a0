import { z } from 'zod';
import { resultsFileSchema } from './results.js';

/** JSON Schema of results.json, generated from the same zod schema that validates it when read. */
export function resultsJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://physeval.dev/schema/results.schema.json',
    title: 'physeval results',
    ...z.toJSONSchema(resultsFileSchema, { io: 'input' }),
  };
}

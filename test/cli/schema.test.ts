import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultsJsonSchema } from '../../suites/results-json-schema.js';

describe('schema/results.schema.json', () => {
  it('is the JSON Schema generated from the zod schema that validates results (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/results.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(resultsJsonSchema());
  });
});

import type { Command } from 'commander';
import { resultsJsonSchema } from '../suites/results-json-schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of results.json (the committed copy is schema/results.schema.json)')
    .action(() => {
      process.stdout.write(JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
    });
}

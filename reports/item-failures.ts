import type { ItemResult } from '../suites/results.js';
import { seconds } from './format.js';

/** Each reason an item did not pass, as plain sentences (the caller escapes them for its format). */
export function failureSentences(item: ItemResult): string[] {
  const sentences: string[] = [];
  if (item.status !== 'ok') sentences.push(`not analysed (${item.status})${item.message === undefined ? '' : `: ${item.message}`}`);
  for (const failure of item.verdict.failures) {
    sentences.push(`${failure.code}${failure.atS === undefined ? '' : ` at ${seconds(failure.atS)}`}: ${failure.message}`);
  }
  for (const [metric, message] of Object.entries(item.metricErrors)) sentences.push(`metric ${metric} threw: ${message}`);
  return sentences;
}

/** How an item is named in text reports: prompt id and seed (the generator is named beside it). */
export function itemName(item: ItemResult): string {
  return `${item.promptId} (seed ${item.seed})`;
}

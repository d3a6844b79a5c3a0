import { RunError } from './errors.js';
import type { Category, Prompt } from '../prompts/schema.js';

/** Which prompts of the catalog a suite takes: the union of the ids, categories and tags named. */
export interface PromptSelection {
  ids?: readonly string[];
  categories?: readonly Category[];
  tags?: readonly string[];
}

/** A named set of prompts, the metrics that judge them and the thresholds they must meet. */
export interface Suite {
  id: string;
  description: string;
  prompts: PromptSelection;
  metrics: readonly string[];
  /** Per metric id, thresholds that override the metric's defaults. */
  thresholds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Generators a bare `physeval run --suite ID` uses. */
  defaultGenerators: readonly string[];
  /** Longest clip the simulator renders for this suite, seconds (keeps runs quick). */
  maxSimDurationS: number;
}

export function selectPrompts(suite: Suite, catalog: readonly Prompt[]): Prompt[] {
  const { ids = [], categories = [], tags = [] } = suite.prompts;
  const picked = catalog.filter(
    (prompt) =>
      ids.includes(prompt.id) ||
      categories.includes(prompt.category) ||
      prompt.tags.some((tag) => tags.includes(tag)),
  );
  const missing = ids.filter((id) => !catalog.some((prompt) => prompt.id === id));
  if (missing.length > 0) {
    throw new RunError('unknown-suite', `suite '${suite.id}' names prompts that are not in the catalog: ${missing.join(', ')}`);
  }
  return picked.sort((a, b) => a.id.localeCompare(b.id));
}

import type { ItemOutcome } from '../scores.js';

/** Outcome colours shared by every chart, chosen to stay apart for red-green colour blindness. */
export const OUTCOME_LABELS: Record<ItemOutcome, string> = {
  passed: 'passed',
  failed: 'failed',
  'not-analysed': 'not analysed',
};

export const OUTCOME_COLOURS: Record<ItemOutcome, string> = {
  passed: '#1a7f64',
  failed: '#c0392b',
  'not-analysed': '#9aa0a6',
};

import type { ResultsFile } from '../suites/results.js';
import { escapeMarkdown as md } from './escape.js';
import { failureSentences, itemName } from './item-failures.js';
import { LEADERBOARD_METRICS, leaderboardRows } from './leaderboard.js';
import { countOutcomes, itemOutcome, scoreGenerators } from './scores.js';
import { percent } from './format.js';

/** Failures listed in full; beyond this the summary says how many more (CI job summaries are size-limited). */
export const MAX_LISTED_FAILURES = 100;

function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function generatorTable(results: ResultsFile): string[] {
  const lines = [
    tableRow(['generator', 'items', 'passed', 'failed', 'not analysed', 'pass rate']),
    tableRow(['---', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const score of scoreGenerators(results)) {
    lines.push(tableRow([md(score.generator), String(score.items), String(score.passed), String(score.failed), String(score.notAnalysed), percent(score.passRate)]));
  }
  return lines;
}

/** Generator × metric: mean with its 95% bootstrap interval and n, as in the leaderboard chart. */
function leaderboardTable(results: ResultsFile): string[] {
  const rows = leaderboardRows(results);
  const metrics = LEADERBOARD_METRICS.filter((metric) => rows.some((row) => row.metric === metric.id));
  if (metrics.length === 0) return [];
  const generators = [...new Set(rows.map((row) => row.generator))];
  const lines = [
    tableRow(['generator', ...metrics.map((metric) => md(`${metric.label} (${metric.better} is better)`))]),
    tableRow(['---', ...metrics.map(() => '---:')]),
  ];
  for (const generator of generators) {
    const cells = metrics.map((metric) => {
      const row = rows.find((candidate) => candidate.generator === generator && candidate.metric === metric.id);
      return row === undefined ? '—' : `${metric.text(row.mean)} [${metric.text(row.low)}, ${metric.text(row.high)}] n=${row.n}`;
    });
    lines.push(tableRow([md(generator), ...cells]));
  }
  return ['', '95% bootstrap intervals over prompts and seeds:', '', ...lines];
}

function failureLines(results: ResultsFile): string[] {
  const failing = results.items.filter((item) => itemOutcome(item) !== 'passed');
  if (failing.length === 0) return ['', 'No failures.'];
  const lines = ['', `### Not passed (${failing.length})`, ''];
  for (const item of failing.slice(0, MAX_LISTED_FAILURES)) {
    const sentences = failureSentences(item);
    const reasons = sentences.length === 0 ? 'failed with no reason recorded' : sentences.join('; ');
    lines.push(`- **${md(itemName(item))}** · ${md(item.generator)}: ${md(reasons)}`);
  }
  if (failing.length > MAX_LISTED_FAILURES) lines.push(`- … and ${failing.length - MAX_LISTED_FAILURES} more (see report.html or junit.xml)`);
  return lines;
}

/**
 * A Markdown summary of a run for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request
 * comment: totals, a table per generator, the leaderboard with intervals, and every item that did
 * not pass in words. All text from the results is escaped, so no prompt id can break a table.
 */
export function renderMarkdownSummary(results: ResultsFile): string {
  const counts = countOutcomes(results.items);
  const costUsd = results.items.reduce((sum, item) => sum + item.costUsd, 0);
  const lines = [
    `## physeval: suite ${md(results.config.suite)}, run ${md(results.runId)}`,
    '',
    `**${counts.items} items: ${counts.passed} passed, ${counts.failed} failed, ${counts.notAnalysed} not analysed** (pass rate ${percent(counts.passRate)}) · cost ${costUsd.toFixed(2)} USD · physeval ${md(results.physevalVersion)}`,
    '',
    ...generatorTable(results),
    ...leaderboardTable(results),
    ...failureLines(results),
  ];
  return `${lines.join('\n')}\n`;
}

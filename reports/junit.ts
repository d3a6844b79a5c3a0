import type { ItemResult, ItemStatus, ResultsFile } from '../suites/results.js';
import { escapeXml as x } from './escape.js';
import { failureSentences } from './item-failures.js';
import { generatorsOf } from './scores.js';

/**
 * Statuses where the generator declined or cannot serve the prompt: a JUnit `skipped`. The
 * others that are not `ok` (failed, timeout, bad-video) broke the test itself: an `error`.
 */
const SKIPPED_STATUSES: ReadonlySet<ItemStatus> = new Set(['refused', 'unavailable', 'unsupported']);

type CaseKind = 'passed' | 'failure' | 'error' | 'skipped';

function caseKind(item: ItemResult): CaseKind {
  if (item.status !== 'ok') return SKIPPED_STATUSES.has(item.status) ? 'skipped' : 'error';
  return item.verdict.pass ? 'passed' : 'failure';
}

/** Seconds as JUnit writes them: three decimals. */
function time(seconds: number): string {
  return seconds.toFixed(3);
}

function testCase(item: ItemResult): string {
  const open = `    <testcase classname="${x(item.generator)}" name="${x(`${item.promptId} seed ${item.seed}`)}" time="${time(item.elapsedS)}"`;
  const kind = caseKind(item);
  if (kind === 'passed') return `${open}/>`;
  const sentences = failureSentences(item);
  const message = sentences[0] ?? 'failed with no reason recorded';
  const body = sentences.join('\n');
  const type = kind === 'failure' ? (item.verdict.failures[0]?.code ?? 'metric-error') : item.status;
  const element = kind === 'skipped' ? `<skipped message="${x(message)}"/>` : `<${kind} message="${x(message)}" type="${x(type)}">${x(body)}</${kind}>`;
  return `${open}>\n      ${element}\n    </testcase>`;
}

function counts(items: readonly ItemResult[]): string {
  const kinds = items.map(caseKind);
  const count = (kind: CaseKind): number => kinds.filter((k) => k === kind).length;
  const elapsedS = items.reduce((sum, item) => sum + item.elapsedS, 0);
  return `tests="${items.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${time(elapsedS)}"`;
}

/**
 * JUnit XML (the schema CI systems read: Jenkins, GitLab, GitHub test reporters): one testsuite
 * per generator, one testcase per item (classname = generator, name = prompt id and seed). A
 * physics failure is a `failure` with its sentences; an item the generator declined is
 * `skipped`; one that could not be generated or decoded is an `error` with its status and message.
 */
export function renderJunitXml(results: ResultsFile): string {
  const suites = generatorsOf(results).map((generator) => {
    const items = results.items.filter((item) => item.generator === generator);
    return `  <testsuite name="${x(generator)}" ${counts(items)} timestamp="${x(results.startedAt)}">
${items.map(testCase).join('\n')}
  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${x(`physeval ${results.config.suite} ${results.runId}`)}" ${counts(results.items)}>
${suites.join('\n')}
</testsuites>
`;
}

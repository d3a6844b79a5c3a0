import { describe, expect, it } from 'vitest';
import { renderMarkdownSummary } from '../../reports/markdown.js';
import { HOSTILE, hostileFixture, resultsFixture } from './fixture.js';

const summary = renderMarkdownSummary(hostileFixture());
const lines = summary.split('\n');

/** Cells of a table row, split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row.replace(/^\| | \|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim());
}

describe('renderMarkdownSummary', () => {
  it('states the totals recomputed from the items', () => {
    expect(summary).toContain('**7 items: 3 passed, 2 failed, 2 not analysed** (pass rate 43%)');
    expect(lines[0]).toBe('## physeval: suite smoke, run run-2026-11-25T16-00');
  });

  it('has a row per generator with its counts', () => {
    const rows = lines.filter((line) => line.startsWith('| sim:'));
    expect(rows.slice(0, 2).map(cells)).toEqual([
      ['sim:ideal', '4', '3', '1', '0', '75%'],
      ['sim:flawed', '3', '0', '1', '2', '0%'],
    ]);
  });

  it('has a leaderboard row per generator with intervals, every row as wide as its header', () => {
    const header = lines.find((line) => line.startsWith('| generator | pass rate'))!;
    expect(cells(header)).toHaveLength(5);
    const rows = lines.filter((line) => line.startsWith('| sim:')).slice(2);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(cells(row)).toHaveLength(5);
    expect(cells(rows[0]!)[1]).toMatch(/^75% \[\d+%, 100%\] n=4$/);
    expect(cells(rows[1]!)[1]).toBe('0% [0%, 0%] n=3');
    expect(cells(rows[1]!)[3]).toBe('—');
  });

  it('lists every item that did not pass, in words', () => {
    const failures = lines.filter((line) => line.startsWith('- **'));
    expect(failures).toHaveLength(4);
    expect(failures[0]).toBe('- **drop-ball (seed 1)** · sim:flawed: gravity-off at 0.250 s: g is 4.90 m/s², expected 9.81 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(failures[3]).toMatch(/^- \*\*refused-prompt \(seed 1\)\*\* · sim:flawed: not analysed \(refused\): policy: /);
  });

  it('escapes hostile text: no raw HTML, no unescaped pipe, backtick or line break', () => {
    expect(summary).not.toContain('<script');
    expect(summary).not.toContain(HOSTILE);
    const hostileLine = lines.find((line) => line.includes('pwned'))!;
    expect(hostileLine).not.toMatch(/(?<!\\)[|`]/);
    expect(hostileLine).toContain('\\| pipe \\`tick\\` \\*star\\*');
    // The line break inside the hostile text never starts a line of its own.
    expect(lines.some((line) => line.startsWith('new line'))).toBe(false);
  });

  it('says so when nothing failed', () => {
    const passing = resultsFixture();
    const onlyPassed = { ...passing, items: passing.items.filter((item) => item.verdict.pass) };
    expect(renderMarkdownSummary(onlyPassed)).toContain('\nNo failures.\n');
  });
});

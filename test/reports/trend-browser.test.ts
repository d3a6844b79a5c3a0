import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHistoryHtml } from '../../reports/charts/trend.js';
import type { HistoryRow } from '../../suites/history.js';

/* history.html in Debian's Chromium from file://, like the report's browser test: skipped loudly without Chromium outside CI. */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi) console.warn(`\n*** history browser test SKIPPED: no Chromium at ${CHROMIUM}; CI does not skip it ***\n`);

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function rows(): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (const [night, startedAt] of ['2026-11-20T02:00:00.000Z', '2026-11-21T02:00:00.000Z', '2026-11-22T02:00:00.000Z'].entries()) {
    for (const generator of ['sim:ideal', HOSTILE]) {
      const base = { runId: `night-${night + 1}`, startedAt, suite: 'smoke', generator, n: 12 };
      out.push({ ...base, metric: 'passRate', label: 'pass rate', unit: 'share of items', better: 'higher', value: 1 - night * 0.2, ci: [0.6 - night * 0.2, 1] });
      out.push({ ...base, metric: 'avOffset', label: 'audio-video offset', unit: 'ms', better: 'lower', value: 5 + night * 10, ci: null });
    }
  }
  return out;
}

(haveChromium || inCi ? describe : describe.skip)('history.html in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
    dir = await mkdtemp(join(tmpdir(), 'physeval-history-browser-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('draws the trend chart offline, with no error, no request and no injected script', async () => {
    const path = join(dir, 'history.html');
    await writeFile(path, renderHistoryHtml(rows()));
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!/^(file|data):/.test(request.url())) foreign.push(request.url());
    });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.waitForFunction(`document.querySelector('#trend svg') !== null`, undefined, { timeout: 20_000 });
    // Two panels, each with three dots per generator.
    expect(await page.locator('#trend svg .mark-symbol.role-mark path').count()).toBe(12);
    expect(await page.locator('#trend').textContent()).not.toContain('could not be drawn');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), 'physeval-history-browser.png'), fullPage: true });
  });
});

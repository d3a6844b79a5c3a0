import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCharts } from '../../reports/chart-set.js';
import { renderHtmlReport } from '../../reports/html.js';
import { renderJunitXml } from '../../reports/junit.js';
import { svgToPng } from '../../reports/render-png.js';
import type { ResultsFile } from '../../suites/results.js';
import { HOSTILE, hostileFixture } from './fixture.js';

/*
 * The HTML report in a real browser: Debian's Chromium, driven by playwright-core, opens it from
 * file:// with no network. CI installs Chromium (.ci/run), so there a missing browser fails the
 * test; on a developer's machine without it the test is skipped, loudly.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
if (!haveChromium && !inCi) {
  console.warn(`\n*** browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium); CI does not skip it ***\n`);
}

/** Where the screenshot goes, kept after the test so a person can look at it. */
const SCREENSHOT = join(tmpdir(), 'physeval-browser-test', 'report.png');

/** The fixture with a key frame beside the page for the first clip, and a hostile link for the hostile one. */
function withKeyFrames(): ResultsFile {
  const fixture = hostileFixture();
  const items = fixture.items.map((item, index) =>
    index === 0 ? { ...item, keyFrame: 'frames/drop-ball.png' } : item.promptId === HOSTILE ? { ...item, keyFrame: 'javascript:window.__pwned=1' } : item,
  );
  return { ...fixture, items };
}

const results = withKeyFrames();

(haveChromium || inCi ? describe : describe.skip)('HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
    dir = await mkdtemp(join(tmpdir(), 'physeval-browser-'));
    const reportPath = join(dir, 'report.html');
    await writeFile(reportPath, renderHtmlReport(results));
    await mkdir(join(dir, 'frames'));
    await writeFile(
      join(dir, 'frames', 'drop-ball.png'),
      svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90"><rect width="160" height="90" fill="#cfe3ff"/><circle cx="80" cy="40" r="12" fill="#e8710a"/></svg>'),
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (!/^(file|data):/.test(request.url())) foreignRequests.push(request.url());
    });
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('draws every chart (each one when scrolled into view), with no error and no network request', async () => {
    const containers = await page.locator('.chart[data-spec]').count();
    expect(containers).toBe(allCharts(results).length);
    // Charts draw lazily as they near the viewport: bring each into view in turn.
    for (let index = 0; index < containers; index += 1) await page.locator('.chart[data-spec]').nth(index).scrollIntoViewIfNeeded();
    // Page-side code is passed as text: this project compiles without the DOM library.
    await page.waitForFunction(`[...document.querySelectorAll('.chart[data-spec]')].every((el) => el.querySelector('svg, canvas') !== null)`, undefined, {
      timeout: 20_000,
    });
    const drawn = await page.locator('.chart[data-spec]:has(svg), .chart[data-spec]:has(canvas)').count();
    expect(drawn).toBe(containers);
    expect(await page.locator('.chart:has-text("could not be drawn")').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it('shows hostile text as text and never runs it', async () => {
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    const firstCell = await page.locator('#items tbody tr', { hasText: 'pwned' }).locator('td').first().textContent();
    expect(firstCell).toBe(HOSTILE);
    expect(await page.locator('script:not([type]):not([id])').count()).toBe(4);
  });

  it('shows the key frame linked beside the page, and none for a link that is not a plain relative path', async () => {
    const frames = (await page.evaluate(
      `[...document.querySelectorAll('img.thumb, img.key-frame')].map((img) => ({ src: img.getAttribute('src'), loadedWidth: img.naturalWidth }))`,
    )) as Array<{ src: string; loadedWidth: number }>;
    expect(frames).toEqual([
      { src: 'frames/drop-ball.png', loadedWidth: 320 },
      { src: 'frames/drop-ball.png', loadedWidth: 320 },
    ]);
  });

  it('filters the table and the diagnostics by generator and category', async () => {
    const visibleRows = () => page.locator('#items tbody tr:visible').count();
    expect(await visibleRows()).toBe(7);
    await page.selectOption('#filter-generator', 'sim:flawed');
    expect(await visibleRows()).toBe(3);
    expect(await page.locator('#filter-count').textContent()).toBe('3 of 7 items shown');
    expect(await page.locator('section.clip:visible').count()).toBe(3);
    await page.selectOption('#filter-category', 'drop');
    expect(await visibleRows()).toBe(2);
    await page.selectOption('#filter-generator', '');
    await page.selectOption('#filter-category', '');
    expect(await visibleRows()).toBe(7);
  });

  it('parses the JUnit XML of the same results as well-formed XML', async () => {
    const parsed = (await page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(renderJunitXml(results))}, 'application/xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        cases: doc.getElementsByTagName('testcase').length,
        names: [...doc.getElementsByTagName('testcase')].map((el) => el.getAttribute('name')),
      };
    })()`)) as { errors: number; cases: number; names: string[] };
    expect(parsed.errors).toBe(0);
    expect(parsed.cases).toBe(7);
    expect(parsed.names).toContain(`${HOSTILE} seed 1`);
  });

  it('takes a screenshot of the whole page', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
    // Nothing went wrong later either (images, filters).
    expect([...consoleErrors, ...pageErrors, ...foreignRequests]).toEqual([]);
  });
});

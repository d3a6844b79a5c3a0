import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../suites/results.js';
import { renderHtmlReport } from '../../reports/html.js';
import { PAGE_SCRIPT } from '../../reports/page-assets.js';
import { vegaBundles } from '../../reports/vega-bundles.js';
import { resultsFixture } from './fixture.js';

const results = resultsFixture();
const html = renderHtmlReport(results);

/** The page with every script's content removed, keeping the opening tags and their attributes. */
const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');

function scriptsOfType(type: string): string[] {
  const pattern = new RegExp(`<script type="${type}" id="[^"]+">([\\s\\S]*?)</script>`, 'g');
  return [...html.matchAll(pattern)].map((match) => match[1]!);
}

describe('renderHtmlReport', () => {
  it('inlines vega, vega-lite and vega-embed', () => {
    const bundles = vegaBundles();
    expect(bundles.map((bundle) => bundle.name)).toEqual(['vega', 'vega-lite', 'vega-embed']);
    for (const bundle of bundles) {
      expect(bundle.source.length).toBeGreaterThan(50_000);
      expect(html).toContain(bundle.source);
    }
  });

  it('makes no network request: no external script, link, image or url()', () => {
    expect(markup).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(markup).not.toMatch(/<(link|img|iframe|object|embed|source|video|audio)\b/i);
    expect(markup).not.toMatch(/\s(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(markup).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(markup).not.toMatch(/@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`);
  });

  it('has exactly one closing tag per script element, so no text broke out', () => {
    const opened = html.match(/<script\b/gi)?.length ?? 0;
    const closed = html.match(/<\/script>/gi)?.length ?? 0;
    // 4 run charts (score, leaderboard, pass matrix, A/V offsets); per clip: drop-ball by sim:ideal and
    // by sim:flawed trajectory, g per arc, restitution; bounce-ball the same plus onset timeline and
    // flicker; the odd item a trajectory (it keeps one point); then 3 bundles and the page script.
    expect(opened).toBe(4 + 3 + 3 + 5 + 1 + 3 + 1);
    expect(closed).toBe(opened);
  });

  it('never lets the injected <script>alert(1) through unescaped', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('provider said &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- and &amp; more');
    expect(markup).not.toContain('<!--');
  });

  it('embeds chart specs as JSON that parses back', () => {
    const specs = scriptsOfType('application/json').map((json) => JSON.parse(json) as { description?: string });
    expect(specs.map((spec) => spec.description)).toEqual([
      'Score per generator',
      'Leaderboard: mean per generator and metric with 95% bootstrap intervals',
      'Pass rate per category and generator',
      'Audio-video offset per generator against the ITU-R BT.1359 limits',
      'Trajectory of drop-ball by sim:ideal, seed 1',
      'g per arc of drop-ball by sim:ideal, seed 1',
      'Restitution per contact of drop-ball by sim:ideal, seed 1',
      'Trajectory of bounce-ball by sim:ideal, seed 1',
      'g per arc of bounce-ball by sim:ideal, seed 1',
      'Restitution per contact of bounce-ball by sim:ideal, seed 1',
      'Sound onsets against visual impacts of bounce-ball by sim:ideal, seed 1',
      'Mean luma over time of bounce-ball by sim:ideal, seed 1',
      'Trajectory of odd-metrics by sim:ideal, seed 1',
      'Trajectory of drop-ball by sim:flawed, seed 1',
      'g per arc of drop-ball by sim:flawed, seed 1',
      'Restitution per contact of drop-ball by sim:flawed, seed 1',
    ]);
  });

  it('shows run, summary, every item with g, verdict and failures with their time', () => {
    expect(html).toContain('physeval report — run run-2026-11-25T16-00');
    expect(html).toContain('Suite <b>smoke</b>');
    expect(markup).toMatch(/<span class="n">5<\/span>items/);
    expect(markup).toMatch(/<span class="n">3<\/span>passed/);
    expect(markup).toMatch(/<span class="n">1<\/span>failed/);
    expect(markup).toMatch(/<span class="n">1<\/span>not analysed/);
    expect(markup.match(/<tr data-generator=/g)).toHaveLength(5);
    expect(html).toContain('9.75 vs 9.81* m/s² (0.6% off)');
    expect(html).toContain('<code>gravity-off</code> at 0.250 s: g is 4.90 m/s², expected 9.81 &lt;script&gt;');
    expect(html).toContain('planted <code>gravity-off</code>: caught');
    expect(html).toContain('12.5 ms (audio later when positive), confidence 0.90');
    expect(html).toContain('flicker index</dt><dd>0.0123');
    expect(html).toContain('<option value="sim:flawed">sim:flawed</option>');
    expect(html).toContain('<option value="bounce">bounce</option>');
  });

  it('renders when metrics are missing or odd', () => {
    const oddMetrics: Array<ItemResult['metrics']> = [
      {},
      { trajectory: {} },
      { trajectory: { objects: [null, 3], gravityMS2: Number.POSITIVE_INFINITY } },
      { trajectory: { objects: 'none' }, avsync: { offsetMs: 'late' } },
      { temporal: { flickerIndex: 'x' } },
    ];
    const odd = { ...results, items: results.items.map((item, index) => ({ ...item, metrics: oddMetrics[index]! })) };
    const page = renderHtmlReport(odd);
    expect(page).toContain('No tracked trajectory recorded for this clip.');
    expect(page.match(/<tr data-generator=/g)).toHaveLength(5);
  });

  it('renders a run with no items', () => {
    const empty = { ...results, items: [], summary: { ...results.summary, items: 0, analysed: 0, passed: 0, failed: 0, notAnalysed: 0 } };
    const page = renderHtmlReport(empty);
    expect(page).toMatch(/<span class="n">0<\/span>items/);
    expect(page.match(/<tr data-generator=/g)).toBeNull();
  });

  it('ships a page script that parses', () => {
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });
});

describe('key frames in the HTML report', () => {
  const withFrame = (keyFrame: string) => renderHtmlReport({ ...results, items: [{ ...results.items[0]!, keyFrame }] });

  it('links a plain relative image path, in the table and beside the clip', () => {
    const page = withFrame('frames/sim_ideal_drop-ball_1.jpg');
    expect(page.match(/<img class="(thumb|key-frame)" src="frames\/sim_ideal_drop-ball_1.jpg"/g)).toHaveLength(2);
    expect(page).toContain(`img-src data: &#39;self&#39;`);
  });

  it('links nothing that leaves the report folder or is not an image path', () => {
    for (const keyFrame of ['javascript:alert(1)', '../secret.jpg', '/etc/frame.jpg', 'https://example.com/x.jpg', 'frames/x.jpg" onerror="alert(1)', 'frames/.hidden.jpg']) {
      expect(withFrame(keyFrame)).not.toMatch(/<img class=/);
    }
  });
});

import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../reports/html.js';
import { PAGE_SCRIPT } from '../../reports/page-assets.js';
import { vegaBundles } from '../../reports/vega-bundles.js';
import { resultsFixture } from './fixture.js';

/*
 * No browser here (no Chromium, no playwright-core): these tests run the page's scripts in a
 * bare V8 context instead, with just the globals a page would give them.
 */

const html = renderHtmlReport(resultsFixture());

function specById(id: string): string {
  const match = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(html);
  if (match?.[1] === undefined) throw new Error(`no spec ${id}`);
  return match[1];
}

/** The embedded spec whose description starts with `description`. */
function specJson(description: string): string {
  for (const match of html.matchAll(/<script type="application\/json" id="[^"]+">([\s\S]*?)<\/script>/g)) {
    const json = match[1]!;
    if ((JSON.parse(json) as { description?: string }).description?.startsWith(description)) return json;
  }
  throw new Error(`no spec described as ${description}`);
}

describe('inlined bundles', () => {
  it('load in page order, define vega, vegaLite and vegaEmbed, and draw the report specs', async () => {
    const page = vm.createContext({ console, setTimeout, clearTimeout, setInterval, clearInterval, structuredClone, queueMicrotask, URL });
    vm.runInContext('globalThis.window = globalThis; globalThis.self = globalThis;', page);
    for (const bundle of vegaBundles()) vm.runInContext(bundle.source, page, { filename: bundle.name });
    expect(vm.runInContext('[typeof vega.View, typeof vegaLite.compile, typeof vegaEmbed]', page)).toEqual(['function', 'function', 'function']);

    page['specJson'] = specJson('Trajectory of drop-ball');
    const svg: unknown = await vm.runInContext(
      `new vega.View(vega.parse(vegaLite.compile(JSON.parse(specJson)).spec), { renderer: 'none' }).toSVG()`,
      page,
    );
    expect(String(svg)).toContain('mark-symbol');
  });
});

interface FakeElement {
  tagName: string;
  dataset: Record<string, string>;
  hidden: boolean;
  value: string;
  textContent: string;
  listeners: Array<() => void>;
  addEventListener(type: string, listener: () => void): void;
}

function element(tagName: string, dataset: Record<string, string> = {}, textContent = ''): FakeElement {
  return {
    tagName,
    dataset,
    hidden: false,
    value: '',
    textContent,
    listeners: [],
    addEventListener(_type, listener) {
      this.listeners.push(listener);
    },
  };
}

/** Just enough of a document for the page script: the filterable elements, the selects and the charts. */
function fakeDocument() {
  const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const filtered = [...html.matchAll(/<(tr|section)\b[^>]*data-generator="([^"]*)" data-category="([^"]*)"/g)].map((match) =>
    element(match[1]!.toUpperCase(), { generator: unescape(match[2]!), category: unescape(match[3]!) }),
  );
  const charts = [...html.matchAll(/<div class="chart" data-spec="([^"]+)"/g)].map((match) => element('DIV', { spec: match[1]! }));
  const byId: Record<string, FakeElement> = {
    'filter-generator': element('SELECT'),
    'filter-category': element('SELECT'),
    'filter-count': element('SPAN'),
  };
  for (const chart of charts) byId[chart.dataset['spec']!] = element('SCRIPT', {}, specById(chart.dataset['spec']!));
  return {
    filtered,
    charts,
    byId,
    document: {
      getElementById: (id: string) => byId[id] ?? null,
      querySelectorAll: (selector: string) => (selector === '[data-spec]' ? charts : selector === '[data-generator][data-category]' ? filtered : []),
    },
  };
}

describe('page script', () => {
  it('draws every chart with its own spec and filters rows and sections', () => {
    const fake = fakeDocument();
    const drawn: Array<{ target: FakeElement; description: unknown }> = [];
    const vegaEmbed = (target: FakeElement, spec: { description?: unknown }) => {
      drawn.push({ target, description: spec.description });
      return Promise.resolve();
    };
    vm.runInContext(PAGE_SCRIPT, vm.createContext({ document: fake.document, vegaEmbed }));

    expect(drawn.map((call) => call.target)).toEqual(fake.charts);
    expect(drawn[0]?.description).toBe('Score per generator');
    expect(fake.byId['filter-count']?.textContent).toBe('5 of 5 items shown');

    const generator = fake.byId['filter-generator']!;
    generator.value = 'sim:flawed';
    for (const listener of generator.listeners) listener();
    expect(fake.byId['filter-count']?.textContent).toBe('2 of 5 items shown');
    const visible = fake.filtered.filter((el) => !el.hidden);
    expect(visible.every((el) => el.dataset['generator'] === 'sim:flawed')).toBe(true);
    expect(visible.map((el) => el.tagName).sort()).toEqual(['SECTION', 'SECTION', 'TR', 'TR']);

    const category = fake.byId['filter-category']!;
    category.value = 'bounce';
    for (const listener of category.listeners) listener();
    expect(fake.byId['filter-count']?.textContent).toBe('1 of 5 items shown');
    expect(fake.filtered.filter((el) => !el.hidden && el.tagName === 'TR').map((el) => el.dataset['category'])).toEqual(['bounce']);
  });
});

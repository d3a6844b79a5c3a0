import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { passMatrixSpec } from '../../reports/charts/pass-matrix.js';
import { PNG_ZOOM, svgToPng } from '../../reports/render-png.js';
import { renderChartSvg } from '../../reports/render-svg.js';
import { allCharts } from '../../reports/chart-set.js';
import { HOSTILE, hostileFixture, resultsFixture } from './fixture.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk (bytes 16-23, big-endian). */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const TEXT_ONLY = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="10" y="28" font-family="sans-serif" font-size="20">${text}</text></svg>`;

describe('renderChartSvg', () => {
  it("draws the pass-rate matrix with vega's SVG renderer: cells, labels and axes", async () => {
    const svg = await renderChartSvg(passMatrixSpec(resultsFixture()));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const cells = /<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/s.exec(svg)?.[1] ?? '';
    expect(cells.match(/<path/g)).toHaveLength(4);
    expect(svg).toContain('>2/2</text>');
    expect(svg).toContain('role-axis');
  });
});

describe('svgToPng', () => {
  it('writes a PNG at twice the layout size', async () => {
    const svg = await renderChartSvg(passMatrixSpec(resultsFixture()));
    const png = svgToPng(svg);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(5_000);
    const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(pngSize(png)).toEqual({ width: width * PNG_ZOOM, height: Number(/height="(\d+)"/.exec(svg)?.[1]) * PNG_ZOOM });
  });

  it('draws text with the DejaVu font, where resvg without a font draws nothing', () => {
    const blank = svgToPng(TEXT_ONLY(''));
    const withText = svgToPng(TEXT_ONLY('g = 9.81 m/s²'));
    expect(withText.equals(blank)).toBe(false);
    expect(withText.length).toBeGreaterThan(blank.length + 500);
    // The failure mode this guards against: no font, and the text silently vanishes.
    const noFont = (svg: string) => new Resvg(svg, { fitTo: { mode: 'zoom', value: PNG_ZOOM }, font: { loadSystemFonts: false } }).render().asPng();
    expect(noFont(TEXT_ONLY('g = 9.81 m/s²')).equals(noFont(TEXT_ONLY('')))).toBe(true);
  });
});

describe('hostile text in chart images', () => {
  it('comes out of vega escaped: the SVG of a chart naming the hostile prompt holds no markup from it', async () => {
    const results = hostileFixture();
    const index = results.items.findIndex((item) => item.promptId === HOSTILE);
    const offsets = allCharts(results).find((chart) => chart.name === 'av-offsets')!;
    const timeline = allCharts(results).find((chart) => chart.name === `clip-${index + 1}-av-timeline`)!;
    for (const chart of [offsets, timeline]) {
      const svg = await renderChartSvg(chart.spec);
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain(']]>');
    }
    // The prompt id is in the offsets chart's tooltips, escaped.
    expect(await renderChartSvg(offsets.spec)).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });
});

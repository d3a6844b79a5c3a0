import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** PNG pixels per SVG pixel: twice the chart's layout size, sharp on high-density screens and in slides. */
export const PNG_ZOOM = 2;

const FONT_FAMILY = 'DejaVu Sans';

let fontFiles: string[] | null = null;

/** DejaVu Sans (regular and bold) from the npm package dejavu-fonts-ttf: charts use only these faces. */
export function chartFontFiles(): string[] {
  if (fontFiles === null) {
    const root = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
    fontFiles = [join(root, 'ttf', 'DejaVuSans.ttf'), join(root, 'ttf', 'DejaVuSans-Bold.ttf')];
  }
  return fontFiles;
}

/**
 * Rasterises a chart's SVG with resvg. resvg draws no text at all when it finds no font, and
 * system fonts differ between machines, so the DejaVu files are loaded explicitly and every
 * generic family (vega writes `sans-serif`) maps to them: the same PNG on every machine.
 */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: chartFontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}

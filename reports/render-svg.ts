import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A chart as an SVG document, drawn in Node by vega's own SVG renderer (no browser, no canvas):
 * vega-lite compiles the spec to vega, a headless View lays it out, `toSVG` serialises it.
 */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml, jsonForScript } from './escape.js';

/** Collects a page's chart specs: each chart is a placeholder element plus its spec as inert JSON. */
export class ChartEmbeds {
  private readonly specScripts: string[] = [];

  /** The placeholder where the page script draws `spec`. */
  place(spec: TopLevelSpec, label: string): string {
    const id = `spec-${this.specScripts.length + 1}`;
    this.specScripts.push(`<script type="application/json" id="${id}">${jsonForScript(spec)}</script>`);
    return `<div class="chart" data-spec="${id}" role="img" aria-label="${escapeHtml(label)}"></div>`;
  }

  /** Every spec placed so far, as <script type="application/json"> elements. */
  specElements(): string {
    return this.specScripts.join('\n');
  }
}

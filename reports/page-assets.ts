/*
 * The report's own style and script, inlined in the page. The script filters the item table and
 * the diagnostics by generator and category, and draws each chart (with vega-embed) when it
 * first scrolls into view, so a report of many clips opens quickly.
 */

export const PAGE_STYLE = `
:root { color-scheme: light; --muted: #5f6368; --line: #dadce0; --pass: #1a7f64; --fail: #c0392b; --na: #80868b; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 24px 48px; color: #202124; }
h1 { font-size: 22px; margin: 24px 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.meta { color: var(--muted); margin: 0; } .meta b { color: #202124; font-weight: 600; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 100px; }
.card .n { font-size: 22px; font-weight: 600; display: block; }
.chart { min-height: 40px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f8f9fa; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; } .not-analysed { color: var(--na); font-weight: 600; }
code { font-size: 12px; background: #f1f3f4; padding: 0 3px; border-radius: 3px; }
ul.failures { margin: 0; padding-left: 16px; }
.filters { display: flex; gap: 16px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.clip { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.clip dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.clip-head { display: flex; gap: 24px; align-items: flex-start; justify-content: space-between; }
img.key-frame { width: 240px; border-radius: 4px; border: 1px solid var(--line); }
img.thumb { display: block; width: 96px; margin-top: 4px; border-radius: 3px; }
.clip-charts { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
.clip dt { color: var(--muted); } .clip dd { margin: 0; }
.note { color: var(--muted); font-size: 12px; }
details { margin: 8px 0; }
`;

export const PAGE_SCRIPT = `
(() => {
  'use strict';
  const generatorFilter = document.getElementById('filter-generator');
  const categoryFilter = document.getElementById('filter-category');
  const shownCount = document.getElementById('filter-count');
  const filtered = Array.from(document.querySelectorAll('[data-generator][data-category]'));
  const rowCount = filtered.filter((el) => el.tagName === 'TR').length;
  const applyFilters = () => {
    let shown = 0;
    for (const el of filtered) {
      const hide = (generatorFilter.value !== '' && el.dataset.generator !== generatorFilter.value)
        || (categoryFilter.value !== '' && el.dataset.category !== categoryFilter.value);
      el.hidden = hide;
      if (!hide && el.tagName === 'TR') shown += 1;
    }
    shownCount.textContent = shown + ' of ' + rowCount + ' items shown';
  };
  generatorFilter.addEventListener('change', applyFilters);
  categoryFilter.addEventListener('change', applyFilters);
  applyFilters();

  const draw = (el) => {
    const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    vegaEmbed(el, spec, { actions: false, renderer: 'svg' }).catch((error) => {
      el.textContent = 'This chart could not be drawn: ' + error.message;
    });
  };
  const charts = Array.from(document.querySelectorAll('[data-spec]'));
  if (typeof IntersectionObserver === 'function') {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        draw(entry.target);
      }
    }, { rootMargin: '300px' });
    for (const el of charts) observer.observe(el);
  } else {
    for (const el of charts) draw(el);
  }
})();
`;

/**
 * Forbids every network request the page could make (fetch, images, fonts, frames); scripts
 * may run inline and vega compiles its expressions with `new Function`, hence 'unsafe-eval'.
 * Images may come from beside the page ('self': the run's key frames, linked relatively).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: 'self'";

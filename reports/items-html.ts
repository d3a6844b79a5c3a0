import type { ItemResult, ResultsFile } from '../suites/results.js';
import type { ChartEmbeds } from './chart-embeds.js';
import { clipCharts } from './chart-set.js';
import { escapeHtml as h } from './escape.js';
import { keyFrameHtml } from './key-frame-html.js';
import { fixed, percent, seconds } from './format.js';
import { readAvSync, readTemporal, readTrajectory } from './metric-values.js';
import { compareGravity, distinct, generatorsOf, itemOutcome, type ItemOutcome } from './scores.js';

const OUTCOME_TEXT: Record<ItemOutcome, string> = { passed: 'pass', failed: 'fail', 'not-analysed': 'not analysed' };

/** Anchor of an item's diagnostics, by its position in the results. */
function clipAnchor(index: number): string {
  return `clip-${index + 1}`;
}

function filterAttributes(item: ItemResult): string {
  return `data-generator="${h(item.generator)}" data-category="${h(item.category)}"`;
}

function outcomeCell(item: ItemResult): string {
  const outcome = itemOutcome(item);
  return `<span class="${outcome === 'passed' ? 'pass' : outcome === 'failed' ? 'fail' : 'not-analysed'}">${OUTCOME_TEXT[outcome]}</span>`;
}

/** For simulated clips: whether the metrics raised the defect the simulator planted. */
function plantedDefectText(item: ItemResult): string {
  const planted = item.plantedDefect;
  if (typeof planted !== 'string' || item.status !== 'ok') return '';
  const caught = item.verdict.failures.some((failure) => failure.code === planted);
  return `<div class="note">planted <code>${h(planted)}</code>: ${caught ? 'caught' : '<span class="fail">missed</span>'}</div>`;
}

function gravityText(item: ItemResult): string {
  const gravity = compareGravity(item);
  if (gravity === null) return '—';
  const expected = `${gravity.expectedMS2.toFixed(2)}${gravity.expectedRecorded ? '' : '*'}`;
  return `${gravity.measuredMS2.toFixed(2)} vs ${expected} m/s² (${percent(gravity.relativeError)} off)`;
}

/** Each reason the item did not pass, in words, with its time in the clip when known. */
function failureList(item: ItemResult): string {
  const lines: string[] = [];
  if (item.status !== 'ok') lines.push(`<b>${h(item.status)}</b>${item.message === undefined ? '' : `: ${h(item.message)}`}`);
  for (const failure of item.verdict.failures) {
    const at = failure.atS === undefined ? '' : ` at ${seconds(failure.atS)}`;
    lines.push(`<code>${h(failure.code)}</code>${at}: ${h(failure.message)}`);
  }
  for (const [metric, message] of Object.entries(item.metricErrors)) {
    lines.push(`metric <code>${h(metric)}</code> threw: ${h(message)}`);
  }
  return lines.length === 0 ? '' : `<ul class="failures">${lines.map((line) => `<li>${line}</li>`).join('')}</ul>`;
}

function selectOptions(values: readonly string[]): string {
  return values.map((value) => `<option value="${h(value)}">${h(value)}</option>`).join('');
}

/** The table of every item, with filters by generator and category. */
export function itemsTableHtml(results: ResultsFile): string {
  const categories = distinct(results.items.map((item) => item.category));
  const assumedGravity = results.items.some((item) => compareGravity(item)?.expectedRecorded === false);
  const rows = results.items.map(
    (item, index) => `<tr ${filterAttributes(item)}>
<td><a href="#${clipAnchor(index)}">${h(item.promptId)}</a>${keyFrameHtml(item, 'thumb')}</td><td>${h(item.category)}</td><td>${h(item.generator)}</td>
<td class="num">${item.seed}</td><td>${h(item.status)}</td><td class="num">${gravityText(item)}</td><td>${outcomeCell(item)}${plantedDefectText(item)}</td><td>${failureList(item)}</td></tr>`,
  );
  return `<div class="filters">
<label>Generator <select id="filter-generator"><option value="">all</option>${selectOptions(generatorsOf(results))}</select></label>
<label>Category <select id="filter-category"><option value="">all</option>${selectOptions(categories)}</select></label>
<span id="filter-count" class="note"></span>
</div>
<table id="items">
<thead><tr><th>prompt</th><th>category</th><th>generator</th><th>seed</th><th>status</th><th>g measured vs expected</th><th>verdict</th><th>failures</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${assumedGravity ? '<p class="note">* expected g not recorded in the results: the catalog default is assumed.</p>' : ''}`;
}

function definition(term: string, valueHtml: string): string {
  return `<dt>${h(term)}</dt><dd>${valueHtml}</dd>`;
}

/** Measurements of one clip, beside its trajectory chart. */
function clipFacts(item: ItemResult): string {
  const facts: string[] = [];
  if (item.video !== null) {
    const video = item.video;
    facts.push(definition('video', `<code>${h(video.path)}</code> · ${video.width}×${video.height} · ${video.fps} fps · ${video.durationS.toFixed(2)} s · ${video.hasAudio ? 'with' : 'no'} audio`));
  }
  const trajectory = readTrajectory(item);
  if (trajectory !== null) {
    facts.push(definition('gravity', gravityText(item)));
    if (trajectory.contactsS.length > 0) facts.push(definition('contacts', h(trajectory.contactsS.map(seconds).join(', '))));
    if (trajectory.restitution.length > 0) facts.push(definition('restitution', h(trajectory.restitution.map((e) => e.toFixed(2)).join(', '))));
  }
  const avSync = readAvSync(item);
  if (avSync !== null) {
    const offset = avSync.offsetMs === null ? 'not measured' : `${fixed(avSync.offsetMs, 1)} ms (audio later when positive)`;
    const confidence = avSync.confidence === null ? '' : `, confidence ${avSync.confidence.toFixed(2)}`;
    facts.push(definition('audio–video offset', avSync.hasAudio ? h(offset + confidence) : 'no audio track'));
  }
  const temporal = readTemporal(item);
  if (temporal !== null && temporal.flickerIndex !== null) facts.push(definition('flicker index', temporal.flickerIndex.toFixed(4)));
  facts.push(definition('verdict', outcomeCell(item) + plantedDefectText(item) + failureList(item)));
  return `<dl>${facts.join('')}</dl>`;
}

/** One section per item: what was measured, its verdict and its diagnostic charts. */
export function diagnosticsHtml(results: ResultsFile, charts: ChartEmbeds): string {
  return results.items
    .map((item, index) => {
      const clip = clipCharts(item, index);
      const placed = clip.map((chart) => charts.place(chart.spec, chart.label));
      const trajectoryNote = !clip.some((chart) => chart.name.endsWith('-trajectory'))
          ? `<p class="note">${item.status === 'ok' ? 'No tracked trajectory recorded for this clip.' : 'Not analysed.'}</p>`
          : '';
      return `<section class="clip" id="${clipAnchor(index)}" ${filterAttributes(item)}>
<h3>${h(item.promptId)} · ${h(item.generator)} · seed ${item.seed}</h3>
<div class="clip-head">${clipFacts(item)}${keyFrameHtml(item, 'key-frame')}</div>
${trajectoryNote}<div class="clip-charts">${placed.join('\n')}</div>
</section>`;
    })
    .join('\n');
}

import type { TopLevelSpec } from 'vega-lite';
import type { ResultsFile } from '../../suites/results.js';
import { percent } from '../format.js';
import { scoreGenerators, type GeneratorScore, type ItemOutcome } from '../scores.js';
import { OUTCOME_COLOURS, OUTCOME_LABELS } from './colours.js';
import { VEGA_LITE_SCHEMA_URL, type ViewSpec } from './spec-types.js';

const OUTCOMES: readonly ItemOutcome[] = ['passed', 'failed', 'not-analysed'];

function generatorAxis(scores: readonly GeneratorScore[]) {
  return { field: 'generator', type: 'nominal' as const, title: 'generator', sort: scores.map((score) => score.generator) };
}

/** Items per generator stacked by outcome, labelled with the pass rate and its counts. */
function passPanel(scores: readonly GeneratorScore[]): ViewSpec {
  const counts = scores.flatMap((score) =>
    OUTCOMES.map((outcome, order) => ({
      generator: score.generator,
      outcome: OUTCOME_LABELS[outcome],
      order,
      count: outcome === 'passed' ? score.passed : outcome === 'failed' ? score.failed : score.notAnalysed,
    })),
  );
  const labels = scores.map((score) => ({
    generator: score.generator,
    items: score.items,
    label: `${percent(score.passRate)} passed (${score.passed}/${score.items})`,
  }));
  return {
    title: 'Pass rate (not analysed counts as not passed)',
    width: 320,
    layer: [
      {
        data: { values: counts },
        mark: { type: 'bar' },
        encoding: {
          y: generatorAxis(scores),
          x: { field: 'count', type: 'quantitative', stack: 'zero', title: 'items' },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: 'outcome',
            scale: { domain: OUTCOMES.map((o) => OUTCOME_LABELS[o]), range: OUTCOMES.map((o) => OUTCOME_COLOURS[o]) },
          },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [
            { field: 'generator', type: 'nominal' },
            { field: 'outcome', type: 'nominal' },
            { field: 'count', type: 'quantitative' },
          ],
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: {
          y: generatorAxis(scores),
          x: { field: 'items', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  };
}

/** Mean |g − expected| / expected per generator, over its items with a measured g. */
function gravityPanel(scores: readonly GeneratorScore[]): ViewSpec | null {
  const rows = scores.flatMap((score) =>
    score.meanGravityRelError === null
      ? []
      : [{ generator: score.generator, error: score.meanGravityRelError, label: `${percent(score.meanGravityRelError)} (n=${score.gravityItems})` }],
  );
  if (rows.length === 0) return null;
  return {
    title: 'Mean |g − expected| / expected',
    width: 240,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', color: '#4c6ef5' },
        encoding: {
          y: generatorAxis(scores),
          x: { field: 'error', type: 'quantitative', title: 'relative error of g', axis: { format: '%' } },
          tooltip: [
            { field: 'generator', type: 'nominal' },
            { field: 'error', type: 'quantitative', format: '.2%' },
          ],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: {
          y: generatorAxis(scores),
          x: { field: 'error', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  };
}

/** Score per generator: pass rate with counts, and beside it the gravity error where g was measured. */
export function scoreChartSpec(results: ResultsFile): TopLevelSpec {
  const scores = scoreGenerators(results);
  const gravity = gravityPanel(scores);
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: 'Score per generator',
    hconcat: gravity === null ? [passPanel(scores)] : [passPanel(scores), gravity],
    resolve: { scale: { y: 'independent' } },
  };
}

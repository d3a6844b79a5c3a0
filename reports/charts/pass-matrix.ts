import type { TopLevelSpec } from 'vega-lite';
import type { ResultsFile } from '../../suites/results.js';
import { percent } from '../format.js';
import { distinct, generatorsOf, passMatrix } from '../scores.js';
import { VEGA_LITE_SCHEMA_URL } from './spec-types.js';

/** Category × generator heat map of pass rates, each cell labelled "passed/items". */
export function passMatrixSpec(results: ResultsFile): TopLevelSpec {
  const cells = passMatrix(results).map((cell) => ({
    ...cell,
    label: `${cell.passed}/${cell.items}`,
    passRateText: percent(cell.passRate),
  }));
  const generators = generatorsOf(results);
  const categories = distinct(cells.map((cell) => cell.category));
  return {
    $schema: VEGA_LITE_SCHEMA_URL,
    description: 'Pass rate per category and generator',
    title: 'Pass rate per category × generator',
    data: { values: cells },
    width: { step: 90 },
    height: { step: 32 },
    encoding: {
      x: { field: 'generator', type: 'nominal', sort: generators, title: 'generator', axis: { labelAngle: 0 } },
      y: { field: 'category', type: 'nominal', sort: categories, title: 'category' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          color: {
            field: 'passRate',
            type: 'quantitative',
            title: 'pass rate',
            scale: { domain: [0, 1], scheme: 'redyellowgreen' },
            legend: { format: '%' },
          },
          tooltip: [
            { field: 'category', type: 'nominal' },
            { field: 'generator', type: 'nominal' },
            { field: 'passRateText', type: 'nominal', title: 'pass rate' },
            { field: 'passed', type: 'quantitative' },
            { field: 'failed', type: 'quantitative' },
            { field: 'notAnalysed', type: 'quantitative', title: 'not analysed' },
          ],
        },
      },
      {
        mark: { type: 'text', color: 'black' },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}

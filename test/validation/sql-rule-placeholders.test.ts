import { describe, expect, it } from 'vitest';
import { column, loadDataset } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

/**
 * `{property}` and `${model}` are filled by the validator as `{object}` is, as quoted identifiers:
 * the column here is named `group`, a keyword that only reads as a column quoted.
 */
describe('sql rule placeholders on DuckDB', () => {
  const dataset = loadDataset({
    properties: [
      column('group', {
        logicalType: 'integer',
        quality: [{ id: 'big_values', type: 'sql', query: 'SELECT count(*) FROM {object} WHERE {property} > 5', mustBe: 0 }],
      }),
    ],
    quality: [{ id: 'model_rows', type: 'sql', query: 'SELECT count(*) FROM ${model}', mustBeGreaterThan: 3 }],
  });

  it('reads {property} as the column the rule is attached to and ${model} as the rows', async () => {
    const { report } = await validateRows(dataset, [['1'], ['7'], ['9']]);
    expect(report.rules.find((rule) => rule.id === 'big_values')).toMatchObject({ kind: 'sql', passed: false, observed: 2 });
    expect(report.rules.find((rule) => rule.id === 'model_rows')).toMatchObject({ kind: 'sql', passed: false, observed: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import { column, loadDataset } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

const gx = (expectation_type: string, kwargs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'custom',
  engine: 'great-expectations',
  implementation: { expectation_type, kwargs },
  ...extra,
});

describe('Great Expectations rules, validated', () => {
  const dataset = loadDataset({
    properties: [
      column('id', { quality: [gx('expect_column_values_to_be_unique', {})] }),
      column('status'),
      column('amount', { logicalType: 'number' }),
    ],
    quality: [
      gx('expect_table_row_count_to_be_between', { min_value: 1, max_value: 3 }, { id: 'few_rows' }),
      gx('expect_column_values_to_be_in_set', { column: 'status', value_set: ['new', 'paid'], mostly: 0.5 }, { id: 'known_status', severity: 'warning' }),
      gx('expect_column_values_to_not_be_null', { column: 'status' }),
      gx('expect_column_values_to_be_between', { column: 'amount', min_value: 0, max_value: 100, strict_max: true }, { id: 'amount_range' }),
      gx('expect_column_pair_values_to_be_equal', { column_A: 'id', column_B: 'status' }, { id: 'pair' }),
    ],
  });

  it('counts failing rows as the translated rules do, and reports the untranslated one as not evaluated', async () => {
    const { report } = await validateRows(dataset, [
      ['a', 'new', '10'],
      ['a', 'lost', '100'],
      ['b', null, '-1'],
      ['c', 'paid', '5'],
    ]);
    expect(report.rules.filter((rule) => rule.kind !== 'type').map(({ id, kind, status, failedCount, observed }) => ({ id, kind, status, failedCount, observed }))).toEqual([
      { id: 'few_rows', kind: 'rowCount', status: 'failed', failedCount: 0, observed: 4 },
      { id: 'known_status', kind: 'invalidValues', status: 'passed', failedCount: 1, observed: (1 / 3) * 100 },
      { id: 'status.nullValues', kind: 'nullValues', status: 'failed', failedCount: 1, observed: 1 },
      { id: 'amount_range', kind: 'minimum', status: 'failed', failedCount: 1, observed: 1 },
      { id: 'amount_range#2', kind: 'exclusiveMaximum', status: 'failed', failedCount: 1, observed: 1 },
      { id: 'id.duplicateValues', kind: 'duplicateValues', status: 'failed', failedCount: 2, observed: 2 },
      { id: 'pair', kind: 'custom', status: 'notEvaluated', failedCount: 0, observed: null },
    ]);
  });
});

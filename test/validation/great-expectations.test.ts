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
      { id: 'amount_range', kind: 'between', status: 'failed', failedCount: 2, observed: 2 },
      { id: 'id.duplicateValues', kind: 'duplicateValues', status: 'failed', failedCount: 2, observed: 2 },
      { id: 'pair', kind: 'custom', status: 'notEvaluated', failedCount: 0, observed: null },
    ]);
  });

  // Ten values 1..10 against 2..9 with mostly 0.9: the 1 below and the 10 above are 20 % outside
  // the range, which Great Expectations fails; each end allowing 10 % on its own passed them.
  const range = loadDataset({
    properties: [column('Reading (kWh)', { logicalType: 'integer', physicalName: 'READING_KWH' })],
    quality: [
      gx('expect_column_values_to_be_between', { column: 'READING_KWH', min_value: 2, max_value: 9, mostly: 0.9 }, { id: 'reading_range' }),
      gx('expect_column_values_to_not_be_null', { column: 'reading_kwh' }, { id: 'reading_present' }),
    ],
  });

  it('counts a row outside either end of a between once against mostly, and finds the column by its physicalName or lakehouse name', async () => {
    const values = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const { report } = await validateRows(range, values.map((value) => [value]));
    const rule = (ruleId: string) => report.rules.find(({ id }) => id === ruleId);
    expect(rule('reading_range')).toMatchObject({
      kind: 'between',
      column: 'reading_kwh',
      status: 'failed',
      failedCount: 2,
      failedPercent: 20,
      observed: 20,
      threshold: { operator: 'mustBeLessOrEqualTo', value: 10, unit: 'percent' },
      samples: [{ row: 1, value: '1' }, { row: 10, value: '10' }],
    });
    expect(rule('reading_present')).toMatchObject({ kind: 'nullValues', column: 'reading_kwh', status: 'passed', failedCount: 0 });
    const oneBelow = await validateRows(range, [...values.slice(0, 9), '5'].map((value) => [value]));
    expect(oneBelow.report.rules.find(({ id }) => id === 'reading_range')).toMatchObject({ status: 'passed', failedCount: 1, observed: 10 });
  });
});

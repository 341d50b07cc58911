import { describe, expect, it } from 'vitest';
import { sampledRows } from '../../lib/validation/samples.ts';
import { column, loadDataset } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

describe('samples of failing rows', () => {
  it('are at most 5, the first failing rows in file order, with the value as delivered', async () => {
    const dataset = loadDataset({ properties: [column('n', { logicalType: 'integer' })] });
    const data = ['1', 'a', '2', 'b', 'c', 'd', 'e', 'f'].map((value) => [value]);
    const { report } = await validateRows(dataset, data);
    expect(report.rules[0]).toMatchObject({ id: 'n.type', failedCount: 6 });
    expect(report.rules[0]!.samples).toEqual([
      { row: 2, value: 'a' },
      { row: 4, value: 'b' },
      { row: 5, value: 'c' },
      { row: 6, value: 'd' },
      { row: 7, value: 'e' },
    ]);
  });

  it.each([
    ['classification restricted', { classification: 'restricted' }],
    ['classification confidential', { classification: 'confidential' }],
    ['tag pii', { tags: ['PII'] }],
  ])('mask the values of a sensitive column (%s), but not its nulls', async (_name, fields) => {
    const dataset = loadDataset({
      properties: [column('email', { ...fields, required: true, logicalTypeOptions: { pattern: '[^@]+@[^@]+' } })],
    });
    const { report } = await validateRows(dataset, [['jane.doe(at)example.com'], [null], ['ok@example.com']]);
    expect(report.rules.find((rule) => rule.id === 'email.pattern')?.samples).toEqual([{ row: 1, value: '***' }]);
    expect(report.rules.find((rule) => rule.id === 'email.required')?.samples).toEqual([{ row: 2, value: null }]);
    expect(JSON.stringify(report)).not.toContain('jane.doe');
  });

  it('show the values of a column that is not sensitive', async () => {
    const dataset = loadDataset({ properties: [column('code', { classification: 'internal', logicalTypeOptions: { maxLength: 2 } })] });
    const { report } = await validateRows(dataset, [['ABC']]);
    expect(report.rules[0]!.samples).toEqual([{ row: 1, value: 'ABC' }]);
  });

  it('show a multi-column key as an object by column, masking only its sensitive part', async () => {
    const dataset = loadDataset({
      properties: [column('email', { classification: 'confidential' }), column('day', { logicalType: 'date' })],
      quality: [{ metric: 'duplicateValues', arguments: { properties: ['email', 'day'] }, mustBe: 0 }],
    });
    const { report } = await validateRows(dataset, [
      ['a@example.com', '2024-01-01'],
      ['a@example.com', '2024-01-01'],
      ['a@example.com', '2024-01-02'],
    ]);
    expect(report.rules.find((rule) => rule.kind === 'duplicateValues')?.samples).toEqual([
      { row: 1, value: { email: '***', day: '2024-01-01' } },
      { row: 2, value: { email: '***', day: '2024-01-01' } },
    ]);
  });

  it('are only fetched for rules that failed', async () => {
    const dataset = loadDataset({
      properties: [column('v', { quality: [{ metric: 'nullValues', mustBeLessThan: 2 }] })],
      quality: [{ metric: 'rowCount', mustBeGreaterThan: 5 }],
    });
    const { report } = await validateRows(dataset, [[null], ['a']]);
    expect(report.rules.find((rule) => rule.kind === 'nullValues')).toMatchObject({ passed: true, failedCount: 1, samples: [] });
    expect(report.rules.find((rule) => rule.kind === 'rowCount')).toMatchObject({ passed: false, failedCount: 0, samples: [] });
  });
});

describe('samples of several rules, fetched together', () => {
  it('give each failed rule its own first failing rows, whatever the other rules', async () => {
    const dataset = loadDataset({
      properties: [
        column('id', { primaryKey: true }),
        column('n', { logicalType: 'integer', logicalTypeOptions: { maximum: 5 } }),
        column('s', { required: true, logicalTypeOptions: { maxLength: 2 } }),
      ],
    });
    const data = [
      ['a', '1', 'ok'],
      ['b', '9', null],
      ['a', 'x', 'long'],
      ['c', '7', 'ok'],
      ['d', '2', null],
    ];
    const { report } = await validateRows(dataset, data);
    const samples = Object.fromEntries(report.rules.filter((rule) => !rule.passed).map((rule) => [rule.id, rule.samples]));
    expect(samples).toEqual({
      'id.unique': [
        { row: 1, value: 'a' },
        { row: 3, value: 'a' },
      ],
      'n.type': [{ row: 3, value: 'x' }],
      'n.maximum': [
        { row: 2, value: '9' },
        { row: 4, value: '7' },
      ],
      's.required': [
        { row: 2, value: null },
        { row: 5, value: null },
      ],
      's.maxLength': [{ row: 3, value: 'long' }],
    });
  });
});

describe('sampledRows', () => {
  it('reads the records of a samples column as [row, ...values], and no record as none', () => {
    expect(sampledRows([{ v0: 3, v1: 'x', v2: null }, { v0: 7, v1: null, v2: 2 }])).toEqual([
      [3, 'x', null],
      [7, null, 2],
    ]);
    expect(sampledRows(null)).toEqual([]);
  });

  it.each([
    ['a value that is not a list', 'x', /expected a list of sampled rows/],
    ['a row that is not a record', [[1, 'x']], /expected a sampled row as a record/],
    ['a record without a row number first', [{ v0: 'x', v1: 1 }], /expected a row number first/],
  ])('refuses %s', (_name, records, message) => {
    expect(() => sampledRows(records)).toThrow(message);
  });
});

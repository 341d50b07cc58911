import { describe, expect, it } from 'vitest';
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

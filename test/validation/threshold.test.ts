import { describe, expect, it } from 'vitest';
import type { Operator } from '../../lib/contracts/model.ts';
import { meetsThreshold } from '../../lib/validation/threshold.ts';
import { column, loadDataset } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

describe('operators', () => {
  it.each<[Operator, number | [number, number], number, boolean]>([
    ['mustBe', 0, 0, true],
    ['mustBe', 0, 1, false],
    ['mustNotBe', 0, 1, true],
    ['mustNotBe', 0, 0, false],
    ['mustBeGreaterThan', 5, 6, true],
    ['mustBeGreaterThan', 5, 5, false],
    ['mustBeGreaterOrEqualTo', 5, 5, true],
    ['mustBeGreaterOrEqualTo', 5, 4.9, false],
    ['mustBeLessThan', 5, 4.9, true],
    ['mustBeLessThan', 5, 5, false],
    ['mustBeLessOrEqualTo', 5, 5, true],
    ['mustBeLessOrEqualTo', 5, 5.1, false],
    ['mustBeBetween', [1, 3], 1, true],
    ['mustBeBetween', [1, 3], 3, true],
    ['mustBeBetween', [1, 3], 3.5, false],
    ['mustBeBetween', [1, 3], 0, false],
    ['mustNotBeBetween', [1, 3], 0, true],
    ['mustNotBeBetween', [1, 3], 4, true],
    ['mustNotBeBetween', [1, 3], 1, false],
    ['mustNotBeBetween', [1, 3], 2, false],
  ])('%s %j with %d observed: %s', (operator, value, observed, expected) => {
    expect(meetsThreshold(observed, { operator, value, unit: 'rows' })).toBe(expected);
  });

  it('refuses a between operator without a pair, and a pair for a single-value operator', () => {
    expect(() => meetsThreshold(1, { operator: 'mustBeBetween', value: 1, unit: 'rows' })).toThrow(/needs a \[low, high\] pair/);
    expect(() => meetsThreshold(1, { operator: 'mustBe', value: [1, 2], unit: 'rows' })).toThrow(/needs one number/);
  });
});

describe('units, executed on DuckDB', () => {
  // 3 nulls in 10 rows; 2 invalid values among the 7 non-null.
  const rows = ['a', 'a', 'a', 'a', 'a', 'x', 'y', null, null, null].map((value) => [value]);
  const dataset = (rules: Record<string, unknown>[]) => loadDataset({ properties: [column('v', { quality: rules })] });

  it.each<[string, Record<string, unknown>, number, boolean]>([
    ['nullValues in rows', { metric: 'nullValues', mustBeLessOrEqualTo: 3 }, 3, true],
    ['nullValues in percent of all rows', { metric: 'nullValues', mustBeLessThan: 30, unit: 'percent' }, 30, false],
    ['invalidValues in rows', { metric: 'invalidValues', arguments: { validValues: ['a'] }, mustBeLessThan: 3 }, 2, true],
    ['invalidValues in percent of non-null values', { metric: 'invalidValues', arguments: { validValues: ['a'] }, mustBeBetween: [0, 25], unit: 'percent' }, (2 / 7) * 100, false],
    ['duplicateValues in percent of non-null values', { metric: 'duplicateValues', mustNotBeBetween: [0, 50], unit: 'percent' }, (5 / 7) * 100, true],
  ])('%s', async (_name, rule, observed, passed) => {
    const { report } = await validateRows(dataset([rule]), rows);
    const [result] = report.rules;
    expect(result).toMatchObject({ observed, passed, threshold: { unit: rule['unit'] ?? 'rows' } });
  });
});

import { describe, expect, it } from 'vitest';
import { isGreatExpectations, translateExpectation } from '../../lib/contracts/great-expectations.ts';
import type { RawProperty, RawQualityRule } from '../../lib/contracts/raw-contract.ts';

const [id, status, amount]: RawProperty[] = [{ name: 'id' }, { name: 'status' }, { name: 'Amount (EUR)', physicalName: 'AMOUNT_EUR', logicalType: 'number' }];
const columns = [id!, status!, amount!];
const gx = (implementation: RawQualityRule['implementation']): RawQualityRule => ({ type: 'custom', engine: 'great-expectations', implementation });
const every = { operator: 'mustBe', value: 0, unit: 'rows' };

describe('Great Expectations rules as the lakehouse rules', () => {
  it('names the engine in any spelling', () => {
    expect(['great-expectations', 'great_expectations', 'greatExpectations', 'GX'].every(isGreatExpectations)).toBe(true);
    expect(isGreatExpectations('soda')).toBe(false);
  });

  it('translates row count between into rowCount, with one or both ends', () => {
    const rowCount = (kwargs: Record<string, unknown>) => translateExpectation(gx({ expectation_type: 'expect_table_row_count_to_be_between', kwargs }), null, columns);
    expect(rowCount({ min_value: 1, max_value: 100 })).toEqual({ rules: [{ metric: 'rowCount', column: null, threshold: { operator: 'mustBeBetween', value: [1, 100], unit: 'rows' } }] });
    expect(rowCount({ min_value: 5 })).toEqual({ rules: [{ metric: 'rowCount', column: null, threshold: { operator: 'mustBeGreaterOrEqualTo', value: 5, unit: 'rows' } }] });
    expect(rowCount({ max_value: 5 })).toEqual({ rules: [{ metric: 'rowCount', column: null, threshold: { operator: 'mustBeLessOrEqualTo', value: 5, unit: 'rows' } }] });
    expect(rowCount({})).toEqual({ notRun: 'expect_table_row_count_to_be_between without min_value or max_value checks nothing' });
  });

  it('translates in set, not null and unique, with mostly as a percent of failing rows', () => {
    expect(translateExpectation(gx({ type: 'expect_column_values_to_be_in_set', kwargs: { column: 'status', value_set: ['new', 'paid'], mostly: 0.95 } }), null, columns)).toEqual({
      rules: [{ metric: 'invalidValues', column: 'status', threshold: { operator: 'mustBeLessOrEqualTo', value: 5, unit: 'percent' }, validValues: ['new', 'paid'] }],
    });
    expect(translateExpectation(gx({ expectation_type: 'expect_column_values_to_not_be_null', kwargs: {} }), id!, columns)).toEqual({
      rules: [{ metric: 'nullValues', column: 'id', threshold: every }],
    });
    expect(translateExpectation(gx('expectation_type: expect_column_values_to_be_unique\nkwargs: {column: id}'), null, columns)).toEqual({
      rules: [{ metric: 'duplicateValues', column: 'id', threshold: every }],
    });
  });

  it('translates between into one range rule, so mostly counts a row beyond either end once; exclusive with strict_min and strict_max', () => {
    expect(translateExpectation(gx('{"expectation_type": "expect_column_values_to_be_between", "kwargs": {"column": "Amount (EUR)", "min_value": 0, "max_value": 500, "strict_min": true, "mostly": 0.9}}'), null, columns)).toEqual({
      rules: [{ metric: 'between', column: 'Amount (EUR)', threshold: { operator: 'mustBeLessOrEqualTo', value: 10, unit: 'percent' }, bounds: { exclusiveMinimum: 0, maximum: 500 } }],
    });
    expect(translateExpectation(gx({ expectation_type: 'expect_column_values_to_be_between', kwargs: { max_value: 5, strict_max: true } }), amount!, columns)).toEqual({
      rules: [{ metric: 'between', column: 'Amount (EUR)', threshold: every, bounds: { exclusiveMaximum: 5 } }],
    });
  });

  it('finds kwargs.column by the written name, the physicalName Great Expectations runs against, or the lakehouse name', () => {
    const notNull = (column: string, attached: RawProperty | null) => translateExpectation(gx({ expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column } }), attached, columns);
    for (const column of ['Amount (EUR)', 'AMOUNT_EUR', 'amount_eur']) {
      expect(notNull(column, null)).toEqual({ rules: [{ metric: 'nullValues', column: 'Amount (EUR)', threshold: every }] });
      expect(notNull(column, amount!)).toEqual({ rules: [{ metric: 'nullValues', column: 'Amount (EUR)', threshold: every }] });
    }
    expect(notNull('AMOUNT_EUR', id!)).toEqual({ problem: "kwargs.column 'AMOUNT_EUR' is not 'id', the property this rule is attached to" });
  });

  it('leaves other expectations and unreadable implementations not run, and refuses a column the dataset has not', () => {
    expect(translateExpectation(gx({ expectation_type: 'expect_column_values_to_match_regex', kwargs: { column: 'id', regex: 'x' } }), null, columns)).toEqual({
      notRun: expect.stringMatching(/^Great Expectations' expect_column_values_to_match_regex has no lakehouse equivalent \(translated: expect_table_row_count_to_be_between, /),
    });
    expect(translateExpectation(gx('row_count > 0'), null, columns)).toEqual({ notRun: 'its implementation is not a Great Expectations expectation (expectation_type and kwargs)' });
    expect(translateExpectation(gx({ expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'nope' } }), null, columns)).toEqual({
      problem: "kwargs.column 'nope' is not a column of this dataset (id, status, Amount (EUR))",
    });
    expect(translateExpectation(gx({ expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'id' } }), status!, columns)).toEqual({
      problem: "kwargs.column 'id' is not 'status', the property this rule is attached to",
    });
    expect(translateExpectation(gx({ expectation_type: 'expect_column_values_to_be_unique', kwargs: { column: 'id', mostly: 2 } }), null, columns)).toEqual({
      problem: 'kwargs.mostly must be a number from 0 to 1 (got 2)',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { column, loadDataset } from '../validation/helpers/dataset.ts';

describe('multipleOf on a decimal is checked exactly or refused', () => {
  it('refuses a divisor finer than decimal(38,2) holds, at its place, since only an approximate check would remain', () => {
    expect(() =>
      loadDataset({ properties: [column('amount', { logicalType: 'number', physicalType: 'decimal(38,2)', logicalTypeOptions: { multipleOf: 0.001 } })] }),
    ).toThrow(/items\.yaml:\d+:\d+: .*multipleOf 0\.001 on 'amount' \(decimal\(38,2\)\) needs more than 38 digits/);
  });

  it('accepts a divisor the column and it hold together in 38 digits', () => {
    expect(() =>
      loadDataset({ properties: [column('amount', { logicalType: 'number', physicalType: 'decimal(38,2)', logicalTypeOptions: { multipleOf: 0.01 } })] }),
    ).not.toThrow();
    expect(() =>
      loadDataset({ properties: [column('amount', { logicalType: 'number', physicalType: 'decimal(37,2)', logicalTypeOptions: { multipleOf: 0.001 } })] }),
    ).not.toThrow();
  });
});

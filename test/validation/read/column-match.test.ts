import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../lib/contracts/model.ts';
import { findColumnMismatch, type ColumnRules, type FoundColumn } from '../../../lib/validation/read/column-match.ts';
import { datasetFor, useScratchFolder } from './helpers.ts';

const folder = useScratchFolder();

const HEADER: ColumnRules = { noun: 'column', ordered: true, optionalMayBeAbsent: false };
const KEYS: ColumnRules = { noun: 'key', ordered: false, optionalMayBeAbsent: true };

function dataset(unknownColumns: 'fail' | 'ignore' = 'fail'): Dataset {
  return datasetFor(folder(), {
    format: 'csv',
    unknownColumns,
    columns: [{ name: 'order_id', primaryKey: true }, { name: 'customer', required: true }, { name: 'amount' }, { name: 'note' }],
  });
}

const named = (...names: string[]): FoundColumn[] => names.map((name) => ({ name }));

describe('findColumnMismatch', () => {
  it('accepts exactly the contract columns in contract order', () => {
    expect(findColumnMismatch(named('order_id', 'customer', 'amount', 'note'), dataset(), HEADER)).toBeUndefined();
  });

  it('reports every problem at once', () => {
    expect(findColumnMismatch(named('order_id', 'custmer', 'extra', 'extra', ''), dataset(), HEADER)).toEqual({
      message:
        "column 5 has no name; column 'extra' appears 2 times; column 'custmer' is not in the contract (did you mean 'customer'?); " +
        "column 'extra' is not in the contract; missing column 'amount'; missing column 'note'",
    });
  });

  it('drops unknown, unnamed and repeated unknown columns under ignore but still reports a misspelling of a missing column', () => {
    expect(findColumnMismatch(named('order_id', 'channel', 'customer', 'amount', 'note', 'channel', ''), dataset('ignore'), HEADER)).toBeUndefined();
    expect(findColumnMismatch(named('order_id', 'channel', 'CUSTOMER', 'amount', 'note'), dataset('ignore'), HEADER)).toEqual({
      message: "column 'CUSTOMER' is not in the contract (did you mean 'customer'?)",
    });
  });

  it('reports a repeated contract column even under ignore', () => {
    expect(findColumnMismatch(named('order_id', 'customer', 'amount', 'note', 'note'), dataset('ignore'), HEADER)).toEqual({
      message: "column 'note' appears 2 times",
    });
  });

  it('suggests each missing column once', () => {
    expect(findColumnMismatch(named('order_id', 'customr', 'custome', 'amount', 'note'), dataset(), HEADER)).toEqual({
      message: "column 'customr' is not in the contract (did you mean 'customer'?); column 'custome' is not in the contract",
    });
  });

  it('checks order only when asked, comparing the contract columns among the found ones', () => {
    const reordered = named('customer', 'order_id', 'channel', 'amount', 'note');
    expect(findColumnMismatch(reordered, dataset('ignore'), HEADER)).toEqual({
      message: "columns are not in the contract's order: expected order_id, customer, amount, note; found customer, order_id, amount, note",
    });
    expect(findColumnMismatch(reordered, dataset('ignore'), { ...HEADER, ordered: false })).toBeUndefined();
  });

  it('lets optional columns be absent when the format allows it, never required or key columns', () => {
    expect(findColumnMismatch(named('order_id', 'customer'), dataset(), KEYS)).toBeUndefined();
    expect(findColumnMismatch(named('amount'), dataset(), KEYS)).toEqual({ message: "missing key 'order_id'; missing key 'customer'" });
  });

  it('names the first line of an unknown key and returns the earliest such line', () => {
    const found: FoundColumn[] = [
      { name: 'order_id', line: 1 },
      { name: 'customer', line: 1 },
      { name: 'channel', line: 9 },
      { name: 'amout', line: 4 },
    ];
    expect(findColumnMismatch(found, dataset(), KEYS)).toEqual({
      message: "key 'channel' (first on line 9) is not in the contract; key 'amout' (first on line 4) is not in the contract (did you mean 'amount'?)",
      line: 4,
    });
  });
});

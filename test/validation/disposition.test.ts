import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { column, loadDataset, type ContractSpec } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

const rowsMode = { property: 'onViolation', value: 'quarantine-rows' };

/** id: key; qty: integer 1..9; note: free text with a warning completeness rule. */
function contract(extra: Partial<ContractSpec> = {}): ContractSpec {
  return {
    properties: [
      column('id', { primaryKey: true }),
      column('qty', { logicalType: 'integer', logicalTypeOptions: { minimum: 1, maximum: 9 } }),
      column('note', { quality: [{ id: 'note_present', metric: 'nullValues', mustBe: 0, severity: 'warning' }] }),
    ],
    ...extra,
  };
}

const rows = [
  ['a', '1', 'ok'],
  ['b', 'x', 'bad qty'],
  ['c', '5', null],
  ['c', '12', 'repeated key and too many'],
  ['e', '9', 'ok'],
];

describe('quarantine-rows', () => {
  it('passes the good rows on, typed, and quarantines each bad row with the failed error rules it breaks', async () => {
    const { report, passingRows, quarantinedRows, disposition } = await validateRows(
      loadDataset(contract({ customProperties: [rowsMode] })),
      rows,
    );
    expect(disposition.wholeFile).toBe(false);
    expect(report).toMatchObject({ passed: false, rowCount: 5, rowsPassed: 2, rowsQuarantined: 3 });
    expect(passingRows).toEqual([
      { id: 'a', qty: 1, note: 'ok', _row: 1 },
      { id: 'e', qty: 9, note: 'ok', _row: 5 },
    ]);
    expect(quarantinedRows).toEqual([
      { id: 'b', qty: 'x', note: 'bad qty', _row: 2, _violations: ['qty.type'] },
      { id: 'c', qty: '5', note: null, _row: 3, _violations: ['id.unique'] },
      { id: 'c', qty: '12', note: 'repeated key and too many', _row: 4, _violations: ['id.unique', 'qty.maximum'] },
    ]);
  });

  it('does not quarantine rows that only break a warning rule', async () => {
    const { report, quarantinedRows } = await validateRows(loadDataset(contract({ customProperties: [rowsMode] })), [
      ['a', '1', null],
      ['b', '2', null],
    ]);
    expect(report).toMatchObject({ passed: true, rowsPassed: 2, rowsQuarantined: 0 });
    expect(quarantinedRows).toEqual([]);
  });

  it('does not quarantine rows of an error rule that passed its threshold', async () => {
    const dataset = loadDataset({
      properties: [column('v', { quality: [{ metric: 'nullValues', mustBeLessThan: 50, unit: 'percent' }] }), column('w', { required: true })],
      customProperties: [rowsMode],
    });
    const { report, quarantinedRows } = await validateRows(dataset, [
      [null, 'x'],
      ['a', null],
      ['b', 'y'],
    ]);
    expect(report.rules.find((rule) => rule.id === 'v.nullValues')).toMatchObject({ passed: true, failedCount: 1 });
    expect(report).toMatchObject({ rowsPassed: 2, rowsQuarantined: 1 });
    expect(quarantinedRows.map((row) => row['_row'])).toEqual([2]);
  });

  it('quarantines the whole file when a table-level error rule fails', async () => {
    const dataset = loadDataset(contract({ customProperties: [rowsMode], quality: [{ id: 'enough_rows', metric: 'rowCount', mustBeGreaterThan: 10 }] }));
    const { report, passingRows, quarantinedRows, disposition } = await validateRows(dataset, rows);
    expect(disposition.wholeFile).toBe(true);
    expect(report).toMatchObject({ rowsPassed: 0, rowsQuarantined: 5 });
    expect(passingRows).toEqual([]);
    expect(quarantinedRows[0]).toMatchObject({ _row: 1, _violations: ['enough_rows'] });
    expect(quarantinedRows[3]).toMatchObject({ _row: 4, _violations: ['id.unique', 'qty.maximum', 'enough_rows'] });
  });

  it('keeps the file when only a table-level warning rule fails', async () => {
    const dataset = loadDataset(contract({ customProperties: [rowsMode], quality: [{ metric: 'rowCount', mustBeGreaterThan: 10, severity: 'warning' }] }));
    const { report } = await validateRows(dataset, [['a', '1', 'ok']]);
    expect(report).toMatchObject({ passed: true, rowsPassed: 1, rowsQuarantined: 0 });
  });
});

describe('quarantine-file (the default)', () => {
  it('quarantines every row when any error rule fails', async () => {
    const { report, passingRows, quarantinedRows, disposition } = await validateRows(loadDataset(contract()), rows);
    expect(disposition.wholeFile).toBe(true);
    expect(report).toMatchObject({ passed: false, rowCount: 5, rowsPassed: 0, rowsQuarantined: 5 });
    expect(passingRows).toEqual([]);
    expect(quarantinedRows.map((row) => row['_violations'])).toEqual([[], ['qty.type'], ['id.unique'], ['id.unique', 'qty.maximum'], []]);
  });

  it('passes every row of a clean file', async () => {
    const { report, passingRows, quarantinedRows } = await validateRows(loadDataset(contract()), [
      ['a', '1', 'x'],
      ['b', '2', 'y'],
    ]);
    expect(report).toMatchObject({ passed: true, rowsPassed: 2, rowsQuarantined: 0 });
    expect(passingRows).toHaveLength(2);
    expect(quarantinedRows).toEqual([]);
  });

  it('handles an empty file', async () => {
    const { report } = await validateRows(loadDataset(contract()), []);
    expect(report).toMatchObject({ passed: true, rowCount: 0, rowsPassed: 0, rowsQuarantined: 0 });
  });
});

describe('rows in = rows passed + rows quarantined', () => {
  const value = fc.option(fc.constantFrom('a', 'b', 'c', '0', '1', '5', '9', '10', '-1', 'x', '', ' 3 '), { nil: null });
  const row = fc.tuple(value, value, value);
  const modes = fc.constantFrom('quarantine-rows', 'quarantine-file');
  const datasets = {
    'quarantine-rows': loadDataset(contract({ customProperties: [rowsMode], quality: [{ metric: 'duplicateValues', arguments: { properties: ['qty', 'note'] }, mustBeLessThan: 30, unit: 'percent' }] })),
    'quarantine-file': loadDataset(contract({ quality: [{ metric: 'rowCount', mustBeLessThan: 12 }] })),
  };

  it('holds on random files, and the queries return exactly those rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 15 }), modes, async (data, mode) => {
        const { report, passingRows, quarantinedRows } = await validateRows(datasets[mode], data);
        expect(report.rowCount).toBe(data.length);
        expect(report.rowsPassed + report.rowsQuarantined).toBe(report.rowCount);
        expect(passingRows).toHaveLength(report.rowsPassed);
        expect(quarantinedRows).toHaveLength(report.rowsQuarantined);
        const seen = [...passingRows, ...quarantinedRows].map((found) => found['_row']).sort((a, b) => Number(a) - Number(b));
        expect(seen).toEqual(data.map((_, index) => index + 1));
        if (report.passed) expect(report.rowsQuarantined).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

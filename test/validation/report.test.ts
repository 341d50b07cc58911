import { describe, expect, it } from 'vitest';
import { column, loadDataset } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

describe('the report (a public interface: DESIGN.md "Public interfaces")', () => {
  const dataset = loadDataset({
    version: '2.1.0',
    properties: [column('id', { primaryKey: true }), column('n', { logicalType: 'integer', quality: [{ metric: 'nullValues', mustBeLessThan: 10, unit: 'percent', severity: 'warning' }] })],
    quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
  });

  it('has exactly the promised fields, as JSON', async () => {
    const startedAt = new Date();
    const { report } = await validateRows(dataset, [
      ['a', '1'],
      ['a', null],
    ]);
    const json = JSON.parse(JSON.stringify(report));
    expect(Object.keys(json).sort()).toEqual(
      ['contractId', 'contractVersion', 'dataset', 'durationMs', 'file', 'passed', 'reportVersion', 'rowCount', 'rowsPassed', 'rowsQuarantined', 'rules', 'startedAt'].sort(),
    );
    expect(json).toMatchObject({
      reportVersion: 1,
      dataset: 'shop/items',
      contractId: 'urn:test:shop:items',
      contractVersion: '2.1.0',
      file: 'test.csv',
      passed: false,
      rowCount: 2,
      rowsPassed: 0,
      rowsQuarantined: 2,
    });
    expect(json.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(json.startedAt)).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
    expect(json.durationMs).toBeGreaterThanOrEqual(0);
    for (const rule of json.rules) {
      expect(Object.keys(rule).sort()).toEqual(
        ['column', 'failedCount', 'failedPercent', 'id', 'kind', 'observed', 'passed', 'samples', 'severity', 'status', 'threshold'].sort(),
      );
    }
    expect(json.rules).toEqual([
      { id: 'id.required', kind: 'required', column: 'id', severity: 'error', status: 'passed', passed: true, failedCount: 0, failedPercent: 0, observed: 0, threshold: null, samples: [] },
      {
        id: 'id.unique',
        kind: 'unique',
        column: 'id',
        severity: 'error',
        status: 'failed',
        passed: false,
        failedCount: 2,
        failedPercent: 100,
        observed: 2,
        threshold: null,
        samples: [
          { row: 1, value: 'a' },
          { row: 2, value: 'a' },
        ],
      },
      { id: 'n.type', kind: 'type', column: 'n', severity: 'error', status: 'passed', passed: true, failedCount: 0, failedPercent: 0, observed: 0, threshold: null, samples: [] },
      { id: 'rowCount', kind: 'rowCount', column: null, severity: 'error', status: 'passed', passed: true, failedCount: 0, failedPercent: 0, observed: 2, threshold: { operator: 'mustBeGreaterThan', value: 0, unit: 'rows' }, samples: [] },
      {
        id: 'n.nullValues',
        kind: 'nullValues',
        column: 'n',
        severity: 'warning',
        status: 'failed',
        passed: false,
        failedCount: 1,
        failedPercent: 50,
        observed: 50,
        threshold: { operator: 'mustBeLessThan', value: 10, unit: 'percent' },
        samples: [{ row: 2, value: null }],
      },
    ]);
  });

  it('passes a file that breaks no error rule', async () => {
    const { report } = await validateRows(dataset, [['a', '1']]);
    expect(report).toMatchObject({ passed: true, rowsPassed: 1, rowsQuarantined: 0 });
  });
});

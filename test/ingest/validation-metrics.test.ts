import { afterEach, describe, expect, it, vi } from 'vitest';
import { publishValidationMetrics } from '../../lib/ingest/validation-metrics.ts';
import type { RuleResult, ValidationReport } from '../../lib/validation/report.ts';

function rule(overrides: Partial<RuleResult>): RuleResult {
  return {
    id: 'order_id.unique',
    kind: 'unique',
    column: 'order_id',
    severity: 'error',
    status: overrides.passed === false ? 'failed' : 'passed',
    passed: true,
    failedCount: 0,
    failedPercent: 0,
    observed: 0,
    threshold: null,
    samples: [],
    ...overrides,
  };
}

function report(overrides: Partial<ValidationReport>): ValidationReport {
  return {
    reportVersion: 1,
    dataset: 'sales/orders',
    contractId: 'urn:test',
    contractVersion: '1.0.0',
    file: 's3://landing/sales/orders/a.csv',
    passed: true,
    rowCount: 10,
    rowsPassed: 10,
    rowsQuarantined: 0,
    startedAt: '2026-11-21T06:00:01.000Z',
    durationMs: 120,
    rules: [],
    ...overrides,
  };
}

const scope = { environment: 'prod', dataset: { domain: 'sales', name: 'orders' } };

/** The EMF documents `publishValidationMetrics` writes to stdout. */
function published(validated: ValidationReport): Record<string, any>[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  publishValidationMetrics(validated, scope);
  vi.restoreAllMocks();
  return written.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, any>);
}

afterEach(() => vi.restoreAllMocks());

describe('validation metrics', () => {
  it('emits the file metrics in namespace ContractLakehouse with exactly Environment, Domain and Dataset', () => {
    const [file, ...rest] = published(report({ passed: false, rowCount: 10, rowsPassed: 7, rowsQuarantined: 3, durationMs: 250 }));
    expect(rest).toEqual([]);
    expect(file!['_aws'].CloudWatchMetrics).toEqual([
      {
        Namespace: 'ContractLakehouse',
        Dimensions: [['Environment', 'Domain', 'Dataset']],
        Metrics: [
          { Name: 'FilesValidated', Unit: 'Count' },
          { Name: 'FilesFailed', Unit: 'Count' },
          { Name: 'RowsValidated', Unit: 'Count' },
          { Name: 'RowsQuarantined', Unit: 'Count' },
          { Name: 'ValidationMs', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(file).toMatchObject({ Environment: 'prod', Domain: 'sales', Dataset: 'orders', FilesValidated: 1, FilesFailed: 1, RowsValidated: 10, RowsQuarantined: 3, ValidationMs: 250 });
    expect(file).not.toHaveProperty('service');
  });

  it('publishes nothing per rule for a rule that was not evaluated: it has no failed rows, it was not run', () => {
    const notRun = rule({ id: 'text', kind: 'text', column: null, severity: 'warning', status: 'notEvaluated', passed: false, observed: null });
    expect(published(report({ rules: [notRun] }))).toHaveLength(1);
  });

  it('reports FilesFailed 0 for a passing file, so an alarm on it always has data', () => {
    expect(published(report({ passed: true }))[0]).toMatchObject({ FilesFailed: 0, FilesValidated: 1 });
  });

  it('adds FreshnessLagSeconds when the report measured freshness, and not when it could not', () => {
    const measured = published(report({ rules: [rule({ id: 'freshness', kind: 'freshness', column: null, observed: 3600 })] }))[0]!;
    expect(measured['FreshnessLagSeconds']).toBe(3600);
    expect(measured['_aws'].CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'FreshnessLagSeconds', Unit: 'Seconds' });
    const unmeasured = published(report({ rules: [rule({ id: 'freshness', kind: 'freshness', column: null, observed: null, passed: false })] }))[0]!;
    expect(unmeasured).not.toHaveProperty('FreshnessLagSeconds');
  });

  it('emits RuleFailedRows per failed rule and per rule with failing rows, with the Rule dimension', () => {
    const documents = published(
      report({
        rules: [
          rule({ id: 'order_id.unique', passed: false, failedCount: 2 }),
          rule({ id: 'email_mostly_present', kind: 'nullValues', severity: 'warning', passed: true, failedCount: 1 }),
          rule({ id: 'rowCount', kind: 'rowCount', column: null, passed: false, failedCount: 0 }),
          rule({ id: 'amount.minimum', kind: 'minimum', passed: true, failedCount: 0 }),
        ],
      }),
    );
    const perRule = documents.slice(1);
    expect(perRule.map((document) => document['_aws'].CloudWatchMetrics[0].Dimensions)).toEqual([
      [['Environment', 'Domain', 'Dataset', 'Rule']],
      [['Environment', 'Domain', 'Dataset', 'Rule']],
      [['Environment', 'Domain', 'Dataset', 'Rule']],
    ]);
    expect(perRule.map((document) => [document['Rule'], document['RuleFailedRows']])).toEqual([
      ['order_id.unique', 2],
      ['email_mostly_present', 1],
      ['rowCount', 0],
    ]);
  });

  it('emits RuleObservedValue for every measured missing-value and class-balance rule, passing or not, in the unit of its threshold', () => {
    const percentThreshold = { operator: 'mustBeLessThan', value: 5, unit: 'percent' } as const;
    const documents = published(
      report({
        rules: [
          rule({ id: 'email.missingValues', kind: 'missingValues', column: 'email', passed: true, failedCount: 2, failedPercent: 2, observed: 2, threshold: percentThreshold }),
          rule({ id: 'phone.nullValues', kind: 'nullValues', column: 'phone', passed: true, failedCount: 0, observed: 0 }),
          rule({ id: 'classBalance', kind: 'classBalance', column: null, passed: true, observed: 12.5, threshold: { operator: 'mustBeGreaterOrEqualTo', value: 10, unit: 'percent' } }),
          rule({ id: 'segment.nullValues', kind: 'nullValues', column: 'segment', passed: true, observed: null }),
          rule({ id: 'amount.minimum', kind: 'minimum', column: 'amount', passed: true, failedCount: 0, observed: 0 }),
        ],
      }),
    );
    const perRule = documents.slice(1);
    expect(perRule.map((document) => [document['Rule'], document['RuleObservedValue'], document['RuleFailedRows']])).toEqual([
      ['email.missingValues', 2, 2],
      ['phone.nullValues', 0, undefined],
      ['classBalance', 12.5, undefined],
    ]);
    const units = perRule.map((document) => (document['_aws'].CloudWatchMetrics[0].Metrics as { Name: string; Unit: string }[]).find((metric) => metric.Name === 'RuleObservedValue')!.Unit);
    expect(units).toEqual(['Percent', 'Count', 'Percent']);
    expect(perRule.every((document) => JSON.stringify(document['_aws'].CloudWatchMetrics[0].Dimensions) === JSON.stringify([['Environment', 'Domain', 'Dataset', 'Rule']]))).toBe(true);
  });
});

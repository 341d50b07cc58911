/** The freshness check's pure part: which datasets it watches, the age it measures, the metric it publishes. */
import { describe, expect, it } from 'vitest';
import {
  freshnessTargets,
  lastLoadAgeRequests,
  lastLoadAgeSeconds,
  MAX_METRIC_DATA_PER_CALL,
  parseFreshnessCheckConfig,
} from '../../lib/pipeline/freshness-check.ts';
import { dataset } from '../stacks/fixtures.ts';

const position = { file: 'contracts/sales/orders.yaml', line: 30, column: 5 };
const now = new Date('2026-12-05T12:00:00Z');

describe('the freshness check', () => {
  it('watches only datasets whose contract declares a frequency or a freshness SLA', () => {
    const datasets = [
      dataset('sales', 'orders', { frequency: 3600 }),
      dataset('sales', 'customers'),
      dataset('sales', 'refunds', { freshness: { column: null, maxAge: 7200, position } }),
    ];
    expect(freshnessTargets(datasets, (each) => `machine-${each.name}`)).toEqual([
      { domain: 'sales', dataset: 'orders', stateMachineName: 'machine-orders' },
      { domain: 'sales', dataset: 'refunds', stateMachineName: 'machine-refunds' },
    ]);
  });

  it('measures from the last successful load, or from the pipeline creation for a dataset never loaded, never below 0', () => {
    expect(lastLoadAgeSeconds(now, { lastLoadedAt: new Date('2026-12-05T11:00:00.900Z') })).toBe(3599);
    expect(lastLoadAgeSeconds(now, { pipelineCreatedAt: new Date('2026-12-01T12:00:00Z') })).toBe(4 * 86_400);
    expect(lastLoadAgeSeconds(now, { lastLoadedAt: new Date('2026-12-05T12:00:05Z') })).toBe(0);
  });

  it("publishes LastLoadAgeSeconds with the validator's dimensions, at most 1,000 data per PutMetricData call", () => {
    const target = (index: number) => ({ domain: 'sales', dataset: `d${index}`, stateMachineName: `m${index}` });
    const ages = Array.from({ length: MAX_METRIC_DATA_PER_CALL + 1 }, (_, index) => ({ target: target(index), seconds: index }));
    const requests = lastLoadAgeRequests('dev', ages, now);
    expect(requests.map((request) => [request.Namespace, request.MetricData.length])).toEqual([
      ['ContractLakehouse', MAX_METRIC_DATA_PER_CALL],
      ['ContractLakehouse', 1],
    ]);
    expect(requests[1]!.MetricData[0]).toEqual({
      MetricName: 'LastLoadAgeSeconds',
      Dimensions: [
        { Name: 'Environment', Value: 'dev' },
        { Name: 'Domain', Value: 'sales' },
        { Name: 'Dataset', Value: `d${MAX_METRIC_DATA_PER_CALL}` },
      ],
      Timestamp: now,
      Value: MAX_METRIC_DATA_PER_CALL,
      Unit: 'Seconds',
    });
    expect(lastLoadAgeRequests('dev', [], now)).toEqual([]);
  });

  it('refuses a bundled configuration that is not its shape', () => {
    const config = { environment: 'dev', targets: [{ domain: 'sales', dataset: 'orders', stateMachineName: 'm' }] };
    expect(parseFreshnessCheckConfig(JSON.stringify(config))).toEqual(config);
    expect(() => parseFreshnessCheckConfig(JSON.stringify({ environment: 'dev', targets: [{ domain: 'sales' }] }))).toThrow(/not \{ environment, targets/);
    expect(() => parseFreshnessCheckConfig('null')).toThrow(/not \{ environment, targets/);
  });
});

import { describe, expect, it } from 'vitest';
import { freshnessAlarmThresholdSeconds, freshnessThresholdSeconds } from '../../lib/pipeline/freshness-threshold.ts';

const position = { file: 'contracts/sales/orders.yaml', line: 40, column: 5 };

describe('the freshness threshold of a dataset', () => {
  it('is its delivery frequency when declared, even beside a freshness maxAge', () => {
    expect(freshnessThresholdSeconds({ frequency: 3600, freshness: { column: null, maxAge: 86_400, position } })).toBe(3600);
  });

  it('is its freshness maxAge without a frequency', () => {
    expect(freshnessThresholdSeconds({ freshness: { column: 'ordered_at', maxAge: 86_400, position } })).toBe(86_400);
  });

  it('is undefined when the contract declares neither', () => {
    expect(freshnessThresholdSeconds({})).toBeUndefined();
  });

  it("plus the grace is where the freshness alarm fires, and there is none without an SLA", () => {
    expect(freshnessAlarmThresholdSeconds({ frequency: 3600, freshness: { column: null, maxAge: 86_400, position } }, 900)).toBe(4500);
    expect(freshnessAlarmThresholdSeconds({}, 900)).toBeUndefined();
  });
});

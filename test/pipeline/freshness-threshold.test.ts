import { describe, expect, it } from 'vitest';
import { freshnessAlarmThresholdSeconds, freshnessThresholdSeconds, MAX_MEASURABLE_FRESHNESS_SECONDS } from '../../lib/pipeline/freshness-threshold.ts';

const position = { file: 'contracts/sales/orders.yaml', line: 40, column: 5 };
const names = { ref: 'sales/orders', table: 'orders_v1', landingPrefix: 'sales/orders/' };

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
    expect(freshnessAlarmThresholdSeconds({ names, frequency: 3600, freshness: { column: null, maxAge: 86_400, position } }, 900)).toBe(4500);
    expect(freshnessAlarmThresholdSeconds({ names }, 900)).toBeUndefined();
  });

  it('is refused, naming where the deciding SLA is written, when the freshness check cannot measure it: over 80 days with the grace', () => {
    const day = 86_400;
    const frequencyPosition = { file: 'contracts/sales/orders.yaml', line: 44, column: 5 };
    // Exactly 80 days with the grace is measurable.
    expect(freshnessAlarmThresholdSeconds({ names, frequency: MAX_MEASURABLE_FRESHNESS_SECONDS - 900, frequencyPosition }, 900)).toBe(80 * day);
    expect(() => freshnessAlarmThresholdSeconds({ names, frequency: 80 * day, frequencyPosition, freshness: { column: null, maxAge: day, position } }, 900)).toThrow(
      /^contracts\/sales\/orders\.yaml:44:5: dataset 'sales\/orders': its frequency \(6912000 s\) plus freshnessGraceSeconds \(900 s\) is 6912900 s, more than .*90 days/,
    );
    expect(() => freshnessAlarmThresholdSeconds({ names, freshness: { column: null, maxAge: 81 * day, position } }, 0)).toThrow(/^contracts\/sales\/orders\.yaml:40:5: dataset 'sales\/orders': its freshness maxAge/);
  });
});

import { describe, expect, it } from 'vitest';
import { problemsIn, salesOrdersContract, yaml } from './helpers/contract-tree.ts';

/** A contract with one dataset of `columns` (name: logicalType) and a freshness SLA without element (line 20 with two columns). */
function withFreshness(columns: Readonly<Record<string, string>>): Record<string, string> {
  const properties = Object.entries(columns)
    .map(([name, logicalType]) => `      - name: ${name}\n        logicalType: ${logicalType}`)
    .join('\n');
  return salesOrdersContract(
    properties,
    yaml`
      slaProperties:
        - property: freshness
          value: 1
          unit: d
    `,
  );
}

describe('freshness without a column in element', () => {
  it('is refused when the dataset has no date or timestamp column', () => {
    expect(problemsIn(withFreshness({ order_id: 'string', amount: 'number' }))).toEqual([
      "sales/orders.yaml:20:5: slaProperties[0]: freshness is measured on a timestamp or date column, and dataset 'orders' has none: add one, or remove this entry",
    ]);
  });

  it('is refused when no one column is implied, listing every date and timestamp column as an element', () => {
    expect(problemsIn(withFreshness({ ordered_on: 'date', shipped_on: 'date' }))).toEqual([
      "sales/orders.yaml:20:5: slaProperties[0]: freshness needs the column it is measured on: dataset 'orders' has several timestamp or date columns, so set element to one of orders.ordered_on, orders.shipped_on",
    ]);
    expect(problemsIn(withFreshness({ ordered_on: 'date', placed_at: 'timestamp', paid_at: 'timestamp' }))[0]).toMatch(
      /set element to one of orders\.ordered_on, orders\.placed_at, orders\.paid_at$/,
    );
  });

  it('takes the only timestamp column, else the only date column', () => {
    expect(problemsIn(withFreshness({ ordered_on: 'date', shipped_on: 'date', placed_at: 'timestamp' }))).toEqual([]);
    expect(problemsIn(withFreshness({ order_id: 'string', ordered_on: 'date' }))).toEqual([]);
  });
});

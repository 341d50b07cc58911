import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { problemsIn, salesOrdersContract, writeTree, yaml } from './helpers/contract-tree.ts';

/**
 * An SLA entry whose element lists several entries, separated by commas as ODCS writes them
 * (`orders.placed_at, refunds.refunded_at`): each dataset named is held to the entry, freshness
 * measured on the column named for it; one dataset named twice is refused, since freshness is
 * measured on one column and the contract does not say how several would combine.
 */

/** Two datasets, `orders` and `refunds`; the entries of `slaProperties` from line 25. */
function contract(slaProperties: string): Record<string, string> {
  return salesOrdersContract(
    ['      - name: created_at', '        logicalType: timestamp', '      - name: updated_at', '        logicalType: timestamp'].join('\n'),
    yaml`
        - name: refunds
          properties:
            - name: refunded_at
              physicalName: REFUNDED_AT
              logicalType: timestamp
      slaProperties:
    ` + slaProperties,
  );
}

function entry(property: string, element: string, value = '2', unit = 'd'): string {
  return `  - property: ${property}\n    value: ${value}\n    unit: ${unit}\n    element: ${element}\n`;
}

describe('an SLA element listing several entries', () => {
  it('holds each dataset named to the entry, freshness on the column named for it', () => {
    const files = contract(entry('freshness', 'orders.updated_at, refunds.REFUNDED_AT') + entry('retention', 'orders,refunds', '3', 'y'));
    expect(problemsIn(files)).toEqual([]);
    const datasets = loadCatalog(writeTree(files)).domains[0]!.datasets;
    expect(datasets.map(({ name, freshness, retentionDays }) => ({ name, column: freshness?.column, maxAge: freshness?.maxAge, retentionDays }))).toEqual([
      { name: 'orders', column: 'updated_at', maxAge: 172_800, retentionDays: expect.any(Number) },
      { name: 'refunds', column: 'refunded_at', maxAge: 172_800, retentionDays: expect.any(Number) },
    ]);
    expect(datasets[0]!.retentionDays).toBe(datasets[1]!.retentionDays);
  });

  it('measures a dataset named without a column on its implied column, as an element naming no column', () => {
    const datasets = loadCatalog(writeTree(contract(entry('latency', 'orders.created_at, refunds')))).domains[0]!.datasets;
    // null: the validator measures its only timestamp column (freshness-column.ts).
    expect(datasets.map((dataset) => dataset.freshness?.column)).toEqual(['created_at', null]);
    expect(problemsIn(contract(entry('latency', 'orders.created_at, orders')))).toContainEqual(
      expect.stringContaining("latency is measured on one column per dataset, and this element names several of dataset 'orders' (created_at, (no column))"),
    );
  });

  it('refuses several columns of one dataset, naming them', () => {
    expect(problemsIn(contract(entry('freshness', 'orders.created_at, orders.updated_at')))).toEqual([
      "sales/orders.yaml:28:14: slaProperties[0].element: freshness is measured on one column per dataset, and this element names several of dataset 'orders' (created_at, updated_at): keep one",
    ]);
  });

  it('refuses a dataset named twice, and checks every entry', () => {
    expect(problemsIn(contract(entry('retention', 'orders, orders') + entry('freshness', 'orders.created_at, refunds.refund_at')))).toEqual([
      "sales/orders.yaml:28:14: slaProperties[0].element: this element names dataset 'orders' 2 times: name it once",
      "sales/orders.yaml:32:14: slaProperties[1].element: dataset 'refunds' has no column 'refund_at'; did you mean 'refunded_at'?",
    ]);
  });
});

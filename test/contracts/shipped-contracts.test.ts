import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../lib/contracts/load.ts';
import { formatProblem } from '../../lib/contracts/problems.ts';

/** The example contracts in `contracts/` are what users copy first: they must load cleanly. */
describe('shipped contracts', () => {
  const result = checkCatalog('contracts');

  it('load without a single problem', () => {
    expect(result.problems.map(formatProblem)).toEqual([]);
  });

  it('define the sales and marketing domains and their datasets', () => {
    const refs = result.catalog!.domains.map((domain) => [domain.name, domain.datasets.map((dataset) => dataset.names.ref)]);
    expect(refs).toEqual([
      ['marketing', ['marketing/campaigns', 'marketing/web_events']],
      ['sales', ['sales/customers', 'sales/order_items', 'sales/orders']],
    ]);
  });

  it('keep every dataset in a contract file of its own domain folder, with relative paths', () => {
    for (const domain of result.catalog!.domains) {
      expect(domain.file).toBe(`contracts/${domain.name}/domain.yaml`);
      for (const dataset of domain.datasets) {
        expect(dataset.contract.file.startsWith(`contracts/${domain.name}/`)).toBe(true);
        expect(dataset.position.file).toBe(dataset.contract.file);
      }
    }
  });

  it('resolve their cross-file and cross-domain relationships', () => {
    const references = result.catalog!.domains.flatMap((domain) =>
      domain.datasets.flatMap((dataset) =>
        dataset.columns.flatMap((column) => column.references.map((target) => `${dataset.names.ref}.${column.name} -> ${target.dataset}.${target.column}`)),
      ),
    );
    expect(references).toContain('marketing/web_events.customer_id -> sales/customers.customer_id');
    expect(references).toContain('sales/orders.customer_id -> sales/customers.customer_id');
  });
});

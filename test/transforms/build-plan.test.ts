import { describe, expect, it } from 'vitest';
import { ContractError } from '../../lib/contracts/problems.ts';
import { buildPlan, MAX_STATE_NAME_LENGTH } from '../../lib/transforms/build-plan.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { Placement } from '../../lib/transforms/render.ts';
import { catalogWith, modelFile } from './helpers.ts';

const placement: Placement = { database: (domain) => `acme_dev_${domain}` };

async function compiled(models: Readonly<Record<string, string>>) {
  const dag = compileTransforms(catalogWith(models));
  return { dag, columns: await inferModelColumns(dag) };
}

describe('buildPlan', () => {
  it('layers the domain models by dependency and starts them from every input outside the domain models', async () => {
    const { dag, columns } = await compiled({
      'sales/by_status': modelFile('materialized: table', "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status"),
      'sales/by_customer': modelFile('materialized: table', "SELECT customer_id, count(*) AS n FROM {{ ref('orders') }} GROUP BY customer_id"),
      'sales/top_status': modelFile('materialized: view', "SELECT b.status FROM {{ ref('by_status') }} AS b JOIN {{ ref('customers') }} AS c ON true"),
      'marketing/order_mix': modelFile('materialized: table', "SELECT o.status FROM {{ ref('sales/orders') }} AS o JOIN {{ ref('web_events') }} AS e ON true"),
    });
    const sales = buildPlan(dag, columns, 'sales', placement);
    expect(sales.layers.map((layer) => layer.map((build) => build.model.id).sort())).toEqual([['sales/by_customer', 'sales/by_status'], ['sales/top_status']]);
    const top = sales.layers[1]![0]!;
    expect(top.upstream).toEqual(['sales__by_status']);
    expect(top.triggers).toEqual(['sales/customers', 'sales/orders']);
    expect(sales.inputs).toEqual(['sales/customers', 'sales/orders']);

    const marketing = buildPlan(dag, columns, 'marketing', placement);
    expect(marketing.inputs).toEqual(['marketing/web_events', 'sales/orders']);
    expect(marketing.reads.map((target) => `${target.domain}.${target.table}`)).toEqual(['marketing.web_events', 'sales.orders']);
    expect(marketing.layers[0]![0]!.upstream).toEqual([]);
  });

  it('lists each test with the field its failures are kept in and its severity', async () => {
    const { dag, columns } = await compiled({
      'sales/by_status': modelFile(
        'materialized: table\ncolumns:\n  - name: status\n    tests: [not_null, {unique: {severity: warn}}]',
        "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status",
      ),
    });
    const [build] = buildPlan(dag, columns, 'sales', placement).layers[0]!;
    expect(build!.tests.map((test) => [test.step, test.severity])).toEqual([
      ['sales-by_status-test-status_not_null', 'error'],
      ['sales-by_status-test-status_unique', 'warning'],
    ]);
    expect(new Set(build!.tests.map((test) => test.field)).size).toBe(2);
    for (const test of build!.tests) expect(test.field).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('is empty for a domain without models', async () => {
    const { dag, columns } = await compiled({});
    expect(buildPlan(dag, columns, 'sales', placement)).toMatchObject({ layers: [], inputs: [], reads: [] });
  });

  it('refuses models whose columns were not inferred', async () => {
    const { dag } = await compiled({ 'sales/by_status': modelFile('materialized: table', "SELECT status FROM {{ ref('orders') }}") });
    expect(() => buildPlan(dag, new Map(), 'sales', placement)).toThrow(/'sales\/by_status' has no inferred columns/);
  });

  it('refuses a state name over the Step Functions limit, at the model file', async () => {
    const name = `m${'x'.repeat(MAX_STATE_NAME_LENGTH)}`;
    const { dag, columns } = await compiled({ [`sales/${name}`]: modelFile('materialized: view', "SELECT status FROM {{ ref('orders') }}") });
    const refused = (() => {
      try {
        buildPlan(dag, columns, 'sales', placement);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ContractError);
    expect((refused as ContractError).problems[0]!.file).toMatch(new RegExp(`${name}\\.sql$`));
    expect((refused as ContractError).message).toMatch(/over Step Functions' 80 characters/);
  });

  it('refuses a domain whose build would outgrow one execution history', async () => {
    const tests = Array.from({ length: 50 }, (_, i) => `  - name: t${i}\n    sql: SELECT * FROM {{ this }} WHERE n < ${i}`).join('\n');
    const models = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`sales/m${i}`, modelFile(`materialized: table\ntests:\n${tests}`, "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status")]),
    );
    const { dag, columns } = await compiled(models);
    expect(() => buildPlan(dag, columns, 'sales', placement)).toThrow(/history events per run, over Step Functions' 25000/);
  });
});

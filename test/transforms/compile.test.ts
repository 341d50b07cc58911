import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../lib/contracts/problems.ts';
import { checkTransforms, compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { catalogWith, modelFile, repoContracts } from './helpers.ts';

function problemsOf(models: Record<string, string>): string[] {
  return checkTransforms(catalogWith(models)).problems.map((problem) => formatProblem(problem).replace(/^.*\/(\w+\/transforms\/)/, '$1'));
}

describe('compileTransforms', () => {
  it('resolves refs to datasets, models and shared datasets of other domains into one ordered DAG', () => {
    const dag = compileTransforms(
      catalogWith({
        'sales/paid_orders': modelFile('materialized: table', "SELECT * FROM {{ ref('orders') }} WHERE status = 'paid'"),
        'sales/paid_totals': modelFile('materialized: table', "SELECT currency, sum(amount) AS total FROM {{ ref('paid_orders') }} GROUP BY currency"),
        'marketing/buyers': modelFile('', "SELECT customer_id FROM {{ ref('sales/customers') }}"),
      }),
    );
    expect(dag.order.indexOf('sales/paid_orders')).toBeLessThan(dag.order.indexOf('sales/paid_totals'));
    expect(dag.edges).toEqual(
      expect.arrayContaining([
        { from: 'sales/orders', to: 'sales/paid_orders' },
        { from: 'sales/paid_orders', to: 'sales/paid_totals' },
        { from: 'sales/customers', to: 'marketing/buyers' },
      ]),
    );
    const buyers = dag.models.find((model) => model.id === 'marketing/buyers')!;
    expect(buyers.materialized).toBe('view');
    expect(buyers.resolved.get('sales/customers')).toMatchObject({ kind: 'dataset', domain: 'sales', table: 'customers_v2' });
    expect(dag.models.find((model) => model.id === 'sales/paid_totals')!.upstream).toEqual(['sales/paid_orders']);
  });

  it('compiles the shipped example models', () => {
    const dag = compileTransforms(loadCatalog(repoContracts));
    expect([...new Set(dag.models.map((model) => model.materialized))].sort()).toEqual(['incremental', 'table', 'view']);
  });

  it('names the file, line and column of an unknown ref, with a did-you-mean', () => {
    expect(problemsOf({ 'sales/x': modelFile('materialized: table', "SELECT *\nFROM {{ ref('order') }}") })).toEqual([
      "sales/transforms/x.sql:5:9: ref('order'): no model or dataset 'order' in domain 'sales'; did you mean 'orders'?",
    ]);
  });

  it('refuses a ref to a dataset another domain does not share', () => {
    expect(problemsOf({ 'sales/x': modelFile('', "SELECT * FROM {{ ref('marketing/web_events') }}") })).toEqual([
      expect.stringMatching(/^sales\/transforms\/x\.sql:4:18: ref\('marketing\/web_events'\): domain 'marketing' does not share 'web_events' \(add it to shares in .*marketing\/domain\.yaml/),
    ]);
  });

  it('reports a cycle with its path at the ref that closes it', () => {
    expect(
      problemsOf({
        'sales/a': modelFile('materialized: table', "SELECT * FROM {{ ref('b') }}"),
        'sales/b': modelFile('materialized: table', "SELECT * FROM\n  {{ ref('a') }}"),
      }),
    ).toEqual(['sales/transforms/b.sql:5:6: models form a cycle: sales/a -> sales/b -> sales/a']);
  });

  it('checks front matter keys and values with did-you-mean', () => {
    expect(
      problemsOf({
        'sales/x': modelFile('materialised: table\nmaterialized: incremental\ncolumns:\n  - name: a\n    tests: [not_nul]', "SELECT 1 AS a FROM {{ ref('orders') }}"),
      }),
    ).toEqual([
      "sales/transforms/x.sql:2:1: unknown front matter key 'materialised'; did you mean 'materialized'?",
      'sales/transforms/x.sql:3:15: an incremental model needs unique_key: the columns its MERGE matches on',
      "sales/transforms/x.sql:6:13: unknown test 'not_nul'; did you mean 'not_null'?",
    ]);
  });

  it('reports an unclosed front matter and a model named like a dataset', () => {
    expect(problemsOf({ 'sales/x': '---\nmaterialized: table\nSELECT 1' })).toEqual(['sales/transforms/x.sql:1:1: front matter opened with --- is never closed by a --- line']);
    expect(problemsOf({ 'sales/orders': modelFile('', 'SELECT 1 AS a') })[0]).toMatch(/sales\/transforms\/orders\.sql:1:1: model 'sales\/orders' has the name of dataset 'sales\/orders'/);
  });
});

describe('inferModelColumns', () => {
  it('types model columns by DuckDB over empty tables typed from the contracts and upstream models', async () => {
    const dag = compileTransforms(
      catalogWith({
        'sales/totals': modelFile('materialized: table', "SELECT order_date, sum(amount) AS total, count(*) AS n FROM {{ ref('orders') }} GROUP BY order_date"),
        'sales/best_day': modelFile('materialized: table', "SELECT max(total) AS best FROM {{ ref('totals') }}"),
      }),
    );
    const columns = await inferModelColumns(dag);
    expect(columns.get('sales/totals')).toEqual([
      { name: 'order_date', type: 'DATE' },
      { name: 'total', type: 'DECIMAL(38,2)' },
      { name: 'n', type: 'BIGINT' },
    ]);
    expect(columns.get('sales/best_day')).toEqual([{ name: 'best', type: 'DECIMAL(38,2)' }]);
  });

  it('refuses a view that reads a sensitive column, even renamed or through *', async () => {
    const dag = compileTransforms(
      catalogWith({
        'sales/contacts': modelFile('materialized: view', "SELECT customer_id, lower(email) AS contact FROM {{ ref('customers') }}"),
        'sales/everything': modelFile('materialized: view', "SELECT * FROM {{ ref('customers') }}"),
        'sales/countries': modelFile('materialized: view', "SELECT country_code, count(*) AS n FROM {{ ref('customers') }} GROUP BY country_code"),
      }),
    );
    const error = await inferModelColumns(dag).then(() => undefined, (caught: Error) => caught);
    expect(error?.message).toMatch(/contacts\.sql:4:1: view model 'sales\/contacts' reads sensitive column sales\/customers\.email: a view cannot hide PII/);
    expect(error?.message).toMatch(/everything\.sql:4:1: view model 'sales\/everything' reads sensitive columns sales\/customers\.email \(through \*\), sales\/customers\.full_name \(through \*\)/);
    expect(error?.message).not.toMatch(/countries/);
  });

  it('reports SQL the engine rejects and tests on unknown columns at their lines', async () => {
    const dag = compileTransforms(
      catalogWith({
        'sales/bad_sql': modelFile('materialized: table', "SELECT no_such_column FROM {{ ref('orders') }}"),
        'sales/bad_test': modelFile('materialized: table\ncolumns:\n  - name: missing\n    tests: [not_null]', "SELECT order_id FROM {{ ref('orders') }}"),
      }),
    );
    const message = await inferModelColumns(dag).then(() => '', (caught: Error) => caught.message);
    expect(message).toMatch(/bad_sql\.sql:4:1: model 'sales\/bad_sql' does not run on DuckDB: .*no_such_column/);
    expect(message).toMatch(/bad_test\.sql:5:13: test missing\.not_null: 'missing' is not a column of model 'sales\/bad_test' \(it has order_id\)/);
  });

  it('reports a template nunjucks cannot parse when the models compile, before anything renders', () => {
    const catalog = catalogWith({ 'sales/bad_template': modelFile('materialized: table', "SELECT order_id\nFROM {{ ref('orders') }} {% if is_incremental() %}") });
    expect(() => compileTransforms(catalog)).toThrow(/bad_template\.sql:\d+:\d+: template error: .*endif/);
  });
});

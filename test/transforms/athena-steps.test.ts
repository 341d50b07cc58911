import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';
import { describe, expect, it } from 'vitest';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { modelSteps } from '../../lib/transforms/model-steps.ts';
import { renderModel, type Placement } from '../../lib/transforms/render.ts';
import { catalogWith, modelFile } from './helpers.ts';

const trino = new TrinoSQL();
const placement: Placement = { database: (domain) => `acme_prod_${domain}` };

const dag = compileTransforms(
  catalogWith({
    'sales/daily': modelFile(
      'materialized: incremental\nunique_key: order_date\ncolumns:\n  - name: order_date\n    tests: [not_null]',
      "SELECT order_date, count(*) AS n FROM {{ ref('orders') }}{% if is_incremental() %} WHERE order_date > (SELECT max(order_date) FROM {{ this }}){% endif %} GROUP BY order_date",
    ),
    'sales/totals': modelFile("materialized: table\ncolumns:\n  - name: status\n    tests:\n      - relationships:\n          to: \"ref('daily')\"\n          field: order_date", "SELECT status FROM {{ ref('orders') }}{% if target.type == 'athena' %} TABLESAMPLE BERNOULLI (10){% endif %}"),
    'marketing/by_country': modelFile('materialized: view', "SELECT country_code FROM {{ ref('sales/customers') }}"),
  }),
);
const model = (id: string) => dag.models.find((candidate) => candidate.id === id)!;

describe('Athena rendering', () => {
  it('renders refs, this and is_incremental() per dialect from one source', () => {
    expect(renderModel(model('sales/daily'), { dialect: 'athena', placement, incremental: false })).toBe(
      'SELECT order_date, count(*) AS n FROM "acme_prod_sales"."orders" GROUP BY order_date',
    );
    expect(renderModel(model('sales/daily'), { dialect: 'athena', placement, incremental: true })).toBe(
      'SELECT order_date, count(*) AS n FROM "acme_prod_sales"."orders" WHERE order_date > (SELECT max(order_date) FROM "acme_prod_sales"."daily") GROUP BY order_date',
    );
    expect(renderModel(model('sales/totals'), { dialect: 'duckdb', placement, incremental: false })).toBe('SELECT status FROM "acme_prod_sales"."orders"');
  });

  it('stages, tests and MERGEs an incremental model on its unique key', () => {
    expect(modelSteps(model('sales/daily'), ['order_date', 'n'], placement).map((step) => [step.name, step.role, step.athena])).toEqual([
      ['sales-daily-clear-staging', 'stage', 'DELETE FROM "acme_prod_sales"."daily__staging"'],
      [
        'sales-daily-stage',
        'stage',
        'INSERT INTO "acme_prod_sales"."daily__staging" ("order_date", "n")\nSELECT "order_date", "n" FROM (\n' +
          'SELECT order_date, count(*) AS n FROM "acme_prod_sales"."orders" WHERE order_date > (SELECT max(order_date) FROM "acme_prod_sales"."daily") GROUP BY order_date\n) AS model',
      ],
      ['sales-daily-test-order_date_not_null', 'test', 'SELECT count(*) AS failures FROM (\nSELECT * FROM "acme_prod_sales"."daily__staging" WHERE "order_date" IS NULL\n) AS failing'],
      [
        'sales-daily-publish',
        'publish',
        'MERGE INTO "acme_prod_sales"."daily" AS t USING "acme_prod_sales"."daily__staging" AS s ON t."order_date" = s."order_date"\n' +
          'WHEN MATCHED THEN UPDATE SET "n" = s."n"\n' +
          'WHEN NOT MATCHED THEN INSERT ("order_date", "n") VALUES (s."order_date", s."n")',
      ],
    ]);
  });

  it('publishes a table model from its staging table into the owned table in ONE statement, never by CTAS', () => {
    const steps = modelSteps(model('sales/totals'), ['status'], placement);
    expect(steps.map((step) => step.name)).toEqual(['sales-totals-clear-staging', 'sales-totals-stage', 'sales-totals-test-status_relationships', 'sales-totals-publish']);
    expect(steps[1]!.athena).toContain('TABLESAMPLE BERNOULLI (10)');
    expect(steps[1]!.duckdb).not.toContain('TABLESAMPLE');
    expect(steps[2]!.test!.failingRows.athena).toBe(
      'SELECT * FROM "acme_prod_sales"."totals__staging" AS child WHERE child."status" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "acme_prod_sales"."daily" AS parent WHERE parent."order_date" = child."status")',
    );
    const replace = (target: string) =>
      `MERGE INTO ${target} AS t USING (\n` +
      'SELECT "status", CAST(NULL AS BOOLEAN) AS "__replaces" FROM "acme_prod_sales"."totals__staging"\n' +
      'UNION ALL SELECT NULL, true\n' +
      'UNION ALL SELECT NULL, false\n' +
      ') AS s ON (t."status" IS NULL) = s."__replaces"\n' +
      'WHEN MATCHED THEN DELETE\n' +
      'WHEN NOT MATCHED AND s."__replaces" IS NULL THEN INSERT ("status") VALUES (s."status")';
    expect(steps[3]!.athena).toBe(replace('"acme_prod_sales"."totals"'));
    expect(steps[3]!.duckdb).toBe(replace('{{target}}'));
    expect(steps.some((step) => /CREATE TABLE|AS SELECT/i.test(step.athena))).toBe(false);
  });

  it('publishes every table and incremental model with exactly one statement in Trino\'s grammar: one Iceberg commit', () => {
    for (const [id, columns] of [['sales/totals', ['status']], ['sales/daily', ['order_date', 'n']]] as const) {
      const publish = modelSteps(model(id), columns, placement).filter((step) => step.role === 'publish');
      expect(publish, id).toHaveLength(1);
      const [statement] = trino.splitSQLByStatement(publish[0]!.athena) ?? [];
      expect(trino.validate(publish[0]!.athena), id).toEqual([]);
      expect(statement?.text, id).toBe(publish[0]!.athena);
      expect(publish[0]!.athena, id).toMatch(/^MERGE INTO /);
    }
  });

  it('names the delete marker so that it never takes a column of the model', () => {
    const [publish] = modelSteps(model('sales/totals'), ['__replaces', '___REPLACES'], placement).filter((step) => step.role === 'publish');
    expect(publish!.athena).toContain('CAST(NULL AS BOOLEAN) AS "____replaces"');
    expect(publish!.athena).toContain('INSERT ("__replaces", "___REPLACES") VALUES (s."__replaces", s."___REPLACES")');
  });

  it('creates or replaces a view model, reading another domain through its shared table', () => {
    const steps = modelSteps(model('marketing/by_country'), ['country_code'], placement);
    expect(steps.map((step) => step.athena)).toEqual([
      'CREATE OR REPLACE VIEW "acme_prod_marketing"."by_country__staging" AS\nSELECT country_code FROM "acme_prod_sales"."customers_v2"',
      'CREATE OR REPLACE VIEW "acme_prod_marketing"."by_country" AS\nSELECT country_code FROM "acme_prod_sales"."customers_v2"',
    ]);
  });
});

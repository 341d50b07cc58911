import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { athena } from '../../lib/sql/athena.ts';
import {
  domainMaintainedTables,
  domainSilverTables,
  findMaintenanceStep,
  MAINTENANCE_STATES,
  maintenanceItem,
  maintenanceSteps,
  retentionPredicate,
} from '../../lib/pipeline/maintenance-steps.ts';
import { dataset, domain } from './fixtures.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const orders = { database: 'acme_dev_sales', table: 'orders', retentionDays: 30 };
const customers = { database: 'acme_dev_sales', table: 'customers' };

describe('maintenanceSteps', () => {
  it('deletes expired rows, then compacts, then vacuums, in Athena SQL', () => {
    expect(maintenanceSteps(orders).map((step) => [step.task, step.athena])).toEqual([
      ['ApplyRetention', `DELETE FROM "acme_dev_sales"."orders" WHERE "ingest_date" < current_date - INTERVAL '30' DAY`],
      ['Optimize', 'OPTIMIZE acme_dev_sales.orders REWRITE DATA USING BIN_PACK'],
      ['Vacuum', 'VACUUM acme_dev_sales.orders'],
    ]);
  });

  it('keeps rows of a table without retention', () => {
    expect(maintenanceSteps(customers).map((step) => step.task)).toEqual(['Optimize', 'Vacuum']);
  });

  it('says what the offline lake does instead of each statement', () => {
    expect(maintenanceSteps(orders).map((step) => step.offline)).toEqual([
      { kind: 'delete', predicate: `"ingest_date" < current_date - INTERVAL '30' DAY` },
      { kind: 'compact' },
      { kind: 'expire-snapshots', maxSnapshotAgeSeconds: 432_000, minSnapshotsToKeep: 1 },
    ]);
  });

  it('quotes a reserved word in every statement: backticks in OPTIMIZE and VACUUM, double quotes in DELETE', () => {
    expect(maintenanceSteps({ database: 'acme_dev_shop', table: 'order', retentionDays: 7 }).map((step) => step.athena)).toEqual([
      `DELETE FROM "acme_dev_shop"."order" WHERE "ingest_date" < current_date - INTERVAL '7' DAY`,
      'OPTIMIZE acme_dev_shop.`order` REWRITE DATA USING BIN_PACK',
      'VACUUM acme_dev_shop.`order`',
    ]);
  });

  it('leaves a plain name bare in OPTIMIZE and VACUUM and escapes any other, whatever its case', () => {
    for (const [table, quoted] of [['orders_v2', 'orders_v2'], ['values', '`values`'], ['Select', '`Select`'], ['2024_sales', '`2024_sales`'], ['a`b', '`a``b`']]) {
      expect(maintenanceSteps({ database: 'acme_dev_shop', table: table! }).map((step) => step.athena)).toEqual([
        `OPTIMIZE acme_dev_shop.${quoted} REWRITE DATA USING BIN_PACK`,
        `VACUUM acme_dev_shop.${quoted}`,
      ]);
    }
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a retention of %s days', (days) => {
    expect(() => retentionPredicate(athena, days)).toThrow(/whole number of days of at least 1/);
  });
});

describe('retentionPredicate on DuckDB', () => {
  it('keeps the last n days of ingest dates and removes the older ones', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      await connection.run(
        `CREATE TABLE t AS SELECT * FROM (VALUES (current_date - 31), (current_date - 30), (current_date - 29), (current_date)) v(ingest_date)`,
      );
      const kept = (await connection.runAndReadAll(`SELECT count(*) AS n FROM t WHERE NOT (${retentionPredicate(duckdb, 30)})`)).getRowObjectsJS();
      expect(kept).toEqual([{ n: 3n }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('the domain table list', () => {
  it("lists every dataset's silver table with its contract retention", () => {
    const sales = domain('sales', [dataset('sales', 'orders', { retentionDays: 30 }), dataset('sales', 'customers')]);
    expect(domainSilverTables(identity, sales)).toEqual([orders, customers]);
  });

  it("adds the gold tables its models own, each ML model's predictions table and the domain's ml_runs, none of them with a retention", () => {
    const sales = domain('sales', [dataset('sales', 'orders', { retentionDays: 30 }), dataset('sales', 'customers')]);
    expect(domainMaintainedTables(identity, sales, { modelTables: ['daily_revenue', 'daily_revenue__staging'], mlModels: ['churn', 'upsell'] })).toEqual([
      orders,
      customers,
      { database: 'acme_dev_sales', table: 'daily_revenue' },
      { database: 'acme_dev_sales', table: 'daily_revenue__staging' },
      { database: 'acme_dev_sales', table: 'churn_predictions' },
      { database: 'acme_dev_sales', table: 'upsell_predictions' },
      { database: 'acme_dev_sales', table: 'ml_runs' },
    ]);
  });

  it('has no ml_runs table to maintain in a domain without ML models', () => {
    const sales = domain('sales', [dataset('sales', 'customers')]);
    expect(domainMaintainedTables(identity, sales, { modelTables: [], mlModels: [] })).toEqual([customers]);
  });

  it('puts into each Map item the exact query each Task runs', () => {
    expect(maintenanceItem(orders)).toEqual({
      table: 'acme_dev_sales.orders',
      applyRetention: maintenanceSteps(orders)[0]!.athena,
      optimize: 'OPTIMIZE acme_dev_sales.orders REWRITE DATA USING BIN_PACK',
      vacuum: 'VACUUM acme_dev_sales.orders',
    });
    expect(maintenanceItem(customers)).not.toHaveProperty('applyRetention');
  });

  it('finds the step a Task runs from its state name and query string', () => {
    const tables = [orders, customers];
    expect(findMaintenanceStep(tables, MAINTENANCE_STATES.vacuum, 'VACUUM acme_dev_sales.customers')?.table).toEqual(customers);
    expect(findMaintenanceStep(tables, MAINTENANCE_STATES.optimize, 'VACUUM acme_dev_sales.customers')).toBeUndefined();
    expect(findMaintenanceStep(tables, MAINTENANCE_STATES.vacuum, 'VACUUM acme_dev_sales.unknown')).toBeUndefined();
  });
});

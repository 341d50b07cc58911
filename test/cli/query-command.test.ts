import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const lakeRoot = mkdtempSync(join(tmpdir(), 'query-lake-'));

beforeAll(async () => {
  const lake = new LocalLake(lakeRoot);
  lake.createTable('acme_dev_sales', 'orders', [
    { name: 'order_id', type: 'VARCHAR' },
    { name: 'amount', type: 'DECIMAL(12,2)' },
  ]);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await lake.write(connection, 'acme_dev_sales', 'orders', 'append', `INSERT INTO {{target}} VALUES ('ORD-1', 10.50), ('ORD-2', 7.25)`);
  connection.closeSync();
  instance.closeSync();
  // What a build leaves behind for a view model, as Athena leaves the view in Glue.
  lake.replaceView('acme_dev_sales', 'large_orders', 'SELECT order_id FROM "acme_dev_sales"."orders" WHERE amount > 10');
});

describe('lakehouse query', () => {
  it('reads local tables by their Athena names and prints exactly one JSON document', () => {
    const result = runLakehouse(['query', 'SELECT order_id, amount FROM "acme_dev_sales"."orders" ORDER BY order_id', '--json', '--lake', lakeRoot]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { order_id: 'ORD-1', amount: 10.5 },
      { order_id: 'ORD-2', amount: 7.25 },
    ]);
  });

  it('resolves unqualified names in the databases of --env', async () => {
    const result = await runLakehouseInProcess(['query', 'SELECT count(*) AS n FROM orders', '--env', 'dev', '--lake', lakeRoot]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^n\n-\n2$/m);
    expect(result.stderr).toMatch(/1 row/);
  });

  it('reads a view a build published in another process', async () => {
    const result = await runLakehouseInProcess(['query', 'SELECT order_id FROM large_orders', '--env', 'dev', '--lake', lakeRoot]);
    expect([result.status, result.stderr]).toEqual([0, '1 row\n']);
    expect(result.stdout).toMatch(/^order_id\n-+\nORD-1$/m);
  });

  it('exits 2 with the engine message and the known tables on bad SQL', async () => {
    const result = await runLakehouseInProcess(['query', 'SELECT * FROM no_such_table', '--lake', lakeRoot]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no_such_table/);
    expect(result.stderr).toMatch(/"acme_dev_sales"\."orders"/);
  });

  it('exits 2 for an environment cdk.json does not have', async () => {
    const result = await runLakehouseInProcess(['query', 'SELECT 1', '--env', 'qa', '--lake', lakeRoot]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no environment 'qa' in cdk\.json \(it has: dev, staging, prod\)/);
  });
});

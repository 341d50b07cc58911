import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { manifestPath } from '../../lib/local/lake/table-layout.ts';
import { repoRoot, runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const outside = mkdtempSync(join(tmpdir(), 'no-project-'));
const lakeRoot = mkdtempSync(join(tmpdir(), 'damaged-lake-'));
const orders = join(repoRoot, 'contracts/sales/samples/orders.csv');
const STACK_FRAME = /^\s+at /m;

/** Two tables; the second's latest manifest is then cut short, as a crashed editor or disk would leave it. */
beforeAll(async () => {
  const lake = new LocalLake(lakeRoot);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const table of ['orders', 'customers']) {
      lake.createTable('acme_dev_sales', table, [{ name: 'id', type: 'VARCHAR' }]);
      await lake.write(connection, 'acme_dev_sales', table, 'append', `INSERT INTO {{target}} VALUES ('${table}-1')`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  writeFileSync(manifestPath(lake.tableDirectory('acme_dev_sales', 'customers'), 2), '{"formatVersion": 1, "snapsh');
});

afterAll(() => {
  rmSync(outside, { recursive: true, force: true });
  rmSync(lakeRoot, { recursive: true, force: true });
});

describe('messages', () => {
  it('says a directory given as the file to run is a directory (exit 2)', async () => {
    const result = await runLakehouseInProcess(['run', 'sales/orders', join(repoRoot, 'contracts/sales/samples')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('contracts/sales/samples is a directory, not a file');
  });

  it('says a directory given as the data file to validate is a directory (exit 2)', async () => {
    const result = await runLakehouseInProcess(['validate', '--contract', 'contracts/sales/orders.yaml', 'contracts/sales']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('contracts/sales is a directory, not a data file');
  });

  it('says a file given as the contracts folder is a file (exit 2)', async () => {
    const result = await runLakehouseInProcess(['contracts', 'check', 'contracts/sales/orders.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('contracts/sales/orders.yaml is a file, not a directory');
  });

  // A process of its own: the CLI started from a folder outside the repo, and a usage error's exit 2 through bin/lakehouse.ts.
  it('says run outside a project needs the folder holding cdk.json (exit 2, no stack trace)', () => {
    const result = runLakehouse(['run', 'sales/orders', orders], { cwd: outside });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`no cdk.json in ${outside}: run lakehouse in the project's folder`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('keeps the other tables queryable when one manifest is damaged, naming the damaged table', async () => {
    const result = await runLakehouseInProcess(['query', 'SELECT id FROM "acme_dev_sales"."orders"', '--json', '--lake', lakeRoot]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ id: 'orders-1' }]);
    expect(result.stderr).toMatch(/"acme_dev_sales"\."customers" cannot be read and was left out: .*0000000002\.json: manifest is not JSON/);
  });

  it("names the damaged table when a query reads it (exit 1, unreadable data), without a stack trace", async () => {
    const result = await runLakehouseInProcess(['query', 'SELECT id FROM "acme_dev_sales"."customers"', '--lake', lakeRoot]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/"acme_dev_sales"\."customers" cannot be read/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});

/**
 * The build's DuckDB connection runs user-written SQL, so behind the one-SELECT check it opens
 * only the lake's tables and its scratch: the rest of the workspace (the S3 zones with the
 * quarantined rows, locks, logs) stays out of reach, however a path is spelled.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLake } from '../../../lib/local/lake/local-lake.ts';
import { openBuildConnection, type BuildConnection } from '../../../lib/local/runtime/build-connection.ts';
import { quoteString } from '../../../lib/sql/ansi.ts';

const root = mkdtempSync(join(tmpdir(), 'build-connection-'));
const lake = new LocalLake(root);
let build: BuildConnection;

beforeAll(async () => {
  lake.createTable('acme_dev_sales', 'orders', [{ name: 'order_id', type: 'VARCHAR' }]);
  // What a quarantined delivery looks like in the local S3 server's folder, and a folder whose name only starts like the tables'.
  for (const folder of ['s3/acme-dev-quarantine/sales/orders', 'tables_copy']) {
    mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, folder, 'rows.csv'), 'email\nsomeone@example.com\n');
  }
  build = await openBuildConnection(lake);
});

afterAll(() => {
  build.close();
  rmSync(root, { recursive: true, force: true });
});

async function rows(sql: string): Promise<unknown[]> {
  return (await build.connection.runAndReadAll(sql)).getRowObjectsJson();
}

describe('openBuildConnection', () => {
  it("reads and writes the lake's tables", async () => {
    await lake.write(build.connection, 'acme_dev_sales', 'orders', 'append', "INSERT INTO {{target}} VALUES ('ORD-1')");
    expect(await rows('SELECT order_id FROM acme_dev_sales.orders')).toEqual([{ order_id: 'ORD-1' }]);
  });

  it.each([
    ['a quarantined file', 's3/acme-dev-quarantine/sales/orders/rows.csv'],
    ['a file reached from the tables folder by ..', 'tables/../s3/acme-dev-quarantine/sales/orders/rows.csv'],
    ['a folder named like the tables folder', 'tables_copy/rows.csv'],
  ])('refuses %s elsewhere in the workspace', async (_, path) => {
    await expect(rows(`SELECT * FROM read_csv(${quoteString(`${root}/${path}`)})`)).rejects.toThrow(/Permission Error/);
  });
});

import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const lakeRoot = mkdtempSync(join(tmpdir(), 'maintain-command-'));
const lake = new LocalLake(lakeRoot);
/** Older than the sales contracts' seven-year retention, whenever the test runs. */
const EXPIRED_INGEST_TIME = '2017-01-02T06:00:00Z';
/** Yesterday: well within any retention. */
const RECENT_INGEST_TIME = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();

function executionFolders(): string[] {
  return readdirSync(join(lakeRoot, 'executions'), { recursive: true, encoding: 'utf8' }).sort();
}

/** The silver tables' data, loaded by the real pipelines: orders long expired, order items recent. */
beforeAll(async () => {
  for (const [dataset, ingestTime] of [
    ['orders', EXPIRED_INGEST_TIME],
    ['order_items', RECENT_INGEST_TIME],
  ] as const) {
    const loaded = await runLakehouseInProcess(['run', `sales/${dataset}`, `contracts/sales/samples/${dataset}.csv`, '--lake', lakeRoot, '--ingest-time', ingestTime]);
    expect(loaded.status, loaded.stderr).toBe(0);
  }
}, 240_000);

afterAll(() => {
  rmSync(lakeRoot, { recursive: true, force: true });
});

describe('lakehouse maintain', () => {
  it("runs the domain's synthesized maintenance machine and says what it did to each table", async () => {
    const result = await runLakehouseInProcess(['maintain', 'sales', '--lake', lakeRoot]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^sales: SUCCEEDED$/m);
    expect(result.stdout).toMatch(/^ {2}state machine {5}acme-dev-sales-maintenance$/m);
    expect(result.stdout).toMatch(/^ {2}execution {9}arn:aws:states:eu-west-1:111111111111:execution:acme-dev-sales-maintenance:\S+$/m);
    // The retention DELETE emptied the expired table; the recent one kept its rows and its file.
    expect(result.stdout).toMatch(/^acme_dev_sales\.orders +36 → 0 +1 → 0 +2 → 3 +0$/m);
    expect(result.stdout).toMatch(/^acme_dev_sales\.order_items +59 +1 +2 → 3 +0$/m);
    expect(result.stdout).toMatch(/^not in the lake: acme_dev_sales\.daily_revenue/m);
    expect(lake.currentSnapshot('acme_dev_sales', 'orders').summary.totalRows).toBe(0);
    expect(lake.currentSnapshot('acme_dev_sales', 'order_items').summary.totalRows).toBe(59);
    // Progress lines come from the execution, as `lakehouse run` shows them.
    expect(result.stderr).toMatch(/^✓ \[\d\] ApplyRetention \d+ ms$/m);
    expect(result.stderr).toMatch(/^✓ MaintenanceDone$/m);
  }, 120_000);

  it('refuses an unknown domain with a did-you-mean (exit 2) before any execution starts', async () => {
    const before = executionFolders();
    const result = await runLakehouseInProcess(['maintain', 'sale', '--lake', lakeRoot]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("no domain 'sale' in the contracts; did you mean 'sales'? (domains: marketing, sales)");
    expect(result.stderr).toContain('usage: lakehouse maintain [<domain>]');
    expect(executionFolders()).toEqual(before);
  }, 60_000);

  it('maintains every domain in the catalog order with --json: exactly one document', async () => {
    // What a load killed before its commit leaves: a data file no snapshot references, older than the grace period.
    const orderItems = lake.tableDirectory('acme_dev_sales', 'order_items');
    const orphan = join(orderItems, 'data', 'left-by-a-killed-load.parquet');
    copyFileSync(join(orderItems, lake.currentSnapshot('acme_dev_sales', 'order_items').files[0]!), orphan);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(orphan, twoHoursAgo, twoHoursAgo);

    const result = await runLakehouseInProcess(['maintain', '--json', '--lake', lakeRoot]);
    expect(result.status, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as {
      env: string;
      passed: boolean;
      domains: { domain: string; states: { state: string }[]; tables: { table: string }[] }[];
    };
    expect(document).toMatchObject({ env: 'dev', passed: true });
    expect(document.domains.map((run) => run.domain)).toEqual(['marketing', 'sales']);
    for (const run of document.domains) {
      expect(Object.keys(run)).toEqual(['domain', 'stateMachine', 'executionArn', 'status', 'states', 'tables']);
      expect(run).toMatchObject({
        stateMachine: `acme-dev-${run.domain}-maintenance`,
        executionArn: expect.stringContaining(`:execution:acme-dev-${run.domain}-maintenance:`),
        status: 'SUCCEEDED',
      });
      expect(run.states.at(-1)).toMatchObject({ state: 'MaintenanceDone', type: 'Succeed', outcome: 'succeeded' });
    }
    const figures = { snapshots: 3, rows: 59, dataFiles: 1 };
    expect(document.domains[1]!.tables).toContainEqual({
      table: 'acme_dev_sales.order_items',
      before: { ...figures, unreferencedFiles: 1 },
      after: { ...figures, snapshots: 4, unreferencedFiles: 0 },
    });
    expect(existsSync(orphan)).toBe(false);
    expect(document.domains[1]!.tables).toContainEqual({ table: 'acme_dev_sales.daily_revenue', before: null, after: null });
  }, 120_000);

  it('exits 1 naming the failed table when a data file is unreadable, and loses nothing', async () => {
    const directory = lake.tableDirectory('acme_dev_sales', 'order_items');
    const current = lake.currentSnapshot('acme_dev_sales', 'order_items');
    const file = join(directory, current.files[0]!);
    const saved = join(lakeRoot, 'order_items.parquet');
    copyFileSync(file, saved);
    writeFileSync(file, 'not parquet');
    let result;
    try {
      result = await runLakehouseInProcess(['maintain', 'sales', '--lake', lakeRoot]);
    } finally {
      copyFileSync(saved, file);
    }
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^sales: FAILED: MaintenanceFailed \(Maintenance of the sales domain's Iceberg tables failed/m);
    expect(result.stdout).toMatch(/^ {2}failed state {6}\[\d\] ApplyRetention: States\.TaskFailed$/m);
    expect(readFileSync(join(lakeRoot, 'alerts.log'), 'utf8')).toContain('order_items');
    // The failed DELETE committed nothing: the table is as it was.
    expect(lake.currentSnapshot('acme_dev_sales', 'order_items')).toEqual(current);
  }, 120_000);
});

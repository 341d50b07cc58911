import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { repoRoot } from './run-cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'demo-'));
/** The demo's workspace, with something in it the demo must delete first. */
const lake = join(scratch, 'lake');
let result: SpawnSyncReturns<string>;

beforeAll(() => {
  mkdirSync(join(lake, 'tables', 'stale'), { recursive: true });
  writeFileSync(join(lake, 'alerts.log'), '{"stale":true}\n');
  result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/demo.ts', '--lake', lake], { cwd: repoRoot, encoding: 'utf8' });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const lines = (file: string) => readFileSync(join(lake, file), 'utf8').trim().split('\n');

describe('npm run demo', () => {
  it('succeeds, writing nothing to stderr', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('checks the contracts and prints per environment and domain what would be deployed', () => {
    expect(result.stdout).toMatch(/sales: customers, order_items, orders/);
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(result.stdout).toMatch(new RegExp(`^${environment}  account \\d{12}, region [a-z0-9-]+$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`platform  ${environment}/${environment}-Platform \\(\\d+ resources: .*8 S3 Bucket`));
    }
    expect(result.stdout).toMatch(/^ {4}dev\/dev-Sales \(\d+ resources: .*1 Glue Database/m);
  });

  it('starts from a clean workspace and says so', () => {
    expect(result.stdout).toContain(`deleted ${lake}/ first`);
    expect(lines('alerts.log').some((line) => line.includes('stale'))).toBe(false);
  });

  it('shows the first run state by state', () => {
    expect(result.stdout).toMatch(/^ {6}▶ Validate$/m);
    expect(result.stdout).toMatch(/^ {6}✓ Load \d+ ms$/m);
  });

  it('loads every clean sample, quarantines the broken ones, and loads the good rows of orders.broken.csv', () => {
    const summary = result.stdout.slice(result.stdout.indexOf('== Summary'));
    const row = (dataset: string, file: string) => new RegExp(`^${dataset}\\s+contracts/\\S+/samples/${file.replaceAll('.', '\\.')}\\s+(.+?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$`, 'm');
    const expectRow = (dataset: string, file: string, cells: [string, number, number, number]) =>
      expect(row(dataset, file).exec(summary)?.slice(1)).toEqual(cells.map(String));
    expectRow('sales/orders', 'orders.csv', ['SUCCEEDED', 36, 0, 64]);
    expectRow('sales/orders', 'orders.broken.csv', ['SUCCEEDED, rows quarantined', 28, 17, 64]);
    expectRow('sales/customers', 'customers.broken.csv', ['FAILED: rejected', 0, 25, 30]);
    expectRow('marketing/web_events', 'web_events.broken.jsonl', ['FAILED: rejected', 0, 30, 50]);
    expect(summary.match(/ SUCCEEDED {2,}\d+ +0 /g)).toHaveLength(6);
    expect(summary.match(/ FAILED: rejected +0 +\d+ /g)).toHaveLength(4);
  });

  it('runs a clean file again without duplicating a row', () => {
    expect(result.stdout).toMatch(/^ {2}rows in "acme_dev_\w+"\."\w+": (\d+) before, \1 after$/m);
  });

  it('builds and tests every example model on the loaded tables, in DAG order, and publishes each', () => {
    const section = result.stdout.slice(result.stdout.indexOf('== Building and testing the models'), result.stdout.indexOf('== Summary'));
    const rows = [...section.matchAll(/^(\w+\/\w+)\s+(view|table|incremental)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+|-)$/gm)].map((match) => ({
      model: match[1]!,
      materialized: match[2],
      status: match[3],
      rows: Number(match[4]),
      testsPassed: Number(match[5]),
      testsFailed: Number(match[6]),
      snapshot: match[7],
    }));
    expect(rows.map((row) => [row.model, row.materialized, row.status])).toEqual([
      ['marketing/campaign_summary', 'view', 'published'],
      ['marketing/web_events_by_customer_country', 'table', 'published'],
      ['sales/daily_revenue', 'incremental', 'published'],
    ]);
    for (const row of rows) {
      expect(row.testsPassed).toBeGreaterThan(0);
      expect(row.testsFailed).toBe(0);
      if (row.materialized === 'view') expect(row.snapshot).toBe('-');
      else {
        expect(row.rows).toBeGreaterThan(0);
        expect(row.snapshot).toMatch(/^\d+$/);
      }
    }
    const published = new LocalLake(lake);
    for (const row of rows.filter((candidate) => candidate.materialized !== 'view')) {
      const [domain, table] = row.model.split('/') as [string, string];
      const snapshot = published.currentSnapshot(`acme_dev_${domain}`, table);
      expect(String(snapshot.snapshotId)).toBe(row.snapshot);
      expect(snapshot.summary.totalRows).toBeGreaterThanOrEqual(row.rows);
    }
  });

  it('leaves the alerts and events of every run in the workspace, and says what to try next', () => {
    expect(lines('alerts.log')).toHaveLength(5);
    // A DatasetLoaded per load, and one per model the build machine published, as in the cloud.
    const announced = lines('events.log').map((line) => (JSON.parse(line) as { detail: { dataset: string } }).detail.dataset);
    const models = ['marketing/campaign_summary', 'marketing/web_events_by_customer_country', 'sales/daily_revenue'];
    expect(announced.filter((dataset) => models.includes(dataset)).sort()).toEqual(models);
    expect(announced.filter((dataset) => !models.includes(dataset))).toHaveLength(7);
    expect(result.stdout).toContain(`npx lakehouse query 'SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status' --lake ${lake}`);
  });
});

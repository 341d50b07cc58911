import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { silverLakeColumns } from '../../lib/pipeline/silver-table.ts';
import { runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const lakeRoot = mkdtempSync(join(tmpdir(), 'build-cli-lake-'));
const lake = new LocalLake(lakeRoot);

async function appendOrders(values: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await lake.write(connection, 'acme_dev_sales', 'orders', 'append', `INSERT INTO {{target}} BY NAME SELECT * FROM (VALUES ${values}) AS v(order_id, order_date, status, currency, amount)`);
  connection.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  const orders = loadCatalog('contracts').domains.find((domain) => domain.name === 'sales')!.datasets.find((dataset) => dataset.name === 'orders')!;
  lake.createTable('acme_dev_sales', 'orders', silverLakeColumns(orders));
  await appendOrders(`('ORD-1', DATE '2026-11-20', 'paid', 'EUR', 10.0), ('ORD-2', DATE '2026-11-21', 'paid', 'SEK', 20.0)`);
});

describe('lakehouse build', () => {
  it('builds a selected model on the local lake, then fails with exit 1 when a test fails, publishing nothing', async () => {
    const first = runLakehouse(['build', 'sales/daily_revenue', '--json', '--lake', lakeRoot]);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ env: 'dev', passed: true, models: [{ model: 'sales/daily_revenue', status: 'published', rows: 2 }] });
    expect(report.runs).toEqual([
      {
        domain: 'sales',
        stateMachine: 'acme-dev-sales-build',
        executionArn: expect.stringMatching(/^arn:aws:states:eu-west-1:111111111111:execution:acme-dev-sales-build:/),
        status: 'SUCCEEDED',
        states: expect.arrayContaining([expect.objectContaining({ state: 'AcquireBuildLock' })]),
      },
    ]);
    const snapshotId = report.models[0].snapshotId;
    expect(lake.currentSnapshot('acme_dev_sales', 'daily_revenue').snapshotId).toBe(snapshotId);

    await appendOrders(`('ORD-3', DATE '2026-11-22', 'paid', 'XXX', 5.0)`);
    const failed = await runLakehouseInProcess(['build', 'daily_revenue', '--lake', lakeRoot]);
    expect(failed.status).toBe(1);
    // Rows loaded without _ingested_at count as changed: every group is recomputed.
    expect(failed.stdout).toMatch(/sales\/daily_revenue\s+incremental\s+failed\s+3\s+4\s+1\s+\d+/);
    expect(failed.stderr).toMatch(/FAIL sales\/daily_revenue currency\.accepted_values: 1 failing row/);
    expect(failed.stderr).toContain('"currency":"XXX"');
    // The synthesized build machine ran: its states show as they run, the owner's alert under its Task.
    expect(failed.stderr).toMatch(/acme-dev-sales-build: execution /);
    expect(failed.stderr).toMatch(/✓ AcquireBuildLock/);
    expect(failed.stderr).toMatch(/✓ sales-daily_revenue-alert-test-failed/);
    expect(lake.currentSnapshot('acme_dev_sales', 'daily_revenue').snapshotId).toBe(snapshotId);
  });

  it('exits 1 when a selected model cannot run for a missing input', async () => {
    const result = await runLakehouseInProcess(['build', '+marketing/campaign_summary', '--lake', lakeRoot]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/marketing\/campaign_summary: input marketing\/campaigns has no table "acme_dev_marketing"\."campaigns"/);
  });

  it('says in --json why a build failed: its execution\'s error and cause', async () => {
    const result = await runLakehouseInProcess(['build', '+marketing/campaign_summary', '--json', '--lake', lakeRoot]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ env: 'dev', passed: false });
    expect(report.runs).toEqual([
      expect.objectContaining({ domain: 'marketing', stateMachine: 'acme-dev-marketing-build', status: 'FAILED', error: expect.any(String), cause: expect.any(String) }),
    ]);
    expect(report.runs[0].states.at(-1)).toMatchObject({ type: 'Fail' });
  });

  it('exits 2 for an unknown selector, with a did-you-mean', async () => {
    const result = await runLakehouseInProcess(['build', 'sales/daily_revenu', '--json', '--lake', lakeRoot]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no model 'sales\/daily_revenu'; did you mean 'sales\/daily_revenue'\?/);
  });
});

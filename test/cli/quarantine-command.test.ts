import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineEnvironment } from '../../lib/cli/offline-environment.ts';
import { LocalPipelineRuntime, type PipelineRun } from '../../lib/local/runtime/pipeline-runtime.ts';
import { repoRoot, runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const lake = mkdtempSync(join(tmpdir(), 'quarantine-command-'));
let rejected: PipelineRun;
let rowsQuarantined: PipelineRun;

/** Two deliveries quarantined by the runtime in this process: one whole file, one with some rows. */
beforeAll(async () => {
  const runtime = await LocalPipelineRuntime.start({
    projectRoot: repoRoot,
    workspace: lake,
    synthesized: openOfflineEnvironment({ projectRoot: repoRoot, environment: 'dev' }),
    retryPauseMs: 0,
    waitPauseMs: 0,
  });
  try {
    const ingestTime = new Date('2026-11-21T06:00:00Z');
    rejected = await runtime.run('marketing/campaigns', join(repoRoot, 'contracts/marketing/samples/campaigns.broken.csv'), { ingestTime });
    rowsQuarantined = await runtime.run('sales/orders', join(repoRoot, 'contracts/sales/samples/orders.broken.csv'), { ingestTime });
  } finally {
    await runtime.close();
  }
});

afterAll(() => {
  rmSync(lake, { recursive: true, force: true });
});

describe('lakehouse quarantine list', () => {
  it('lists every quarantined delivery as one JSON document', () => {
    const result = runLakehouse(['quarantine', 'list', '--json', '--lake', lake]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ fileId: rejected.fileId, dataset: 'marketing/campaigns', ingestDate: '2026-11-21', rowCount: 20, rowsQuarantined: 20 }),
      expect.objectContaining({ fileId: rowsQuarantined.fileId, dataset: 'sales/orders', rowsQuarantined: 17, failedRules: expect.arrayContaining(['order_id.unique']) }),
    ]);
  });

  it('prints a table for one dataset, its id first', async () => {
    const result = await runLakehouseInProcess(['quarantine', 'list', 'marketing/campaigns', '--lake', lake]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+DATASET\s+FILE\s+INGEST DATE\s+QUARANTINED\s+FAILED RULES\s+RELEASED$/);
    expect(lines.slice(2)).toEqual([expect.stringMatching(new RegExp(`^${rejected.fileId}\\s+marketing/campaigns\\s+marketing/campaigns/campaigns\\.broken\\.csv\\s+2026-11-21\\s+20/20\\s+\\S`))]);
  });

  it('exits 2 for a dataset the contracts do not declare', async () => {
    const result = await runLakehouseInProcess(['quarantine', 'list', 'marketing/campaign', '--lake', lake]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/did you mean 'marketing\/campaigns'\?/);
  });
});

describe('lakehouse quarantine release', () => {
  it('runs the delivery again with the current contract, exits as run does and records the release', async () => {
    const result = runLakehouse(['quarantine', 'release', rejected.fileId!, '--json', '--lake', lake]);
    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({ status: 'FAILED', error: 'Pipeline.FileRejected', fileId: rejected.fileId, rowsQuarantined: 20 });
    expect(document['releaseRecord']).toMatch(new RegExp(`^releases/marketing/campaigns/${rejected.fileId}-\\d{8}T\\d{9}Z\\.json$`));

    const listed = JSON.parse((await runLakehouseInProcess(['quarantine', 'list', 'marketing/campaigns', '--json', '--lake', lake])).stdout) as unknown[];
    expect(listed).toEqual([expect.objectContaining({ fileId: rejected.fileId, released: 'FAILED' })]);
  });

  it('exits 2 for an id nothing in the quarantine zone has', async () => {
    const result = await runLakehouseInProcess(['quarantine', 'release', 'ffffffffffffffffffffffff', '--lake', lake]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no quarantined delivery has id 'ffffffffffffffffffffffff'/);
  });
});

/**
 * A delivery quarantined under one contract and released after the contract was relaxed: one
 * workspace, first run with the shipped contracts, then released by a runtime synthesized from a
 * copy in which `sales/orders` expects repeated keys (a warning `duplicateValues` on its key),
 * so the load keeps the last row per key.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineRun, Release } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { ReleaseError } from '../../../lib/local/runtime/runtime-errors.ts';
import { readJsonObject } from '../../../lib/local/runtime/zone-objects.ts';
import { repoRoot, type RuntimeFixture, sample, SAMPLE_INGEST_TIME, startRuntime, tableRows } from './helpers.ts';

const RESENT_ORDER = 'ORD-10000001,CUS-100003,maria.rossi@example.com,2026-11-20T07:31:54Z,2026-11-20,delivered,store,EUR,19.00,2,PAY-ZZZZZZZZZ1,2026-11-20T10:59:29Z';
const ORDER_ID_PATTERN = "          pattern: '^ORD-[0-9]{8}$'\n";
const EXPECTS_UPDATES = [
  '        quality:',
  '          - id: order_updates',
  '            metric: duplicateValues',
  '            mustBe: 0',
  '            severity: warning',
  '            description: An order exported twice in one file keeps its latest row.',
  '',
].join('\n');

const scratch = mkdtempSync(join(tmpdir(), 'quarantine-release-'));
const workspace = join(scratch, 'lake');
const relaxedContracts = join(scratch, 'contracts');
const delivery = join(scratch, 'orders-with-update.csv');

function relaxOrdersContract(): void {
  cpSync(join(repoRoot, 'contracts'), relaxedContracts, { recursive: true });
  const file = join(relaxedContracts, 'sales', 'orders.yaml');
  const text = readFileSync(file, 'utf8');
  if (!text.includes(ORDER_ID_PATTERN) || !text.includes('version: 1.3.0')) throw new Error('contracts/sales/orders.yaml changed: update this test');
  writeFileSync(file, text.replace(ORDER_ID_PATTERN, () => `${ORDER_ID_PATTERN}${EXPECTS_UPDATES}`).replace('version: 1.3.0', 'version: 1.4.0'));
}

let strict: RuntimeFixture | undefined;
let relaxed: RuntimeFixture | undefined;
let first: PipelineRun;
let release: Release;

beforeAll(async () => {
  writeFileSync(delivery, `${readFileSync(sample('sales', 'orders.csv'), 'utf8')}${RESENT_ORDER}\n`);
  relaxOrdersContract();
  strict = await startRuntime({ workspace });
  first = await strict.runtime.run('sales/orders', delivery, { ingestTime: SAMPLE_INGEST_TIME });
  await strict.runtime.close();
  relaxed = await startRuntime({ workspace, contractsRoot: relaxedContracts });
  release = await relaxed.runtime.release(first.fileId!, 'alice');
});

afterAll(async () => {
  await relaxed?.runtime.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('under the shipped contract', () => {
  it('quarantines both rows of the repeated order and loads the rest', () => {
    expect(first).toMatchObject({ status: 'SUCCEEDED', rowsLoaded: 35, rowsQuarantined: 2 });
  });
});

describe('released after the contract expects repeated keys', () => {
  it('runs the landed original through the pipeline again, nothing quarantined', () => {
    expect(release.run).toMatchObject({ status: 'SUCCEEDED', fileId: first.fileId, rowsLoaded: 37, rowsQuarantined: 0 });
  });

  it('keeps the last row of the repeated key in the silver table', async () => {
    const { runtime } = relaxed!;
    const rows = await tableRows(runtime, runtime.dataset('sales/orders'), 'order_id');
    expect(rows).toHaveLength(36);
    expect(rows.find((row) => row['order_id'] === 'ORD-10000001')).toMatchObject({ status: 'delivered', _row: 37, payment_id: 'PAY-ZZZZZZZZZ1' });
  });

  it('records who released what, the previous report and the new outcome in the audit zone, tagged for retention', async () => {
    const { runtime } = relaxed!;
    expect(release.recordKey).toMatch(new RegExp(`^releases/sales/orders/${first.fileId}-\\d{8}T\\d{9}Z\\.json$`));
    const stored = await readJsonObject(runtime.s3.client, runtime.buckets.audit, release.recordKey);
    expect(stored).toEqual(release.record);
    expect(release.record).toMatchObject({
      dataset: 'sales/orders',
      fileId: first.fileId,
      releasedBy: 'alice',
      previousReport: { contractVersion: '1.3.0', passed: false, rowCount: 37, rowsQuarantined: 2, failedRules: ['order_id.unique'] },
      outcome: { status: 'SUCCEEDED', contractVersion: '1.4.0', rowsLoaded: 37, rowsQuarantined: 0, execution: release.run.executionArn },
    });
    const { TagSet } = await runtime.s3.client.send(new GetObjectTaggingCommand({ Bucket: runtime.buckets.audit, Key: release.recordKey }));
    expect(TagSet).toEqual([{ Key: 'lakehouse:retention', Value: '7y' }]);
  });

  it('shows the delivery as released in the quarantine list', async () => {
    expect(await relaxed!.runtime.quarantined('sales/orders')).toEqual([
      expect.objectContaining({ fileId: first.fileId, released: 'SUCCEEDED', rowsQuarantined: 2 }),
    ]);
  });
});

describe('deliveries that cannot be released', () => {
  it('refuses an id nothing in the quarantine zone has', async () => {
    await expect(relaxed!.runtime.release('0123456789abcdef01234567', 'alice')).rejects.toThrow(ReleaseError);
  });
});

describe('a delivery whose key was delivered again', () => {
  it('is released from its own landed version, not the newer file under its name', async () => {
    const { runtime } = relaxed!;
    writeFileSync(delivery, readFileSync(sample('sales', 'orders.csv')));
    const newer = await runtime.run('sales/orders', delivery, { ingestTime: SAMPLE_INGEST_TIME });
    expect(newer.fileId).not.toBe(first.fileId);
    const again = await runtime.release(first.fileId!, 'alice');
    expect(again.run).toMatchObject({ status: 'SUCCEEDED', fileId: first.fileId, rowsLoaded: 37, rowsQuarantined: 0 });
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { bucketName } from '../../lib/config/names.ts';
import { readJsonObject } from '../../lib/local/runtime/zone-objects.ts';
import { localEnvironment } from '../../lib/local/local-environment.ts';
import { startS3Server } from '../../lib/local/s3-server.ts';
import { killInsideLoad } from '../local/runtime/kill-inside-load.ts';
import { repoRoot, runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const lake = mkdtempSync(join(tmpdir(), 'unlock-command-'));
const auditBucket = bucketName(localEnvironment(repoRoot, 'dev').identity, 'audit');

function lockFiles(): string[] {
  return readdirSync(join(lake, 'locks'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'));
}

/** A run of sales/orders killed inside its Load: its lock stays behind. */
beforeAll(async () => {
  await killInsideLoad(lake);
}, 240_000);

afterAll(() => {
  rmSync(lake, { recursive: true, force: true });
});

describe('lakehouse unlock', () => {
  it('refuses to unlock without a reason (exit 2), changing nothing', async () => {
    const result = await runLakehouseInProcess(['unlock', 'sales/orders', '--lake', lake]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--reason is required');
    expect(lockFiles()).toHaveLength(1);
  });

  it('clears the lock and records who, when, why and the previous holder in the audit zone, with the retention tag', async () => {
    const result = runLakehouse(['unlock', 'sales/orders', '--reason', 'the loader host was rebooted', '--json', '--lake', lake]);
    expect(result.status, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as { status: string; recordKey: string; record: Record<string, unknown> };
    expect(document).toMatchObject({
      dataset: 'sales/orders',
      status: 'unlocked',
      record: {
        unlockVersion: 1,
        dataset: 'sales/orders',
        reason: 'the loader host was rebooted',
        unlockedBy: expect.any(String),
        previousHolder: { execution: expect.stringContaining(':execution:'), status: 'ABORTED', details: { fileId: expect.any(String) } },
      },
    });
    expect(document.recordKey).toMatch(/^unlocks\/sales\/orders\/\d{8}T\d{9}Z\.json$/);
    expect(lockFiles()).toEqual([]);

    const s3 = await startS3Server({ directory: join(lake, 's3'), buckets: [auditBucket] });
    try {
      expect(await readJsonObject(s3.client, auditBucket, document.recordKey)).toEqual(document.record);
      const { TagSet } = await s3.client.send(new GetObjectTaggingCommand({ Bucket: auditBucket, Key: document.recordKey }));
      expect(TagSet).toEqual([{ Key: 'lakehouse:retention', Value: '7y' }]);
    } finally {
      await s3.close();
    }
  }, 120_000);

  it('says there is nothing to unlock (exit 1) once the lock is gone, recording nothing more', async () => {
    const records = () => readdirSync(join(lake, 's3', auditBucket, 'unlocks', 'sales', 'orders'));
    const before = records();
    const result = await runLakehouseInProcess(['unlock', 'sales/orders', '--reason', 'again', '--lake', lake]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('sales/orders is not locked');
    expect(records()).toEqual(before);
  }, 120_000);
});

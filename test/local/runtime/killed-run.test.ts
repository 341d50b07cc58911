import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silverTableName } from '../../../lib/config/names.ts';
import type { ExecutionRecord } from '../../../lib/local/runtime/execution-registry.ts';
import { scratchRoot } from '../../../lib/local/scratch.ts';
import { workspaceAt } from '../../../lib/local/workspace.ts';
import { heldLocks, SAMPLE_INGEST_TIME, sample, startRuntime, type RuntimeFixture } from './helpers.ts';
import { killInsideLoad } from './kill-inside-load.ts';

const TABLE_DATA = join('tables', 'acme_dev_sales', 'orders', 'data');

function executionRecords(workspace: string): ExecutionRecord[] {
  const root = join(workspace, 'executions');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(root, name), 'utf8')) as ExecutionRecord);
}

describe('a run killed with SIGKILL inside its Load, its process id then reused', () => {
  let workspace: string;
  let pid: number;
  let fixture: RuntimeFixture | undefined;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'killed-run-'));
    pid = await killInsideLoad(workspace);
  }, 240_000);

  afterAll(async () => {
    await fixture?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('leaves its execution RUNNING, its lock, its scratch folder in the workspace and an uncommitted data file', () => {
    expect(executionRecords(workspace).map((record) => [record.pid, record.status])).toEqual([[pid, 'RUNNING']]);
    expect(readdirSync(join(workspace, 'locks'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    expect(readdirSync(scratchRoot(workspaceAt(workspace))).map((name) => name.split('-')[0])).toEqual([String(pid)]);
    expect(readdirSync(join(workspace, TABLE_DATA))).toHaveLength(1);
  });

  it('is recorded ABORTED and its scratch removed when the next runtime starts, which takes its lock over', async () => {
    // Its process id now belongs to another, live process (this one): only its start time tells them apart.
    const [recordFile] = readdirSync(join(workspace, 'executions'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'));
    const path = join(workspace, 'executions', recordFile!);
    writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as ExecutionRecord), pid: process.pid }));

    fixture = await startRuntime({ workspace });
    expect(executionRecords(workspace)).toEqual([expect.objectContaining({ pid: process.pid, status: 'ABORTED', stopDate: expect.any(String) })]);
    expect(readdirSync(scratchRoot(workspaceAt(workspace))).filter((name) => name.startsWith(`${pid}-`))).toEqual([]);

    const run = await fixture.runtime.run('sales/orders', sample('sales', 'orders.csv'), { ingestTime: SAMPLE_INGEST_TIME });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.visitedStates).toContain('TakeOverLock');
    expect(heldLocks(fixture.runtime)).toEqual([]);
  }, 240_000);

  it('leaves an orphan data file that maintenance collects once it is older than the grace period', async () => {
    const { runtime } = fixture!;
    const dataset = runtime.dataset('sales/orders');
    const committed = new Set(runtime.lake.currentSnapshot(runtime.database(dataset), silverTableName(dataset)).files);
    const data = join(workspace, TABLE_DATA);
    const orphan = readdirSync(data).map((name) => `data/${name}`).filter((file) => !committed.has(file));
    expect(orphan).toHaveLength(1);

    expect((await runtime.maintain('sales')).status).toBe('SUCCEEDED');
    expect(existsSync(join(workspace, 'tables', 'acme_dev_sales', 'orders', orphan[0]!))).toBe(true);

    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(workspace, 'tables', 'acme_dev_sales', 'orders', orphan[0]!), twoHoursAgo, twoHoursAgo);
    expect((await runtime.maintain('sales')).status).toBe('SUCCEEDED');
    expect(existsSync(join(workspace, 'tables', 'acme_dev_sales', 'orders', orphan[0]!))).toBe(false);
    for (const file of runtime.lake.currentSnapshot(runtime.database(dataset), silverTableName(dataset)).files) {
      expect(existsSync(join(workspace, 'tables', 'acme_dev_sales', 'orders', file))).toBe(true);
    }
  }, 240_000);

  it('removes its own scratch folder when it closes', async () => {
    const mine = readdirSync(scratchRoot(workspaceAt(workspace))).filter((name) => name.startsWith(`${process.pid}-`));
    expect(mine).toHaveLength(1);
    await fixture!.runtime.close();
    fixture = undefined;
    expect(readdirSync(scratchRoot(workspaceAt(workspace)))).toEqual([]);
  });
});

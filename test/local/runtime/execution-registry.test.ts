import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentProcess } from '../../../lib/local/process-identity.ts';
import { ExecutionRegistry, type ExecutionRecord } from '../../../lib/local/runtime/execution-registry.ts';

const MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:acme-dev-sales-pipeline-orders';

let directory: string;
let registry: ExecutionRegistry;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'executions-'));
  registry = new ExecutionRegistry(directory);
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function record(name: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    executionArn: ExecutionRegistry.executionArn(MACHINE, name),
    stateMachineArn: MACHINE,
    name,
    status: 'RUNNING',
    startDate: '2026-11-21T06:00:00.000Z',
    pid: process.pid,
    input: { bucket: 'landing', key: 'sales/orders/orders.csv' },
    ...overrides,
  };
}

/** A process id that surely ended: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
}

describe('the offline execution registry', () => {
  it('derives execution ARNs as $$.Execution.Id reads them', () => {
    expect(ExecutionRegistry.executionArn(MACHINE, 'run-1')).toBe(
      'arn:aws:states:eu-west-1:111111111111:execution:acme-dev-sales-pipeline-orders:run-1',
    );
  });

  it('describes a running execution of a live process as RUNNING, and a finished one with its stop date', async () => {
    registry.record(record('live'));
    registry.record(record('done', { status: 'SUCCEEDED', stopDate: '2026-11-21T06:01:00.000Z' }));
    await expect(registry.describeExecution({ ExecutionArn: record('live').executionArn })).resolves.toMatchObject({ Status: 'RUNNING', Name: 'live' });
    await expect(registry.describeExecution({ ExecutionArn: record('done').executionArn })).resolves.toMatchObject({
      Status: 'SUCCEEDED',
      StopDate: '2026-11-21T06:01:00.000Z',
      Input: JSON.stringify(record('done').input),
    });
  });

  it('reads an execution whose process died while RUNNING as ABORTED, so its lock can be taken over', async () => {
    registry.record(record('crashed', { pid: deadPid() }));
    await expect(registry.describeExecution({ ExecutionArn: record('crashed').executionArn })).resolves.toMatchObject({ Status: 'ABORTED' });
  });

  it('reads an execution as ABORTED when its process id now belongs to another process, started at another time', async () => {
    // This test's own process id is alive: only the start time tells that the recorded holder is gone.
    registry.record(record('reused', { pid: process.pid, processStart: `${currentProcess().start}0` }));
    registry.record(record('mine', { pid: process.pid, processStart: currentProcess().start }));
    await expect(registry.describeExecution({ ExecutionArn: record('reused').executionArn })).resolves.toMatchObject({ Status: 'ABORTED' });
    await expect(registry.describeExecution({ ExecutionArn: record('mine').executionArn })).resolves.toMatchObject({ Status: 'RUNNING' });
  });

  it("marks the RUNNING executions of dead processes ABORTED on disk, with a stop date, and leaves live ones", () => {
    const stopped = new Date('2026-11-21T07:00:00.000Z');
    registry.record(record('crashed', { pid: deadPid() }));
    registry.record(record('live', { processStart: currentProcess().start }));
    registry.record(record('done', { pid: deadPid(), status: 'SUCCEEDED', stopDate: '2026-11-21T06:01:00.000Z' }));

    expect(registry.markAbandoned(stopped)).toEqual([record('crashed').executionArn]);

    const onDisk = (name: string) =>
      JSON.parse(readFileSync(join(directory, 'acme-dev-sales-pipeline-orders', `${name}.json`), 'utf8')) as ExecutionRecord;
    expect(onDisk('crashed')).toMatchObject({ status: 'ABORTED', stopDate: stopped.toISOString() });
    expect(onDisk('live').status).toBe('RUNNING');
    expect(onDisk('done').status).toBe('SUCCEEDED');
  });

  it('answers ExecutionDoesNotExist for an execution it never recorded, as Step Functions does', async () => {
    await expect(registry.describeExecution({ ExecutionArn: record('unknown').executionArn })).rejects.toMatchObject({
      name: 'Sfn.ExecutionDoesNotExistException',
    });
    await expect(registry.describeExecution({})).rejects.toMatchObject({ name: 'Sfn.InvalidArn' });
  });

  it('lists the executions of a state machine oldest first, the latest record of each', () => {
    registry.record(record('second', { startDate: '2026-11-21T07:00:00.000Z' }));
    registry.record(record('first', { startDate: '2026-11-21T06:00:00.000Z' }));
    registry.record(record('second', { startDate: '2026-11-21T07:00:00.000Z', status: 'FAILED', fileId: 'f2' }));
    expect(registry.executionsOf(MACHINE).map((entry) => [entry.name, entry.status, entry.fileId])).toEqual([
      ['first', 'RUNNING', undefined],
      ['second', 'FAILED', 'f2'],
    ]);
    expect(registry.executionsOf(MACHINE.replace('orders', 'customers'))).toEqual([]);
  });
});

/** The lock guards the table a run writes (issue 9 item 13), whatever major version of the contract writes it. */
import { describe, expect, it } from 'vitest';
import { pipelineStateMachineName } from '../../lib/config/names.ts';
import { tableLockKey } from '../../lib/pipeline/lock-item.ts';
import { dataset } from '../stacks/fixtures.ts';
import { atVersion } from './contract-version.ts';
import { IDENTITY } from './pipeline-stage.ts';

const orders = dataset('sales', 'orders');

describe('tableLockKey', () => {
  it('is shared by the majors that write one table, as is the state machine whose executions may hold it', () => {
    const [v0, v1] = [atVersion(orders, '0.9.0'), atVersion(orders, '1.3.0')];
    expect(tableLockKey(v0)).toBe('sales/orders');
    expect(tableLockKey(v1)).toBe(tableLockKey(v0));
    expect(pipelineStateMachineName(IDENTITY, v1)).toBe(pipelineStateMachineName(IDENTITY, v0));
  });

  it('is the new table for a major that writes its own, so it never meets a lock of the table it replaces', () => {
    const v2 = atVersion(orders, '2.0.0');
    expect(tableLockKey(v2)).toBe('sales/orders_v2');
    expect(tableLockKey(v2)).not.toBe(tableLockKey(atVersion(orders, '1.3.0')));
    expect(v2.names.ref).toBe('sales/orders');
  });

  it('tells apart tables of the same name in two domains', () => {
    expect(tableLockKey(dataset('marketing', 'orders'))).not.toBe(tableLockKey(orders));
  });
});

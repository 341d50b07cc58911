/**
 * The situations a lock meets, set up in the local lock table and execution registry as other
 * executions would leave them: a holder still running, one that stopped, one whose history is
 * gone, a rival waiter taking a stale lock over first. The lock's table and key are read from the
 * machine's acquiring Task, so the pipeline's and the build's locks are set up alike.
 */
import { randomUUID } from 'node:crypto';
import { LOCK_HOLDER_ATTRIBUTE, LOCK_KEY_ATTRIBUTE } from '../../../pipeline/lock-item.ts';
import { ExecutionRegistry } from '../../runtime/execution-registry.ts';
import type { LocalLockTable } from '../../runtime/local-lock-table.ts';
import type { SynthesizedStateMachine } from '../../stepfunctions/definitions.ts';

interface AcquireParameters {
  readonly TableName: string;
  readonly Item: Readonly<Record<string, { readonly S?: string }>>;
}

export class LockSituation {
  private readonly table: string;
  private readonly key: string;

  constructor(
    private readonly services: { readonly locks: LocalLockTable; readonly executions: ExecutionRegistry },
    private readonly machine: SynthesizedStateMachine,
    acquireState: string,
  ) {
    const acquire = machine.definition.States[acquireState] as unknown as { Parameters?: AcquireParameters } | undefined;
    const key = acquire?.Parameters?.Item[LOCK_KEY_ATTRIBUTE]?.S;
    if (acquire?.Parameters === undefined || key === undefined) throw new Error(`${machine.name}: ${acquireState} puts no lock item with a fixed ${LOCK_KEY_ATTRIBUTE}`);
    this.table = acquire.Parameters.TableName;
    this.key = key;
  }

  /**
   * The ARN of another execution of the machine, named after `role` (made unique, as a scenario may
   * run again), recorded with `status` (`undefined`: never recorded, as after its history expired).
   */
  otherExecution(role: string, status: 'RUNNING' | 'SUCCEEDED' | 'ABORTED' | undefined): string {
    const name = `${role}-${randomUUID().slice(0, 8)}`;
    const executionArn = ExecutionRegistry.executionArn(this.machine.arn, name);
    if (status !== undefined) {
      this.services.executions.record({
        executionArn,
        stateMachineArn: this.machine.arn,
        name,
        status,
        startDate: new Date().toISOString(),
        pid: process.pid,
        input: {},
      });
    }
    return executionArn;
  }

  /** Puts the lock item naming `holder`, whoever held it before. */
  async hold(holder: string): Promise<void> {
    await this.services.locks.putItem({ TableName: this.table, Item: { [LOCK_KEY_ATTRIBUTE]: { S: this.key }, [LOCK_HOLDER_ATTRIBUTE]: { S: holder } } });
  }

  /** Who holds the lock now, `undefined` when it is free. */
  async holder(): Promise<string | undefined> {
    const { Item } = (await this.services.locks.getItem({ TableName: this.table, Key: { [LOCK_KEY_ATTRIBUTE]: { S: this.key } } })) as { Item?: Record<string, { S?: string }> };
    return Item?.[LOCK_HOLDER_ATTRIBUTE]?.S;
  }

  /** Removes the lock item, as its holder releasing it would. */
  async release(): Promise<void> {
    await this.services.locks.deleteItem({ TableName: this.table, Key: { [LOCK_KEY_ATTRIBUTE]: { S: this.key } } });
  }
}

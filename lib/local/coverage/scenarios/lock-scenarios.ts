/**
 * The situations a lock protocol (`lock-states.ts`, shared by the pipeline's table lock and the
 * build's domain lock) meets, each a scenario checked for where the run went: a holder still
 * running (waited for until giving up), one that stopped (taken over), one Step Functions no
 * longer knows, a lock released between the failed put and the read, and a take-over race lost to
 * another waiter, which must go back to waiting.
 */
import type { LockSituation } from './lock-situation.ts';
import { runProblems } from './run-expectations.ts';
import type { Scenario, ScenarioOutcome, ScenarioRun } from './scenario.ts';
import { composeFaults, onFirstCall, type TaskWrapper } from './task-faults.ts';

type LockStateKey =
  | 'acquireLock'
  | 'readLockHolder'
  | 'checkLockHeld'
  | 'describeLockHolder'
  | 'checkLockHolderRunning'
  | 'takeOverLock'
  | 'waitForLock'
  | 'countLockWait'
  | 'checkLockWaits'
  | 'lockNotAcquired';

/** The lock's state names, as `PIPELINE_STATES` and `BUILD_STATES` both name them. */
export type LockStateNames = Readonly<Record<LockStateKey, string>>;

export interface LockedMachine {
  /** Says whose lock it is, as scenario names start: `sales/orders`, `sales build`. */
  readonly subject: string;
  readonly machine: string;
  readonly names: LockStateNames;
  readonly lock: LockSituation;
  /** One execution that takes the lock, its Tasks wrapped by `faults`. */
  readonly run: (faults: TaskWrapper) => Promise<ScenarioRun>;
  /** The state entered once the lock is held. */
  readonly holding: string;
  /** The last states of a run that gave up waiting. */
  readonly givenUp: readonly string[];
}

export function lockScenarios(locked: LockedMachine): Scenario[] {
  const { names: S, lock, run, holding } = locked;
  const scenario = (what: string, execute: (faults: TaskWrapper) => Promise<ScenarioOutcome>): Scenario => ({
    name: `${locked.subject}: ${what}`,
    machine: locked.machine,
    // Whatever the run did, the next scenario starts with the lock free.
    execute: async (faults) => {
      try {
        return await execute(faults);
      } finally {
        await lock.release();
      }
    },
  });
  return [
    scenario('waits for a lock another running execution holds, then gives up and alerts', async (faults) => {
      await lock.hold(lock.otherExecution('still-running', 'RUNNING'));
      const done = await run(faults);
      const waits = done.visitedStates.filter((state) => state === S.waitForLock).length;
      return {
        run: done,
        problems: [...runProblems(done, { status: 'FAILED', endsWith: [S.lockNotAcquired, ...locked.givenUp] }), ...(waits > 1 ? [] : [`waited ${waits} times for the lock, expected more than once`])],
      };
    }),
    scenario('takes over the lock of an execution that stopped', async (faults) => {
      await lock.hold(lock.otherExecution('stopped', 'ABORTED'));
      const done = await run(faults);
      return { run: done, problems: runProblems(done, { consecutive: [S.checkLockHolderRunning, S.takeOverLock, holding] }) };
    }),
    scenario('takes over a lock whose holder Step Functions no longer knows (its history expired)', async (faults) => {
      await lock.hold(lock.otherExecution('long-gone', undefined));
      const done = await run(faults);
      return { run: done, problems: runProblems(done, { consecutive: [S.describeLockHolder, S.takeOverLock, holding] }) };
    }),
    scenario('counts a wait and tries again when the holder releases the lock between the failed put and the read', async (faults) => {
      await lock.hold(lock.otherExecution('finishing', 'RUNNING'));
      const done = await run(composeFaults(faults, onFirstCall(S.readLockHolder, () => lock.release())));
      return { run: done, problems: runProblems(done, { consecutive: [S.readLockHolder, S.checkLockHeld, S.countLockWait, S.checkLockWaits, S.acquireLock, holding] }) };
    }),
    scenario('goes back to waiting when another waiter takes the stale lock over first, and takes the lock once that one released it', async (faults) => {
      await lock.hold(lock.otherExecution('stopped', 'ABORTED'));
      const rival = lock.otherExecution('rival-waiter', 'RUNNING');
      let raceLost = false;
      // The rival's PutItem lands between this execution's DescribeExecution and its own PutItem.
      const rivalTakesOver = onFirstCall(S.takeOverLock, async () => {
        await lock.hold(rival);
        raceLost = true;
      });
      // The rival finishes while this execution waits.
      const rivalFinishes: TaskWrapper = (state, handler) =>
        state !== S.acquireLock
          ? handler
          : async (input) => {
              if (raceLost) {
                raceLost = false;
                await lock.release();
              }
              return handler(input);
            };
      const done = await run(composeFaults(faults, rivalTakesOver, rivalFinishes));
      return { run: done, problems: runProblems(done, { consecutive: [S.takeOverLock, S.waitForLock, S.countLockWait, S.checkLockWaits, S.acquireLock, holding] }) };
    }),
  ];
}

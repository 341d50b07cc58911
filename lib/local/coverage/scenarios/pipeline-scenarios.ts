/**
 * The scenarios of one dataset's pipeline: every way a delivery goes (loaded, loaded with rows
 * quarantined, rejected, empty) and every situation its lock and its load meet (a holder still
 * running, one that stopped, one whose history is gone, a lock released under a waiter, a lost
 * take-over race, a commit conflict, a failing query), each checked for where the run went.
 */
import { pipelineStateMachineName } from '../../../config/names.ts';
import type { Dataset } from '../../../contracts/model.ts';
import { PIPELINE_ERRORS } from '../../../pipeline/pipeline-errors.ts';
import { PIPELINE_STATES as S } from '../../../pipeline/state-names.ts';
import { CommitConflictError } from '../../lake/lake-errors.ts';
import { failureReason } from '../../runtime/local-athena.ts';
import type { LocalPipelineRuntime, PipelineRun } from '../../runtime/pipeline-runtime.ts';
import { stateMachineNamed } from '../../runtime/synthesized-environment.ts';
import { type Deliveries, lines } from './deliveries.ts';
import { failedQuery } from './failed-query.ts';
import { LockSituation } from './lock-situation.ts';
import { runProblems, valueProblems } from './run-expectations.ts';
import type { Scenario } from './scenario.ts';
import { composeFaults, onFirstCall, type TaskWrapper } from './task-faults.ts';

/** When the shipped samples were delivered (contracts/<domain>/samples/README.md). */
export const SAMPLES_DELIVERED_AT = new Date('2026-11-21T06:00:00Z');

export interface PipelineScenarioContext {
  readonly runtime: LocalPipelineRuntime;
  readonly deliveries: Deliveries;
}

export async function pipelineScenarios({ runtime, deliveries }: PipelineScenarioContext, dataset: Dataset): Promise<Scenario[]> {
  const machine = await stateMachineNamed(runtime.environment, pipelineStateMachineName(runtime.environment.identity, dataset));
  const lock = new LockSituation(runtime, machine, S.acquireLock);
  const ref = dataset.names.ref;
  const deliver = (file: string, faults: TaskWrapper): Promise<PipelineRun> =>
    runtime.run(ref, file, { ingestTime: SAMPLES_DELIVERED_AT, wrapTask: faults });
  const scenario = (what: string, execute: Scenario['execute']): Scenario => ({ name: `${ref}: ${what}`, machine: machine.name, execute });

  return [
    scenario('loads a clean file', async (faults) => {
      const run = await deliver(deliveries.clean(dataset), faults);
      return { run, problems: [...runProblems(run, { status: 'SUCCEEDED', endsWith: [S.checkQuarantinedRows, S.loaded] }), ...valueProblems('rows quarantined', run.rowsQuarantined, 0)] };
    }),
    scenario('loads the good rows of a file repeating a record, alerting about the two it quarantines', async (faults) => {
      const file = deliveries.file(dataset, 'repeated', (sample) => `${sample.trimEnd()}\n${lines(sample)[1]}\n`);
      const run = await deliver(file, faults);
      return { run, problems: [...runProblems(run, { status: 'SUCCEEDED', endsWith: [S.alertQuarantined, S.loaded] }), ...valueProblems('rows quarantined', run.rowsQuarantined, 2)] };
    }),
    scenario("rejects a file whose columns are not the contract's", async (faults) => {
      const run = await deliver(deliveries.file(dataset, 'unknown-columns', () => 'nonsense\nx\n'), faults);
      return { run, problems: [...runProblems(run, { status: 'FAILED', states: [S.validate, S.checkValidation, S.alertRejected, S.fileRejected] }), ...valueProblems('rejected', run.rejected, true)] };
    }),
    scenario('has nothing to load from a file without rows', async (faults) => {
      const run = await deliver(deliveries.file(dataset, 'header-only', (sample) => `${lines(sample)[0]}\n`), faults);
      return { run, problems: [...runProblems(run, { status: 'SUCCEEDED', states: [S.validate, S.checkValidation, S.nothingToLoad] }), ...valueProblems('rows loaded', run.rowsLoaded, 0)] };
    }),
    scenario('waits for a lock another running execution holds, then gives up and alerts', async (faults) => {
      await lock.hold(lock.otherExecution('still-loading', 'RUNNING'));
      try {
        const run = await deliver(deliveries.clean(dataset), faults);
        const waits = run.visitedStates.filter((state) => state === S.waitForLock).length;
        return {
          run,
          problems: [
            ...runProblems(run, { status: 'FAILED', error: PIPELINE_ERRORS.failed, endsWith: [S.lockNotAcquired, S.alertFailed, S.pipelineFailed] }),
            ...(waits > 1 ? [] : [`waited ${waits} times for the lock, expected more than once`]),
          ],
        };
      } finally {
        await lock.release();
      }
    }),
    scenario('takes over the lock of an execution that stopped, and loads again with a new token after a commit conflict', async (faults) => {
      await lock.hold(lock.otherExecution('stopped', 'ABORTED'));
      const conflict = failedQuery(failureReason(new CommitConflictError('table', 2, 'another writer committed sequence 2 first')));
      const conflictOnce = onFirstCall(S.load, () => Promise.reject(conflict));
      const run = await deliver(deliveries.clean(dataset), composeFaults(faults, conflictOnce));
      return {
        run,
        problems: runProblems(run, {
          status: 'SUCCEEDED',
          consecutive: [S.checkLockHolderRunning, S.takeOverLock, S.load, S.checkLoadFailure, S.renewLoadToken, S.load, S.releaseLock],
        }),
      };
    }),
    scenario('takes over a lock whose holder Step Functions no longer knows (its history expired)', async (faults) => {
      await lock.hold(lock.otherExecution('long-gone', undefined));
      const run = await deliver(deliveries.clean(dataset), faults);
      return { run, problems: runProblems(run, { status: 'SUCCEEDED', consecutive: [S.describeLockHolder, S.takeOverLock, S.load] }) };
    }),
    scenario('counts a wait and tries again when the holder releases the lock between the failed put and the read', async (faults) => {
      await lock.hold(lock.otherExecution('finishing', 'RUNNING'));
      const run = await deliver(deliveries.clean(dataset), composeFaults(faults, onFirstCall(S.readLockHolder, () => lock.release())));
      return {
        run,
        problems: runProblems(run, { status: 'SUCCEEDED', consecutive: [S.readLockHolder, S.checkLockHeld, S.countLockWait, S.checkLockWaits, S.acquireLock, S.load] }),
      };
    }),
    scenario('goes back to waiting when another waiter takes the stale lock over first, and loads once that one released it', async (faults) => {
      await lock.hold(lock.otherExecution('stopped', 'ABORTED'));
      const rival = lock.otherExecution('rival-waiter', 'RUNNING');
      let raceLost = false;
      // The rival's PutItem lands between this execution's DescribeExecution and its own PutItem.
      const rivalTakesOver = onFirstCall(S.takeOverLock, async () => {
        await lock.hold(rival);
        raceLost = true;
      });
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
      try {
        const run = await deliver(deliveries.clean(dataset), composeFaults(faults, rivalTakesOver, rivalFinishes));
        return {
          run,
          problems: runProblems(run, { status: 'SUCCEEDED', consecutive: [S.takeOverLock, S.waitForLock, S.countLockWait, S.checkLockWaits, S.acquireLock, S.load] }),
        };
      } finally {
        // A run that failed instead of waiting leaves the rival holding the lock: the next scenario starts without it.
        await lock.release();
      }
    }),
    scenario('alerts and fails when the load query fails, releasing the lock', async (faults) => {
      const failing: TaskWrapper = (state, handler) => (state !== S.load ? handler : () => Promise.reject(failedQuery('HIVE_BAD_DATA: not a number')));
      const run = await deliver(deliveries.clean(dataset), composeFaults(faults, failing));
      return {
        run,
        problems: runProblems(run, { status: 'FAILED', error: PIPELINE_ERRORS.failed, endsWith: [S.checkLoadFailure, S.releaseLockAfterFailure, S.alertFailed, S.pipelineFailed] }),
      };
    }),
  ];
}

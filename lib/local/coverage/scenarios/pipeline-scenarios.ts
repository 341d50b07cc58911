/**
 * The scenarios of one dataset's pipeline: every way a delivery goes (loaded, loaded with rows
 * quarantined, rejected, empty), what its load meets (a commit conflict, a failing query) and
 * every situation of its lock (`lockScenarios`), each checked for where the run went.
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
import { lockScenarios } from './lock-scenarios.ts';
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

  const lockSituations = lockScenarios({
    subject: ref,
    machine: machine.name,
    names: S,
    lock,
    run: (faults) => deliver(deliveries.clean(dataset), faults),
    holding: S.load,
    givenUp: [S.writeLineageFailed, S.alertFailed, S.pipelineFailed],
  });
  return [
    scenario('loads a clean file', async (faults) => {
      const run = await deliver(deliveries.clean(dataset), faults);
      return { run, problems: [...runProblems(run, { status: 'SUCCEEDED', endsWith: [S.checkQuarantinedRows, S.writeLineageLoaded, S.loaded] }), ...valueProblems('rows quarantined', run.rowsQuarantined, 0)] };
    }),
    scenario('loads the good rows of a file repeating a record, alerting about the two it quarantines', async (faults) => {
      const file = deliveries.file(dataset, 'repeated', (sample) => `${sample.trimEnd()}\n${lines(sample)[1]}\n`);
      const run = await deliver(file, faults);
      return { run, problems: [...runProblems(run, { status: 'SUCCEEDED', endsWith: [S.alertQuarantined, S.writeLineageLoaded, S.loaded] }), ...valueProblems('rows quarantined', run.rowsQuarantined, 2)] };
    }),
    scenario("rejects a file whose columns are not the contract's", async (faults) => {
      const run = await deliver(deliveries.file(dataset, 'unknown-columns', () => 'nonsense\nx\n'), faults);
      return { run, problems: [...runProblems(run, { status: 'FAILED', states: [S.startLineageRun, S.writeLineageStart, S.validate, S.checkValidation, S.writeLineageRejected, S.alertRejected, S.fileRejected] }), ...valueProblems('rejected', run.rejected, true)] };
    }),
    scenario('has nothing to load from a file without rows', async (faults) => {
      const run = await deliver(deliveries.file(dataset, 'header-only', (sample) => `${lines(sample)[0]}\n`), faults);
      return { run, problems: [...runProblems(run, { status: 'SUCCEEDED', states: [S.startLineageRun, S.writeLineageStart, S.validate, S.checkValidation, S.writeLineageNothingToLoad, S.nothingToLoad] }), ...valueProblems('rows loaded', run.rowsLoaded, 0)] };
    }),
    scenario('loads again with a new request token after a commit conflict', async (faults) => {
      const conflict = failedQuery(failureReason(new CommitConflictError('table', 2, 'another writer committed sequence 2 first')));
      const run = await deliver(deliveries.clean(dataset), composeFaults(faults, onFirstCall(S.load, () => Promise.reject(conflict))));
      return { run, problems: runProblems(run, { status: 'SUCCEEDED', consecutive: [S.load, S.checkLoadFailure, S.renewLoadToken, S.load, S.releaseLock] }) };
    }),
    scenario('alerts and fails when the load query fails, releasing the lock', async (faults) => {
      const failing: TaskWrapper = (state, handler) => (state !== S.load ? handler : () => Promise.reject(failedQuery('HIVE_BAD_DATA: not a number')));
      const run = await deliver(deliveries.clean(dataset), composeFaults(faults, failing));
      return {
        run,
        problems: runProblems(run, { status: 'FAILED', error: PIPELINE_ERRORS.failed, endsWith: [S.checkLoadFailure, S.releaseLockAfterFailure, S.writeLineageFailed, S.alertFailed, S.pipelineFailed] }),
      };
    }),
    ...lockSituations,
  ];
}

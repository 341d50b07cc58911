/**
 * The scenarios of one domain's build: a model whose inputs were never loaded (an error alerted,
 * the others not selected); a full build publishing every model; each model whose test fails on
 * silver rows changed by hand; a `DatasetLoaded` announcement running the models that read the
 * dataset and leaving the others not affected; one no model reads; an empty selection; a lock
 * taken whose answer was lost; and every situation of the build lock (`lockScenarios`).
 */
import { buildStateMachineName } from '../../../config/names.ts';
import type { Dataset, Domain } from '../../../contracts/model.ts';
import { BUILD_ERRORS, BUILD_STATES as S, layerStateName, MODEL_SELECTION_FIELD, modelStateNames } from '../../../pipeline/build-states.ts';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../../../pipeline/dataset-loaded-event.ts';
import { modelStatePrefix } from '../../../transforms/build-plan.ts';
import type { TransformDag, TransformModel } from '../../../transforms/model.ts';
import type { BuildRun, LocalPipelineRuntime } from '../../runtime/pipeline-runtime.ts';
import { stateMachineNamed } from '../../runtime/synthesized-environment.ts';
import { lockScenarios } from './lock-scenarios.ts';
import { answerLost, composeFaults } from './task-faults.ts';
import { LockSituation } from './lock-situation.ts';
import { runProblems, valueProblems } from './run-expectations.ts';
import type { Scenario } from './scenario.ts';
import { updateSilverRows } from './silver-edit.ts';

export interface BuildScenarioContext {
  readonly runtime: LocalPipelineRuntime;
  readonly dag: TransformDag;
  /** A folder for DuckDB's files when silver rows are changed by hand. */
  readonly scratch: string;
}

/** A change to the inputs' column that fails one of the model's error-severity tests on that column. */
interface Breakage {
  /** Every input holding the column: which one the model passes it on from is in its SQL, not known here. */
  readonly datasets: readonly Dataset[];
  readonly column: string;
  readonly test: string;
  /** DuckDB SQL for the column's new value. */
  readonly value: string;
}

/**
 * A column the model tests under the same name as a column of a dataset it reads (passed through):
 * a value outside an `accepted_values` list, else a null under `not_null`.
 */
function breakageOf(model: TransformModel): Breakage | undefined {
  const inputs = [...model.resolved.values()].flatMap((target) => (target.kind === 'dataset' ? [target.dataset] : []));
  const readFrom = (column: string, type?: string): Dataset[] =>
    inputs.filter((dataset) => dataset.columns.some((candidate) => candidate.name === column && (type === undefined || candidate.logicalType === type)));
  const tests = model.tests.filter((test) => test.severity === 'error' && test.column !== null);
  for (const test of tests.filter((candidate) => candidate.kind === 'accepted_values')) {
    const datasets = readFrom(test.column!, 'string');
    if (datasets.length > 0) return { datasets, column: test.column!, test: test.name, value: `'not an accepted value'` };
  }
  for (const test of tests.filter((candidate) => candidate.kind === 'not_null')) {
    const datasets = readFrom(test.column!);
    if (datasets.length > 0) return { datasets, column: test.column!, test: test.name, value: 'NULL' };
  }
  return undefined;
}

const statuses = (run: BuildRun): Record<string, string> => Object.fromEntries(run.models.map((model) => [model.model, model.status]));

/** The event a pipeline puts after loading `dataset`, which starts the builds reading it. */
function datasetLoaded(dataset: Dataset): { source: string; 'detail-type': string; detail: { dataset: string } } {
  return { source: LAKEHOUSE_EVENT_SOURCE, 'detail-type': DATASET_LOADED_DETAIL_TYPE, detail: { dataset: dataset.names.ref } };
}

const readsDataset = (model: TransformModel, dataset: Dataset): boolean =>
  [...model.resolved.values()].some((target) => target.kind === 'dataset' && target.dataset.names.ref === dataset.names.ref);

/** Scenarios that must run before any pipeline loaded the domain's inputs. */
export async function unloadedBuildScenarios({ runtime, dag }: BuildScenarioContext, domain: Domain): Promise<Scenario[]> {
  const [first, ...others] = dag.models.filter((model) => model.domain === domain.name);
  if (first === undefined) return [];
  const machine = await stateMachineNamed(runtime.environment, buildStateMachineName(runtime.environment.identity, domain.name));
  return [
    {
      name: `${domain.name} build: alerts about a selected model whose inputs were never loaded, leaving the others unselected`,
      machine: machine.name,
      execute: async (faults) => {
        const [run] = await runtime.build(first.id, { wrapTask: faults });
        return {
          run: run!,
          problems: [
            ...runProblems(run!, { status: 'FAILED', error: BUILD_ERRORS.modelsFailed, endsWith: [S.checkModels, S.modelsFailed] }),
            ...valueProblems('model outcomes', statuses(run!), Object.fromEntries([[first.id, 'error'], ...others.map((model) => [model.id, 'not-selected'])])),
          ],
        };
      },
    },
  ];
}

export async function buildScenarios({ runtime, dag, scratch }: BuildScenarioContext, domain: Domain): Promise<Scenario[]> {
  const models = dag.models.filter((model) => model.domain === domain.name);
  const last = models.at(-1);
  if (last === undefined) return [];
  const machine = await stateMachineNamed(runtime.environment, buildStateMachineName(runtime.environment.identity, domain.name));
  const subject = `${domain.name} build`;
  const scenario = (what: string, execute: Scenario['execute']): Scenario => ({ name: `${subject}: ${what}`, machine: machine.name, execute });
  const datasets = runtime.environment.catalog.domains.flatMap((candidate) => candidate.datasets);
  // Announcements of datasets the domain's models read, until each model was started by one.
  const announced: Dataset[] = [];
  for (const model of models) {
    const input = datasets.find((dataset) => readsDataset(model, dataset));
    if (input !== undefined && !announced.some((dataset) => readsDataset(model, dataset))) announced.push(input);
  }
  const unread = datasets.find((dataset) => !models.some((model) => readsDataset(model, dataset)));
  const states = (model: TransformModel) => modelStateNames(modelStatePrefix(model));
  const lock = new LockSituation(runtime, machine, S.acquireLock);

  return [
    scenario('publishes every model in a full build', async (faults) => {
      const run = await runtime.buildDomain(domain.name, {}, { wrapTask: faults });
      return {
        run,
        problems: [
          ...runProblems(run, { status: 'SUCCEEDED', endsWith: [S.checkModels, S.built] }),
          ...valueProblems('model outcomes', statuses(run), Object.fromEntries(models.map((model) => [model.id, 'published']))),
        ],
      };
    }),
    ...models.flatMap((model) => {
      const breakage = breakageOf(model);
      if (breakage === undefined) return [];
      return [
        scenario(`fails ${model.id}, whose test ${breakage.test} fails once ${breakage.datasets.map((dataset) => dataset.names.ref).join(', ')} rows were changed by hand in silver`, async (faults) => {
          const undos: (() => Promise<void>)[] = [];
          for (const dataset of breakage.datasets) undos.push(await updateSilverRows(runtime, dataset, breakage.column, breakage.value, scratch));
          try {
            const [run] = await runtime.build(model.id, { wrapTask: faults });
            return {
              run: run!,
              problems: [
                ...runProblems(run!, { status: 'FAILED', error: BUILD_ERRORS.modelsFailed, endsWith: [S.checkModels, S.modelsFailed] }),
                ...valueProblems(`outcome of ${model.id}`, statuses(run!)[model.id], 'failed'),
              ],
            };
          } finally {
            for (const undo of undos.reverse()) await undo();
          }
        }),
      ];
    }),
    ...announced.map((dataset) =>
      scenario(`runs the models reading ${dataset.names.ref} when its pipeline announces a load, the others not affected`, async (faults) => {
        const run = await runtime.buildDomain(domain.name, datasetLoaded(dataset), { wrapTask: faults });
        const reading = models.filter((model) => readsDataset(model, dataset));
        return {
          run,
          problems: runProblems(run, {
            status: 'SUCCEEDED',
            includes: [...reading.map((model) => states(model).published), ...models.filter((model) => !reading.includes(model)).map((model) => states(model).notAffected)],
          }),
        };
      }),
    ),
    ...(unread === undefined
      ? []
      : [
          scenario(`leaves every model not affected when ${unread.names.ref}, which none reads, announces a load`, async (faults) => {
            const run = await runtime.buildDomain(domain.name, datasetLoaded(unread), { wrapTask: faults });
            return { run, problems: runProblems(run, { status: 'SUCCEEDED', includes: [...models.map((model) => states(model).notAffected), S.built] }) };
          }),
        ]),
    scenario('runs no model when started with an empty selection', async (faults) => {
      const run = await runtime.buildDomain(domain.name, { [MODEL_SELECTION_FIELD]: {} }, { wrapTask: faults });
      return { run, problems: runProblems(run, { status: 'SUCCEEDED', includes: [...models.map((model) => states(model).notSelected), S.built] }) };
    }),
    // The only way into the failure path holding the lock: a layer cannot fail (every Task of a branch catches).
    scenario('releases the lock it took when the answer to its put was lost, then alerts and fails', async (faults) => {
      const [run] = await runtime.build(last.id, { wrapTask: composeFaults(faults, answerLost(S.acquireLock, 'States.Timeout')) });
      return {
        run: run!,
        problems: [
          ...runProblems(run!, { status: 'FAILED', error: BUILD_ERRORS.failed, consecutive: [S.acquireLock, S.releaseLockAfterFailure, S.alertFailed, S.buildFailed] }),
          ...valueProblems('lock holder after the run', (await lock.holder()) ?? 'none', 'none'),
        ],
      };
    }),
    ...lockScenarios({
      subject,
      machine: machine.name,
      names: S,
      lock,
      run: async (faults) => (await runtime.build(last.id, { wrapTask: faults }))[0]!,
      holding: layerStateName(1),
      givenUp: [S.alertFailed, S.buildFailed],
    }),
  ];
}

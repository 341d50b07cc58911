/**
 * The scenarios of an ML model's promotion machine, each one approval event delivered as the
 * synthesized rule delivers it: the first approved version promoted while the environment's
 * current-version parameter does not exist yet; the same event again (AlreadyPromoted); a newer
 * version promoted over the current one; a promotion whose feature table has no snapshot
 * (failed and alerted); and one SageMaker describes as no numbered version of the group (refused,
 * alerted). Each needs a version the environment does not serve yet, so it registers
 * one with the model of the newest version (training one first when the group has none): set-up,
 * not a run of the promotion machine. Failures of the services are reached by the coverage run
 * (`reachCatchers`).
 */
import { randomUUID } from 'node:crypto';
import { currentModelVersionParameterName, glueDatabaseName, modelPackageGroupName, promotionStateMachineName } from '../../../config/names.ts';
import { loadMlModels } from '../../../ml/load.ts';
import type { MlModel } from '../../../ml/model.ts';
import type { ModelVersion } from '../../../ml/model-registry.ts';
import { PROMOTION_ERRORS, PROMOTION_STATES as S } from '../../../ml/promotion-states.ts';
import { workspaceModelRegistry } from '../../ml/workspace-registry.ts';
import { LocalParameterStore } from '../../runtime/local-parameter-store.ts';
import type { LocalPipelineRuntime, PromotionRun } from '../../runtime/pipeline-runtime.ts';
import type { JsonObject } from '../../stepfunctions/json.ts';
import { type ExpectedRun, runProblems, valueProblems } from './run-expectations.ts';
import type { Scenario, ScenarioOutcome } from './scenario.ts';
import { composeFaults, type TaskWrapper } from './task-faults.ts';

export interface PromotionScenarioContext {
  readonly runtime: LocalPipelineRuntime;
}

/** The snapshot query answers its header only, as for a table its owner created and nothing ever wrote. */
const noFeatureSnapshot: TaskWrapper = (state, handler) =>
  state !== S.readFeatureSnapshot
    ? handler
    : async (input) => {
        const response = (await handler(input)) as JsonObject & { ResultSet: JsonObject & { Rows: unknown[] } };
        return { ...response, ResultSet: { ...response.ResultSet, Rows: response.ResultSet.Rows.slice(0, 1) } };
      };

/** DescribeModelPackage answers a version number that is no number, as no SageMaker does: what the check refuses. */
const versionNotANumber: TaskWrapper = (state, handler) =>
  state !== S.describeVersion
    ? handler
    : async (input) => {
        const response = (await handler(input)) as JsonObject;
        return { ...response, ModelPackageVersion: `${String(response['ModelPackageVersion'])}' AS integer), 0, '', '', now() --` };
      };

function outcomeOf(runs: readonly PromotionRun[], expected: ExpectedRun, predictions?: number): ScenarioOutcome {
  const [run, ...others] = runs;
  if (run === undefined) throw new Error('the approval event reached no promotion execution: the rule did not match it');
  const scenarioRun = { status: run.status, ...(run.error === undefined ? {} : { error: run.error }), visitedStates: run.states.map((visit) => visit.state) };
  return {
    run: scenarioRun,
    problems: [
      ...runProblems(scenarioRun, expected),
      ...valueProblems('promotion executions per event', others.length + 1, 1),
      ...(predictions === undefined ? [] : valueProblems('predictions inserted', run.predictions.rows, predictions)),
    ],
  };
}

function modelScenarios(runtime: LocalPipelineRuntime, model: MlModel): Scenario[] {
  const { identity } = runtime.environment;
  const group = modelPackageGroupName(identity, model.domain, model.name);
  const registry = workspaceModelRegistry(runtime.paths, identity);
  const parameters = new LocalParameterStore(runtime.paths.parameters);
  const [featureDomain, featureTable] = model.featureModel.split('/') as [string, string];
  const featureRows = (): number => runtime.lake.currentSnapshot(glueDatabaseName(identity, featureDomain), featureTable).summary.totalRows;
  const current = (): string | undefined => parameters.read(currentModelVersionParameterName(identity, model.domain, model.name))?.Value;

  /** A version registered Approved that the environment does not serve: the newest one's model under a new run id. */
  const newApprovedVersion = async (): Promise<ModelVersion> => {
    if ((await registry.listVersions(group)).length === 0) {
      const trained = await runtime.train(model.id);
      if (trained.record?.outcome['status'] !== 'registered') throw new Error(`training ${model.id} registered no version to promote (${trained.status}, ${JSON.stringify(trained.record?.outcome ?? null)})`);
    }
    const newest = (await registry.listVersions(group)).at(-1)!;
    return registry.register({
      group,
      lineage: { ...newest.lineage, runId: randomUUID() },
      metrics: newest.metrics,
      metricsDocument: newest.metricsDocument,
      artifact: newest.artifact,
      image: newest.image,
      approval: 'auto',
    });
  };
  const scenario = (what: string, execute: Scenario['execute']): Scenario => ({
    name: `${model.id} promotion: ${what}`,
    machine: promotionStateMachineName(identity, model.domain, model.name),
    execute,
  });

  return [
    scenario('promotes the first approved version while no version was ever recorded as current', async (faults) => {
      const setUp = valueProblems('the current version before the first promotion', current() ?? null, null);
      const version = await newApprovedVersion();
      const outcome = outcomeOf(await runtime.modelVersionChanged(model.id, version.version, { wrapTask: faults }), {
        status: 'SUCCEEDED',
        consecutive: [S.describeVersion, S.checkVersion, S.readCurrentVersion, S.noCurrentVersion, S.checkCurrentVersion, S.createModel],
        endsWith: [S.insertPredictions, S.recordCurrentVersion, S.promoted],
      }, featureRows());
      return { run: outcome.run, problems: [...setUp, ...outcome.problems, ...valueProblems('the current version after it', current(), version.arn)] };
    }),
    scenario('ends AlreadyPromoted, inserting nothing, when the approval of the current version arrives again', async (faults) => {
      const served = (await registry.listVersions(group)).find((version) => version.arn === current());
      if (served === undefined) throw new Error('no version is recorded as current: the first promotion did not run');
      return outcomeOf(await runtime.modelVersionChanged(model.id, served.version, { wrapTask: faults }), { status: 'SUCCEEDED', endsWith: [S.checkCurrentVersion, S.alreadyPromoted] }, 0);
    }),
    scenario('promotes a newer approved version over the current one', async (faults) => {
      const version = await newApprovedVersion();
      const outcome = outcomeOf(await runtime.modelVersionChanged(model.id, version.version, { wrapTask: faults }), {
        status: 'SUCCEEDED',
        consecutive: [S.describeVersion, S.checkVersion, S.readCurrentVersion, S.checkCurrentVersion, S.createModel],
        endsWith: [S.transform, S.insertPredictions, S.recordCurrentVersion, S.promoted],
      }, featureRows());
      return { run: outcome.run, problems: [...outcome.problems, ...valueProblems('the current version after it', current(), version.arn)] };
    }),
    scenario('fails, alerted, when its feature table has no snapshot to score, and the environment keeps its version', async (faults) => {
      const served = current();
      const version = await newApprovedVersion();
      const outcome = outcomeOf(await runtime.modelVersionChanged(model.id, version.version, { wrapTask: composeFaults(faults, noFeatureSnapshot) }), {
        status: 'FAILED',
        error: PROMOTION_ERRORS.failed,
        consecutive: [S.checkFeatureSnapshot, S.noFeatureData, S.alertFailed, S.promotionFailed],
      }, 0);
      return { run: outcome.run, problems: [...outcome.problems, ...valueProblems('the current version after it', current(), served)] };
    }),
    scenario('fails, alerted, when SageMaker describes no numbered version of its group', async (faults) => {
      const served = current();
      const version = await newApprovedVersion();
      const outcome = outcomeOf(await runtime.modelVersionChanged(model.id, version.version, { wrapTask: composeFaults(faults, versionNotANumber) }), {
        status: 'FAILED',
        error: PROMOTION_ERRORS.failed,
        consecutive: [S.describeVersion, S.checkVersion, S.versionRefused, S.alertFailed, S.promotionFailed],
      }, 0);
      return { run: outcome.run, problems: [...outcome.problems, ...valueProblems('the current version after it', current(), served)] };
    }),
  ];
}

/** The promotion scenarios of every ML model of the environment's contracts, run after their feature tables were built. */
export async function promotionScenarios({ runtime }: PromotionScenarioContext): Promise<Scenario[]> {
  const { identity, modelCatalog } = runtime.environment;
  const models = await loadMlModels(modelCatalog, () => ({ organization: identity.organization, environments: [{ name: identity.environment }] }));
  return models.map((model) => modelScenarios(runtime, model)).flat();
}

/**
 * An ML model's promotion offline: a SageMaker Model Package State Change event goes where the
 * synthesized EventBridge rules send it, so only an event the model's promotion rule matches (an
 * approval in its group) starts the synthesized promotion machine, with the input the rule's
 * target gives. Its Tasks run on local stand-ins: SSM on the workspace's parameter store,
 * DescribeModelPackage on the local registry (the version's approval as it is at that moment,
 * whatever the event says), CreateModel and the batch transform on the local model, the Athena
 * statements on the local lake (`promotionQueries`), whose predictions table is created as the
 * app's Iceberg table custom resource declares it.
 */
import { glueDatabaseName, inferenceOutputTableName, modelPackageGroupName, predictionsTableName, promotionStateMachineName } from '../../config/names.ts';
import type { MlModel } from '../../ml/model.ts';
import { modelPackageStateChange, type ModelPackageStateChangeEvent } from '../../ml/model-package-state-change.ts';
import { predictionKeyColumns } from '../../ml/prediction-queries.ts';
import type { FeatureTable } from '../../ml/training-queries.ts';
import { workspaceModelRegistry } from '../ml/workspace-registry.ts';
import type { SynthesizedStateMachine } from '../stepfunctions/definitions.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { openBuildConnection } from './build-connection.ts';
import { deliveriesTo, EVENT_RULE_TYPE } from './event-rule-delivery.ts';
import type { ExecutionEngine, ExecutionOptions } from './execution-engine.ts';
import { externalTableLocation } from './external-table-location.ts';
import { ensureIcebergTable, synthesizedIcebergTable } from './iceberg-table-owner.ts';
import type { LocalIntegrations } from './integrations.ts';
import { describeModelPackageTask } from './describe-model-package-task.ts';
import { LocalParameterStore } from './local-parameter-store.ts';
import { LocalSageMakerModels } from './local-sagemaker-models.ts';
import type { LocalServices } from './local-services.ts';
import { machineRun, type MachineRun } from './machine-run.ts';
import { promotionQueries } from './promotion-query.ts';
import { stateMachineNamed } from './synthesized-environment.ts';
import { transformJobTask } from './transform-job-task.ts';

export interface PromotionRun extends MachineRun {
  readonly model: MlModel;
  /** The predictions table (`<database>.<table>`) and the rows this execution inserted into it. */
  readonly predictions: { readonly table: string; readonly rows: number };
}

export class PromotionService {
  constructor(
    private readonly engine: ExecutionEngine,
    private readonly services: LocalServices,
    /** The ML model `<domain>/<model>` of the contracts (`UnknownModelError` otherwise). */
    private readonly models: (ref: string) => Promise<MlModel>,
  ) {}

  /**
   * Puts `event` on the default bus: one promotion execution per delivery of the synthesized rules
   * to the model's promotion machine, none when no rule matches it (a rejection, another group).
   */
  async deliver(ref: string, event: ModelPackageStateChangeEvent, options: ExecutionOptions = {}): Promise<PromotionRun[]> {
    const model = await this.models(ref);
    const { environment } = this.services;
    const machine = await stateMachineNamed(environment, promotionStateMachineName(environment.identity, model.domain, model.name));
    const deliveries = deliveriesTo(await environment.resources(EVENT_RULE_TYPE), machine.arn, event as unknown as JsonValue);
    const runs: PromotionRun[] = [];
    for (const delivery of deliveries) runs.push(await this.promote(model, machine, delivery.input, options));
    return runs;
  }

  /**
   * Delivers the state change event SageMaker emits for `version` of the model as it is now (on
   * its registration, or a change of its approval).
   */
  async versionChanged(ref: string, version: number, options: ExecutionOptions = {}): Promise<PromotionRun[]> {
    const model = await this.models(ref);
    const { identity } = this.services.environment;
    const described = await workspaceModelRegistry(this.services.paths, identity).describeVersion(modelPackageGroupName(identity, model.domain, model.name), version);
    return this.deliver(ref, modelPackageStateChange(described, { account: identity.account, region: identity.region, time: new Date() }), options);
  }

  private async promote(model: MlModel, machine: SynthesizedStateMachine, input: JsonValue, options: ExecutionOptions): Promise<PromotionRun> {
    const { environment, lake, athena, s3, paths } = this.services;
    const { identity } = environment;
    const database = glueDatabaseName(identity, model.domain);
    const [featureDomain, featureName] = model.featureModel.split('/') as [string, string];
    const featureTable: FeatureTable = { database: glueDatabaseName(identity, featureDomain), table: featureName };
    const outputTable: FeatureTable = { database, table: inferenceOutputTableName(model.name) };
    const predictions = await synthesizedIcebergTable(environment, database, predictionsTableName(model.name));
    // The custom resource created the table when the stack deployed, before any approval.
    ensureIcebergTable(lake, predictions);
    const sageMakerModels = new LocalSageMakerModels(paths.sageMakerModels, identity);
    const parameters = new LocalParameterStore(paths.parameters);
    let inserted = 0;
    const connection = await openBuildConnection(lake);
    try {
      const query = promotionQueries({
        model,
        featureTable,
        predictionsTable: predictions,
        outputTable,
        keyColumns: predictionKeyColumns(model, predictions.columns),
        outputLocation: await externalTableLocation(environment, outputTable),
        lake,
        connection: connection.connection,
        scratch: connection.scratch,
        s3: s3.client,
        onInserted: (rows) => {
          inserted += rows;
        },
      });
      const integrations: LocalIntegrations = {
        'athena:startQueryExecution.sync': (state) => (request) => athena.startQueryExecutionSync(request, query(state.name)),
        'ssm:getParameter': () => (request) => parameters.getParameter(request),
        'ssm:putParameter': () => (request) => parameters.putParameter(request),
        'sagemaker:describeModelPackage': () => describeModelPackageTask(workspaceModelRegistry(paths, identity)),
        'sagemaker:createModel': () => (request) => sageMakerModels.createModel(request),
        'sagemaker:createTransformJob.sync': () => transformJobTask({ s3: s3.client, models: sageMakerModels, scratch: connection.scratch, environment: identity }),
      };
      const outcome = await this.engine.execute({ machine, input, integrations }, options);
      return { model, ...machineRun(machine, outcome), predictions: { table: `${predictions.database}.${predictions.table}`, rows: inserted } };
    } finally {
      connection.close();
    }
  }
}

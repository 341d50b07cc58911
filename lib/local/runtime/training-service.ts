/**
 * An ML model's training offline: its synthesized training state machine run on the engine, as
 * `lakehouse build` runs a build. The Athena statements run on the local lake (`trainingQueries`),
 * the training job on the local trainer (`trainingJobTask`), Register is the register function's
 * own handler on the workspace's local registry with the settings the synthesized function has,
 * the metrics and run records go to the local S3 server's audit bucket, and each run's row to the
 * lake's `ml_runs`.
 */
import {
  glueDatabaseName,
  ML_RUNS_TABLE,
  registerFunctionName,
  TRAINING_RUN_RECORD_FILE,
  trainingRunRecordKey,
  trainingRunRecordsPrefix,
  trainingRunRecordsTableName,
  trainingStateMachineName,
} from '../../config/names.ts';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import { readRegisterSettings } from '../../../lambdas/register-model/settings.ts';
import { loadMlModels } from '../../ml/load.ts';
import type { MlModel } from '../../ml/model.ts';
import type { FeatureTable } from '../../ml/training-queries.ts';
import { TRAINING_STATES } from '../../ml/training-states.ts';
import { workspaceModelRegistry } from '../ml/workspace-registry.ts';
import type { JsonObject } from '../stepfunctions/json.ts';
import { openBuildConnection } from './build-connection.ts';
import type { ExecutionEngine, ExecutionOptions } from './execution-engine.ts';
import type { LocalIntegrations } from './integrations.ts';
import type { LocalServices } from './local-services.ts';
import { ensureIcebergTable, synthesizedIcebergTable } from './iceberg-table-owner.ts';
import { machineRun, type MachineRun } from './machine-run.ts';
import { putObjectTask } from './put-object-task.ts';
import { registerTask } from './register-task.ts';
import { UnknownModelError } from './runtime-errors.ts';
import { stateMachineNamed } from './synthesized-environment.ts';
import { trainingJobTask } from './training-job-task.ts';
import { trainingQueries } from './training-query.ts';
import { listKeys, readJsonObject } from './zone-objects.ts';

/** A run record as the machine writes it to the audit zone (README, "lakehouse models runs"). */
export type TrainingRunRecord = JsonObject & { readonly runId: string; readonly startedAt: string; readonly outcome: JsonObject };

/** A run record with the duration its `ml_runs` row measured; null when the run has no row. */
export type TrackedTrainingRun = TrainingRunRecord & { readonly durationMs: number | null };

export interface TrainingRun extends MachineRun {
  readonly model: MlModel;
  /** What the run recorded; undefined only when even its record could not be written. */
  readonly record?: TrainingRunRecord;
}

const RECORD_STATES: readonly string[] = [TRAINING_STATES.recordRun, TRAINING_STATES.recordFailedRun];

export class TrainingService {
  private models: Promise<readonly MlModel[]> | undefined;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly services: LocalServices,
  ) {}

  /** The ML model `<domain>/<model>` of the contracts; `UnknownModelError` with a did-you-mean otherwise. */
  async model(ref: string): Promise<MlModel> {
    const { environment } = this.services;
    this.models ??= loadMlModels(environment.modelCatalog, () => ({
      organization: environment.identity.organization,
      environments: [{ name: environment.identity.environment }],
    }));
    const models = await this.models;
    const found = models.find((model) => model.id === ref);
    if (found === undefined) throw new UnknownModelError(ref, models.map((model) => model.id));
    return found;
  }

  /** Runs the model's synthesized training machine once: a new run, registered, below threshold or failed. */
  async train(ref: string, options: ExecutionOptions = {}): Promise<TrainingRun> {
    const model = await this.model(ref);
    const { environment, lake, athena, s3 } = this.services;
    const { identity } = environment;
    const machine = await stateMachineNamed(environment, trainingStateMachineName(identity, model.domain, model.name));
    const functionName = registerFunctionName(identity, model.domain, model.name);
    const variables = await environment.functionEnvironment(functionName);
    if (variables === undefined) throw new Error(`the synthesized ${identity.environment} environment has no function '${functionName}'`);
    const [featureDomain, featureName] = model.featureModel.split('/') as [string, string];
    const featureTable: FeatureTable = { database: glueDatabaseName(identity, featureDomain), table: featureName };
    // The custom resource created the domain's ml_runs when the stack deployed, before any run.
    ensureIcebergTable(lake, await synthesizedIcebergTable(environment, glueDatabaseName(identity, model.domain), ML_RUNS_TABLE));
    const connection = await openBuildConnection(lake);
    let record: TrainingRunRecord | undefined;
    try {
      const query = trainingQueries({
        model,
        featureTable,
        lake,
        connection: connection.connection,
        scratch: connection.scratch,
        s3: s3.client,
        auditBucket: this.services.buckets.audit,
        recordsTable: { database: glueDatabaseName(identity, model.domain), table: trainingRunRecordsTableName(model.name) },
      });
      const putObject = putObjectTask(s3.client);
      const integrations: LocalIntegrations = {
        'athena:startQueryExecution.sync': (state) => (request) => athena.startQueryExecutionSync(request, query(state.name)),
        'sagemaker:createTrainingJob.sync': () => trainingJobTask({ s3: s3.client, connection: connection.connection, scratch: connection.scratch }),
        'lambda:invoke': () =>
          registerTask({ registry: workspaceModelRegistry(this.services.paths, identity), settings: readRegisterSettings(variables), functionName }),
        's3:putObject': (state) => async (request) => {
          const response = await putObject(request);
          // The record the run wrote, as `models runs` reads it back.
          if (RECORD_STATES.includes(state.name)) record = (request as { Body: TrainingRunRecord }).Body;
          return response;
        },
      };
      const outcome = await this.engine.execute({ machine, input: {}, integrations }, options);
      return {
        model,
        ...machineRun(machine, outcome),
        ...(record === undefined ? {} : { record }),
      };
    } finally {
      connection.close();
    }
  }

  /** Every run record of the model in the audit zone, newest first, each with its duration from `ml_runs`. */
  async runs(ref: string): Promise<TrackedTrainingRun[]> {
    const model = await this.model(ref);
    const { s3, buckets } = this.services;
    const prefix = trainingRunRecordsPrefix(model.domain, model.name);
    const keys = await listKeys(s3.client, buckets.audit, prefix);
    // Only `<run id>/run.json` under the prefix is a record.
    const recordKeys = keys.filter((key) => key === trainingRunRecordKey(model.domain, model.name, key.slice(prefix.length, -`/${TRAINING_RUN_RECORD_FILE}`.length)));
    const records = await Promise.all(recordKeys.map((key) => readJsonObject<TrainingRunRecord>(s3.client, buckets.audit, key)));
    const durations = await this.durations(model);
    return records
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))
      .map((record) => ({ ...record, durationMs: durations.get(record.runId) ?? null }));
  }

  /** `duration_ms` by run id of the model's rows in its domain's `ml_runs`; none while the lake has no such table. */
  private async durations(model: MlModel): Promise<Map<string, number>> {
    const { lake, environment } = this.services;
    const database = glueDatabaseName(environment.identity, model.domain);
    if (!lake.hasTable(database, ML_RUNS_TABLE)) return new Map();
    const connection = await openBuildConnection(lake);
    try {
      const reader = await connection.connection.runAndReadAll(
        `SELECT run_id, duration_ms FROM ${quoteIdentifier(database)}.${quoteIdentifier(ML_RUNS_TABLE)} WHERE model = ${quoteString(model.id)}`,
      );
      return new Map(reader.getRows().map(([runId, duration]) => [String(runId), Number(duration)]));
    } finally {
      connection.close();
    }
  }
}

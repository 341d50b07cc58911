/**
 * A prediction's lineage offline (`models lineage`): the newest row of the model's
 * `<model>_predictions` in the local lake for a key (with the version's ARN and the feature
 * snapshot it was scored from), the registry version that scored it, the training run that
 * registered that version (its record and `ml_runs` row), the training set and feature snapshots
 * it learned from, and the contract versions of the feature model's inputs.
 */
import { glueDatabaseName, modelPackageGroupName, predictionsTableName } from '../../config/names.ts';
import type { MlModel } from '../../ml/model.ts';
import { type ModelRegistry, type ModelVersion, ModelVersionNotFoundError } from '../../ml/model-registry.ts';
import { parsePredictionKey, type PredictionKey } from '../../ml/prediction-key.ts';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import { workspaceModelRegistry } from '../ml/workspace-registry.ts';
import { openBuildConnection } from './build-connection.ts';
import type { LocalServices } from './local-services.ts';
import type { TrackedTrainingRun } from './training-service.ts';

/** One row of `<model>_predictions`, as its promotion run wrote it. */
export interface ScoredPrediction {
  readonly key: PredictionKey;
  readonly score: number;
  readonly predictedAt: string;
  /** The promotion run that scored it. */
  readonly batch: string;
  readonly version: number;
  /** The Model Package ARN promotion described and scored with. */
  readonly modelPackageArn: string;
  /** The feature table's snapshot the batch was unloaded at (not the training snapshot). */
  readonly featureSnapshotId: string;
}

/** `models lineage --json` when the prediction was found (README, "ML lineage"). */
export interface PredictionLineage {
  readonly model: string;
  readonly prediction: ScoredPrediction;
  readonly version: {
    readonly version: number;
    readonly arn: string;
    readonly approval: string;
    readonly metrics: Readonly<Record<string, number>>;
    readonly createdAt: string;
    readonly gitRevision: string;
  };
  /** Null when the version's run left no record. */
  readonly run: {
    readonly runId: string;
    readonly startedAt: string;
    readonly durationMs: number | null;
    readonly outcome: unknown;
    readonly parameters: unknown;
    readonly execution: unknown;
  } | null;
  readonly trainingSet: { readonly location: string; readonly featureSnapshotId: string; readonly snapshots: Readonly<Record<string, string>> };
  readonly contracts: Readonly<Record<string, string>>;
}

/** One scoring run of the predictions table: the batches a key could have been looked up in. */
export interface PredictionBatch {
  readonly batch: string;
  readonly version: number;
  readonly predictedAt: string;
  readonly rows: number;
}

/**
 * `found` is whether the lineage could be traced. It cannot when no prediction has the key, or
 * when the registry's version of that number is not the package that scored the prediction (its
 * ARN differs, or the registry has no such version: a lake from another environment or account,
 * a recreated group): the version, run and training set read from this registry would be another
 * model's, so they are not reported as this prediction's.
 */
export type LineageResult =
  | { readonly found: true; readonly lineage: PredictionLineage }
  | { readonly found: false; readonly reason: 'no-prediction'; readonly model: string; readonly key: PredictionKey; readonly batches: readonly PredictionBatch[] }
  | {
      readonly found: false;
      readonly reason: 'version-mismatch';
      readonly model: string;
      readonly key: PredictionKey;
      readonly prediction: ScoredPrediction;
      readonly group: string;
      /** The ARN of the registry's version of that number; null when the registry has none. */
      readonly registryArn: string | null;
    };

/** A lake timestamp (`2026-12-05 15:00:00.25`, UTC) in ISO-8601. */
function isoTimestamp(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}

/** The group's version `version`, or undefined when the registry has none. */
async function registeredVersion(registry: Pick<ModelRegistry, 'describeVersion'>, group: string, version: number): Promise<ModelVersion | undefined> {
  try {
    return await registry.describeVersion(group, version);
  } catch (error) {
    if (error instanceof ModelVersionNotFoundError) return undefined;
    throw error;
  }
}

export class PredictionLineageService {
  constructor(
    private readonly services: LocalServices,
    private readonly models: (ref: string) => Promise<MlModel>,
    private readonly runs: (ref: string) => Promise<TrackedTrainingRun[]>,
  ) {}

  /** The lineage of `<domain>/<model>`'s newest prediction for `keyText`; `PredictionKeyError` for a key that names none. */
  async trace(ref: string, keyText: string): Promise<LineageResult> {
    const model = await this.models(ref);
    const key = parsePredictionKey(model, keyText);
    const { lake, paths, environment } = this.services;
    const { identity } = environment;
    const database = glueDatabaseName(identity, model.domain);
    const table = predictionsTableName(model.name);
    if (!lake.hasTable(database, table)) return { found: false, reason: 'no-prediction', model: model.id, key, batches: [] };
    const relation = `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
    const connection = await openBuildConnection(lake);
    let rows: Record<string, unknown>[];
    let batches: PredictionBatch[];
    try {
      // Compared as text: the key is typed as the feature table types it, the user gives text.
      const where = model.key.map((column) => `CAST(${quoteIdentifier(column)} AS VARCHAR) = ${quoteString(key[column]!)}`).join(' AND ');
      rows = (await connection.connection.runAndReadAll(
        `SELECT score, model_package_arn, model_version, feature_snapshot_id, run_id, CAST(predicted_at AS VARCHAR) AS predicted_at FROM ${relation} WHERE ${where} ORDER BY predicted_at DESC, run_id LIMIT 1`,
      )).getRowObjectsJson() as Record<string, unknown>[];
      batches = (await connection.connection.runAndReadAll(
        `SELECT run_id, model_version, CAST(min(predicted_at) AS VARCHAR) AS predicted_at, count(*) AS rows FROM ${relation} GROUP BY run_id, model_version ORDER BY min(predicted_at)`,
      )).getRowObjectsJson().map((row) => ({
        batch: String(row['run_id']),
        version: Number(row['model_version']),
        predictedAt: isoTimestamp(String(row['predicted_at'])),
        rows: Number(row['rows']),
      }));
    } finally {
      connection.close();
    }
    const [row] = rows;
    if (row === undefined) return { found: false, reason: 'no-prediction', model: model.id, key, batches };

    const prediction: ScoredPrediction = {
      key,
      score: Number(row['score']),
      predictedAt: isoTimestamp(String(row['predicted_at'])),
      batch: String(row['run_id']),
      version: Number(row['model_version']),
      modelPackageArn: String(row['model_package_arn']),
      featureSnapshotId: String(row['feature_snapshot_id']),
    };
    const group = modelPackageGroupName(identity, model.domain, model.name);
    const version = await registeredVersion(workspaceModelRegistry(paths, identity), group, prediction.version);
    if (version?.arn !== prediction.modelPackageArn) {
      return { found: false, reason: 'version-mismatch', model: model.id, key, prediction, group, registryArn: version?.arn ?? null };
    }
    const run = (await this.runs(ref)).find((candidate) => candidate.runId === version.lineage.runId);
    return {
      found: true,
      lineage: {
        model: model.id,
        prediction,
        version: {
          version: version.version,
          arn: version.arn,
          approval: version.approval,
          metrics: version.metrics,
          createdAt: version.createdAt,
          gitRevision: version.lineage.gitRevision,
        },
        run:
          run === undefined
            ? null
            : {
                runId: run.runId,
                startedAt: run.startedAt,
                durationMs: run.durationMs,
                outcome: run.outcome,
                parameters: run['parameters'] ?? null,
                execution: run['execution'] ?? null,
              },
        trainingSet: {
          location: version.lineage.trainingSet,
          featureSnapshotId: version.lineage.featureSnapshots[model.featureModel] ?? '',
          snapshots: version.lineage.featureSnapshots,
        },
        contracts: version.lineage.contractVersions,
      },
    };
  }
}

/**
 * A prediction's lineage offline (`models lineage`): the newest row of the model's
 * `<model>_predictions` in the local lake for a key, the registry version that scored it, the
 * training run that registered that version (its record and `ml_runs` row), the training set and
 * feature snapshots it learned from, and the contract versions of the feature model's inputs.
 */
import { glueDatabaseName, modelPackageGroupName, predictionsTableName } from '../../config/names.ts';
import type { MlModel } from '../../ml/model.ts';
import { parsePredictionKey, type PredictionKey } from '../../ml/prediction-key.ts';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import { workspaceModelRegistry } from '../ml/workspace-registry.ts';
import { openBuildConnection } from './build-connection.ts';
import type { LocalServices } from './local-services.ts';
import type { TrackedTrainingRun } from './training-service.ts';

/** `models lineage --json` when the prediction was found (README, "ML lineage"). */
export interface PredictionLineage {
  readonly model: string;
  readonly prediction: { readonly key: PredictionKey; readonly score: number; readonly predictedAt: string; readonly batch: string; readonly version: number };
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

export type LineageResult =
  | { readonly found: true; readonly lineage: PredictionLineage }
  | { readonly found: false; readonly model: string; readonly key: PredictionKey; readonly batches: readonly PredictionBatch[] };

/** A lake timestamp (`2026-12-05 15:00:00.25`, UTC) in ISO-8601. */
function isoTimestamp(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
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
    if (!lake.hasTable(database, table)) return { found: false, model: model.id, key, batches: [] };
    const relation = `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
    const connection = await openBuildConnection(lake);
    let rows: Record<string, unknown>[];
    let batches: PredictionBatch[];
    try {
      // Compared as text: the key is typed as the feature table types it, the user gives text.
      const where = model.key.map((column) => `CAST(${quoteIdentifier(column)} AS VARCHAR) = ${quoteString(key[column]!)}`).join(' AND ');
      rows = (await connection.connection.runAndReadAll(
        `SELECT score, model_version, run_id, CAST(predicted_at AS VARCHAR) AS predicted_at FROM ${relation} WHERE ${where} ORDER BY predicted_at DESC, run_id LIMIT 1`,
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
    if (row === undefined) return { found: false, model: model.id, key, batches };

    const versionNumber = Number(row['model_version']);
    const version = await workspaceModelRegistry(paths, identity).describeVersion(modelPackageGroupName(identity, model.domain, model.name), versionNumber);
    const run = (await this.runs(ref)).find((candidate) => candidate.runId === version.lineage.runId);
    return {
      found: true,
      lineage: {
        model: model.id,
        prediction: { key, score: Number(row['score']), predictedAt: isoTimestamp(String(row['predicted_at'])), batch: String(row['run_id']), version: versionNumber },
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

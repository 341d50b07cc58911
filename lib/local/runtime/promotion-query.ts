/**
 * The promotion machine's Athena statements offline, by state name, each checked against the
 * statement the definition holds:
 * - the snapshot query reads the lake's `$snapshots` view of the feature table as written; a table
 *   the lake does not have yet answers no row, as the empty table its owner created answers;
 * - the inference UNLOAD runs the DuckDB rendering of its SELECT on the table AT the pinned
 *   snapshot and puts the rows, as one headerless gzip CSV object, under the run's input folder in
 *   the local audit bucket (a folder that is not empty is refused, as Athena refuses it);
 * - the predictions MERGE reads the transform output of the run, where the output table's
 *   location template puts it, and writes it to the predictions table with the run's stamps in
 *   place of the version's earlier rows, in one lake commit.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MlModel } from '../../ml/model.ts';
import {
  duckDbInferenceSelect,
  duckDbPredictionsMerge,
  INFERENCE_OUTPUT_COLUMNS,
  inferenceUnloadStatement,
  predictionsMergeStatement,
  PREDICTION_VERSION_COLUMN,
  type PredictionValues,
} from '../../ml/prediction-queries.ts';
import { PROMOTION_PATHS as P, PROMOTION_STATES as S } from '../../ml/promotion-states.ts';
import { featureSnapshotQuery, type FeatureTable } from '../../ml/training-queries.ts';
import type { TableColumn } from '../../pipeline/iceberg-schema-change.ts';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import { timeTravelViewName } from '../lake/attach-lake.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import { statementValues } from './format-values.ts';
import { duckDbTypeOfDdl } from './iceberg-table-owner.ts';
import type { OfflineQuery } from './local-athena.ts';
import { parseS3Uri } from './s3-uri.ts';
import { listKeys } from './zone-objects.ts';

export interface PromotionQueryContext {
  readonly model: MlModel;
  readonly featureTable: FeatureTable;
  readonly predictionsTable: FeatureTable;
  readonly outputTable: FeatureTable;
  /** The predictions table's key columns, with their Athena DDL types. */
  readonly keyColumns: readonly TableColumn[];
  /** The output table's `storage.location.template`: a run's output folder, `${run_id}` in it. */
  readonly outputLocation: string;
  readonly lake: LocalLake;
  /** Confined to the lake's tables and `scratch`, with the lake attached (`openBuildConnection`). */
  readonly connection: DuckDBConnection;
  readonly scratch: string;
  readonly s3: S3Client;
  /** Told the rows each MERGE wrote for its run. */
  readonly onInserted: (rows: number) => void;
}

export function promotionQueries(context: PromotionQueryContext): (stateName: string) => OfflineQuery {
  const { model, featureTable, lake } = context;
  return (stateName) => async (queryString) => {
    if (stateName === S.findFeatureSnapshot) {
      if (queryString !== featureSnapshotQuery(featureTable)) throw new Error(`state ${stateName}: the query is not the feature snapshot query; synthesize the app again`);
      if (!lake.hasTable(featureTable.database, featureTable.table)) return { columns: ['snapshot_id'], rows: [] };
      const reader = await context.connection.runAndReadAll(queryString);
      return { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value)))) };
    }
    if (stateName === S.unloadFeatures) {
      const statement = inferenceUnloadStatement(model, featureTable, { snapshotId: P.snapshotId, inputUri: `${P.files}.input` });
      const [snapshotId, inputUri] = statementValues(statement, queryString, `state ${stateName}`) as [string, string];
      await unloadInput(context, Number(snapshotId), inputUri);
      return undefined;
    }
    if (stateName === S.insertPredictions) {
      const statement = predictionsMergeStatement(context.predictionsTable, context.outputTable, context.keyColumns, {
        modelPackageArn: P.modelPackageArn,
        modelVersion: P.modelVersion,
        snapshotId: P.snapshotId,
        runId: P.runId,
        predictedAt: P.startedAt,
      });
      const [modelPackageArn, modelVersion, snapshotId, runId, predictedAt] = statementValues(statement, queryString, `state ${stateName}`) as [string, string, string, string, string, string, string];
      await mergePredictions(context, { modelPackageArn, modelVersion, snapshotId, runId, predictedAt });
      return undefined;
    }
    throw new Error(`state ${stateName} runs no statement of ${model.id}'s promotion`);
  };
}

async function unloadInput(context: PromotionQueryContext, snapshotId: number, inputUri: string): Promise<void> {
  const { featureTable } = context;
  const target = parseS3Uri(inputUri);
  if (target === undefined) throw new Error(`UNLOAD target '${inputUri}' is not an s3:// URI`);
  // Throws Athena's words for a snapshot the table does not have (expired, or never its own).
  context.lake.snapshot(featureTable.database, featureTable.table, snapshotId);
  if ((await listKeys(context.s3, target.bucket, target.key)).length > 0) {
    throw new Error(`HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: ${inputUri}; UNLOAD writes only to an empty folder`);
  }
  const relation = `${quoteIdentifier(featureTable.database)}.${quoteIdentifier(timeTravelViewName(featureTable.table, snapshotId))}`;
  const file = join(context.scratch, `unload-${randomUUID()}.gz`);
  try {
    await context.connection.run(`COPY (${duckDbInferenceSelect(context.model, relation)}) TO ${quoteString(file)} (FORMAT CSV, HEADER false, COMPRESSION gzip)`);
    await context.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: `${target.key}${randomUUID()}.gz`, Body: readFileSync(file) }));
  } finally {
    rmSync(file, { force: true });
  }
}

async function mergePredictions(context: PromotionQueryContext, values: PredictionValues): Promise<void> {
  const folder = parseS3Uri(context.outputLocation.replace(`\${${INFERENCE_OUTPUT_COLUMNS.run}}`, values.runId));
  if (folder === undefined) throw new Error(`the output table's location '${context.outputLocation}' is not an s3:// URI`);
  const keys = await listKeys(context.s3, folder.bucket, folder.key);
  const files = await Promise.all(
    keys.map(async (key) => {
      const response = await context.s3.send(new GetObjectCommand({ Bucket: folder.bucket, Key: key }));
      const file = join(context.scratch, `output-${randomUUID()}.csv`);
      writeFileSync(file, await response.Body!.transformToByteArray());
      return file;
    }),
  );
  try {
    const columns = `{${quoteString(INFERENCE_OUTPUT_COLUMNS.key)}: 'VARCHAR', ${quoteString(INFERENCE_OUTPUT_COLUMNS.score)}: 'DOUBLE'}`;
    // The external table over no file reads no row: a MERGE of no new row, as in Athena.
    const output =
      files.length === 0
        ? `(SELECT CAST(NULL AS VARCHAR) AS ${quoteIdentifier(INFERENCE_OUTPUT_COLUMNS.key)}, CAST(NULL AS DOUBLE) AS ${quoteIdentifier(INFERENCE_OUTPUT_COLUMNS.score)} WHERE false)`
        : `read_csv([${files.map(quoteString).join(', ')}], columns = ${columns}, header = false, auto_detect = false, delim = ',', quote = '')`;
    const keyTypes = context.keyColumns.map((column) => duckDbTypeOfDdl(column.type));
    const { database, table } = context.predictionsTable;
    const rows = await context.connection.runAndReadAll(`SELECT count(*) FROM ${output}`);
    // Rewrites only the files holding rows of the version, as Iceberg's copy-on-write MERGE does.
    await context.lake.write(context.connection, database, table, 'merge', duckDbPredictionsMerge(context.keyColumns, keyTypes, output, values), {
      scope: `t.${quoteIdentifier(PREDICTION_VERSION_COLUMN)} = CAST(${quoteString(values.modelVersion)} AS INTEGER)`,
    });
    context.onInserted(Number(rows.getRows()[0]![0]));
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

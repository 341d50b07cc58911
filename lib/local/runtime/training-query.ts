/**
 * The training machine's Athena statements offline, by state name, each checked against the
 * statement the definition holds:
 * - the snapshot query reads the lake's `$snapshots` view of the feature table, which has
 *   Athena's shape and name, so it runs as written; a table the lake does not have yet (its model
 *   never published) answers no row, as the empty table its owner created answers in the cloud;
 * - each UNLOAD runs the DuckDB rendering of the same channel's SELECT on the table AT the pinned
 *   snapshot (the lake's time-travel view) and puts the rows, as one Parquet file, under the
 *   channel's folder in the local audit bucket; a folder that is not empty is refused, as Athena
 *   refuses it;
 * - each INSERT into the domain's `ml_runs` (TrackRun, TrackFailedRun) checks the run id it was
 *   given, reads that run's record from the local audit bucket and appends the DuckDB rendering
 *   of the same row to the lake's `ml_runs` (which TrainingService creates as the synthesized
 *   custom resource declares it). A run without a record inserts no row, as Athena's INSERT
 *   reads an empty partition.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import { ML_RUNS_TABLE, trainingRunRecordKey } from '../../config/names.ts';
import type { MlModel } from '../../ml/model.ts';
import { checkedRunId, duckDbRunRowSelect, mlRunsInsertStatement, RUN_RECORD_JSON_COLUMN } from '../../ml/run-tracking-queries.ts';
import { duckDbTrainingSelect, featureSnapshotQuery, type FeatureTable, type TrainingChannel, unloadStatement } from '../../ml/training-queries.ts';
import { TRAINING_PATHS, TRAINING_STATES } from '../../ml/training-states.ts';
import { timeTravelViewName } from '../lake/attach-lake.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import { statementValues } from './format-values.ts';
import type { OfflineQuery } from './local-athena.ts';
import { parseS3Uri } from './s3-uri.ts';
import { listKeys } from './zone-objects.ts';

export interface TrainingQueryContext {
  readonly model: MlModel;
  readonly featureTable: FeatureTable;
  readonly lake: LocalLake;
  /** Confined to the lake's tables and `scratch`, with the lake attached (`openBuildConnection`). */
  readonly connection: DuckDBConnection;
  readonly scratch: string;
  readonly s3: S3Client;
  /** The local audit bucket, which holds the run records. */
  readonly auditBucket: string;
  /** The model's external table over its run records, as the definition names it. */
  readonly recordsTable: FeatureTable;
}

const TRACKING_STATES: readonly string[] = [TRAINING_STATES.trackRun, TRAINING_STATES.trackFailedRun];

const CHANNEL_OF_STATE: Readonly<Record<string, TrainingChannel>> = {
  [TRAINING_STATES.unloadTrainingSet]: 'train',
  [TRAINING_STATES.unloadValidationSet]: 'validation',
};

export function trainingQueries(context: TrainingQueryContext): (stateName: string) => OfflineQuery {
  const { model, featureTable, lake } = context;
  return (stateName) => async (queryString) => {
    if (stateName === TRAINING_STATES.findFeatureSnapshot) {
      if (queryString !== featureSnapshotQuery(featureTable)) throw new Error(`state ${stateName}: the query is not the feature snapshot query; synthesize the app again`);
      if (!lake.hasTable(featureTable.database, featureTable.table)) return { columns: ['snapshot_id'], rows: [] };
      const reader = await context.connection.runAndReadAll(queryString);
      return { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value)))) };
    }
    if (TRACKING_STATES.includes(stateName)) {
      await trackRun(context, stateName, queryString);
      return undefined;
    }
    const channel = CHANNEL_OF_STATE[stateName];
    if (channel === undefined) throw new Error(`state ${stateName} runs no statement of ${model.id}'s training`);
    const statement = unloadStatement(model, featureTable, channel, { snapshotId: TRAINING_PATHS.snapshotId, channelUri: `${TRAINING_PATHS.files}.${channel}` });
    const [snapshotText, channelUri] = statementValues(statement, queryString, `state ${stateName} (the UNLOAD of ${model.id}'s ${channel} rows)`) as [string, string];
    await unload(context, channel, Number(snapshotText), channelUri);
    return undefined;
  };
}

async function unload(context: TrainingQueryContext, channel: TrainingChannel, snapshotId: number, channelUri: string): Promise<void> {
  const { featureTable } = context;
  const target = parseS3Uri(channelUri);
  if (target === undefined) throw new Error(`UNLOAD target '${channelUri}' is not an s3:// URI`);
  // Throws Athena's words for a snapshot the table does not have (expired, or never its own).
  context.lake.snapshot(featureTable.database, featureTable.table, snapshotId);
  if ((await listKeys(context.s3, target.bucket, target.key)).length > 0) {
    throw new Error(`HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: ${channelUri}; UNLOAD writes only to an empty folder`);
  }
  const relation = `${quoteIdentifier(featureTable.database)}.${quoteIdentifier(timeTravelViewName(featureTable.table, snapshotId))}`;
  const file = join(context.scratch, `unload-${randomUUID()}.parquet`);
  try {
    await context.connection.run(`COPY (${duckDbTrainingSelect(context.model, relation, channel)}) TO ${quoteString(file)} (FORMAT PARQUET, COMPRESSION SNAPPY)`);
    await context.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: `${target.key}${randomUUID()}.parquet`, Body: readFileSync(file) }));
  } finally {
    rmSync(file, { force: true });
  }
}

async function trackRun(context: TrainingQueryContext, stateName: string, queryString: string): Promise<void> {
  const { model, lake } = context;
  const runs = { database: context.recordsTable.database, table: ML_RUNS_TABLE };
  const statement = mlRunsInsertStatement(runs, context.recordsTable, TRAINING_PATHS.runId);
  const [runIdText] = statementValues(statement, queryString, `state ${stateName} (the INSERT of ${model.id}'s run into ${ML_RUNS_TABLE})`) as [string];
  const runId = checkedRunId(runIdText);
  let record: Uint8Array;
  try {
    const response = await context.s3.send(new GetObjectCommand({ Bucket: context.auditBucket, Key: trainingRunRecordKey(model.domain, model.name, runId) }));
    record = await response.Body!.transformToByteArray();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return;
    throw error;
  }
  const file = join(context.scratch, `run-record-${randomUUID()}.json`);
  try {
    writeFileSync(file, record);
    const relation = `(SELECT CAST(content AS JSON) AS ${quoteIdentifier(RUN_RECORD_JSON_COLUMN)} FROM read_text(${quoteString(file)}))`;
    await lake.write(context.connection, runs.database, runs.table, 'append', `INSERT INTO {{target}} ${duckDbRunRowSelect(relation, runId)}`);
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * The Athena statements of a training run's snapshot step: the feature table's newest snapshot id,
 * then one `UNLOAD` per channel (train, validation) of the rows at that snapshot, so the training
 * set is pinned and kept with the run (DESIGN.md "ML training data is pinned via UNLOAD"). Pure:
 * data in, SQL text out.
 *
 * The training set is Parquet (`application/x-parquet`, which SageMaker's XGBoost reads, taking
 * the first column as the label): typed columns need no quoting rules, unlike headerless CSV.
 * Every column is cast to DOUBLE (booleans to 0 and 1), the one type XGBoost learns from.
 */
import { athena } from '../sql/athena.ts';
import { duckdb } from '../sql/duckdb.ts';
import type { MlModel, TrainValidationSplit } from './model.ts';

/** The content type of the UNLOAD output, as the training job's channels declare it. */
export const TRAINING_SET_CONTENT_TYPE = 'application/x-parquet';

/** The split's share is counted in these buckets of a key's hash: 0.8 trains buckets 0 to 7999. */
const SPLIT_BUCKETS = 10_000;

export type TrainingChannel = 'train' | 'validation';
export const TRAINING_CHANNELS: readonly TrainingChannel[] = ['train', 'validation'];

/** A gold table in Athena's catalog. */
export interface FeatureTable {
  readonly database: string;
  readonly table: string;
}

/**
 * A statement whose runtime values come from the execution: `template` is `States.Format`'s first
 * argument (`{}` per value), `argumentPaths` the JSONPaths of the values in order.
 */
export interface FormattedStatement {
  readonly template: string;
  readonly argumentPaths: readonly string[];
  /** The statement for given values, in placeholder order (what Athena receives). */
  render(values: readonly string[]): string;
}

function relation(table: FeatureTable, suffix = ''): string {
  return `${athena.identifier(table.database)}.${athena.identifier(`${table.table}${suffix}`)}`;
}

/** One row, one column (`snapshot_id`, as text: Iceberg's ids are 64-bit): the table's newest snapshot. */
export function featureSnapshotQuery(table: FeatureTable): string {
  return `SELECT CAST(snapshot_id AS varchar) AS snapshot_id FROM ${relation(table, '$snapshots')} ORDER BY committed_at DESC LIMIT 1`;
}

/**
 * The SQL that differs between the engines: Athena hashes with `xxhash64`, DuckDB, which has no
 * such function, with `md5_number`. Each engine splits deterministically; the offline split is
 * its own, not the cloud's.
 */
interface SplitDialect {
  readonly identifier: (name: string) => string;
  readonly string: (value: string) => string;
  readonly timestamp: (literal: string) => string;
  /** A non-negative bucket of `text` in [0, buckets). */
  readonly bucket: (text: string, buckets: number) => string;
}

const ATHENA_SPLIT: SplitDialect = {
  identifier: athena.identifier,
  string: athena.string,
  timestamp: (literal) => `from_iso8601_timestamp(${literal})`,
  bucket: (text, buckets) => `mod(mod(from_big_endian_64(xxhash64(to_utf8(${text}))), ${buckets}) + ${buckets}, ${buckets})`,
};

const DUCKDB_SPLIT: SplitDialect = {
  identifier: duckdb.identifier,
  string: duckdb.string,
  timestamp: (literal) => `CAST(${literal} AS TIMESTAMPTZ)`,
  // md5_number is an unsigned 128-bit number: never negative.
  bucket: (text, buckets) => `CAST(md5_number(${text}) % ${buckets} AS BIGINT)`,
};

/** True for the training rows, false for the validation rows; never NULL, so every row is in one of them. */
function trainingRowPredicate(model: Pick<MlModel, 'key'>, split: TrainValidationSplit, dialect: SplitDialect): string {
  if (split.kind === 'cutoff') {
    // A row without a cut-off value cannot be placed in time: it validates, never trains.
    return `coalesce(${dialect.identifier(split.column)} < ${dialect.timestamp(dialect.string(split.at))}, false)`;
  }
  // A seeded hash of the key, not rand(): the same row lands in the same channel in every run.
  const keyText = [...model.key.map((column) => `coalesce(CAST(${dialect.identifier(column)} AS varchar), '')`), dialect.string(String(split.seed))].join(
    " || '|' || ",
  );
  return `${dialect.bucket(keyText, SPLIT_BUCKETS)} < ${Math.round(split.trainFraction * SPLIT_BUCKETS)}`;
}

function channelPredicate(model: Pick<MlModel, 'key' | 'split'>, channel: TrainingChannel, dialect: SplitDialect): string {
  const predicate = trainingRowPredicate(model, model.split, dialect);
  return channel === 'train' ? predicate : `NOT (${predicate})`;
}

/** The label first, then the features in spec order, each as DOUBLE. */
function trainingColumns(model: Pick<MlModel, 'label' | 'features'>, identifier: (name: string) => string): string {
  return [model.label, ...model.features.map((feature) => feature.name)]
    .map((column) => `CAST(${identifier(column)} AS DOUBLE) AS ${identifier(column)}`)
    .join(', ');
}

/**
 * `UNLOAD` of one channel's rows at the snapshot `paths.snapshotId` names, to the folder
 * `paths.channelUri` names (a run's own, so UNLOAD finds it empty as it requires).
 */
export function unloadStatement(
  model: Pick<MlModel, 'key' | 'label' | 'features' | 'split'>,
  table: FeatureTable,
  channel: TrainingChannel,
  paths: { readonly snapshotId: string; readonly channelUri: string },
): FormattedStatement {
  const where = channelPredicate(model, channel, ATHENA_SPLIT);
  const pieces = [
    `UNLOAD (SELECT ${trainingColumns(model, athena.identifier)} FROM ${relation(table)} FOR VERSION AS OF `,
    ` WHERE ${where}) TO '`,
    `' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
  ];
  return formattedStatement(`ML model training set of ${table.database}.${table.table}`, pieces, [paths.snapshotId, paths.channelUri]);
}

/**
 * The statement whose text is `pieces` with one runtime value between each two, the values at
 * `argumentPaths`. Throws naming `what` when a piece holds a brace or a backslash, which
 * States.Format reads as a placeholder and an escape.
 */
export function formattedStatement(what: string, pieces: readonly string[], argumentPaths: readonly string[]): FormattedStatement {
  if (pieces.some((piece) => /[{}\\]/.test(piece))) throw new Error(`${what}: the statement holds a brace or backslash`);
  return {
    template: pieces.join('{}'),
    argumentPaths,
    render: (values) => pieces.reduce((statement, piece, index) => `${statement}${index === 0 ? '' : values[index - 1]}${piece}`, ''),
  };
}

/**
 * The DuckDB rendering of one channel's UNLOAD: the SELECT alone, over `relation`, the feature
 * table at the pinned snapshot as the offline lake names it; the caller writes its rows as Parquet.
 */
export function duckDbTrainingSelect(model: Pick<MlModel, 'key' | 'label' | 'features' | 'split'>, relation: string, channel: TrainingChannel): string {
  return `SELECT ${trainingColumns(model, duckdb.identifier)} FROM ${relation} WHERE ${channelPredicate(model, channel, DUCKDB_SPLIT)}`;
}

/** Where a channel's rows go inside a run's folder. */
export function trainingSetFolder(channel: TrainingChannel): string {
  return `training-set/${channel}/`;
}

/**
 * The Load step of a dataset's pipeline: one statement that writes the rows of one validated
 * file into the dataset's silver table, rendered for Athena (into the definition, as a
 * `States.Format` template) and for DuckDB (run by the offline runtime against the local lake)
 * from one source. Pure: no CDK, no AWS SDK.
 *
 * Both load modes are a single `MERGE`, so a load is one Iceberg commit (readers see all of a
 * file's rows or none), replaying a file changes nothing, and a replay or release of an older
 * delivery never reverts newer data (DESIGN.md "Delivery identity and order"). Deliveries are
 * ordered by their landing time (`_ingested_at`), ties broken by `_row` and `file_id`, so the
 * outcome never depends on the order in which deliveries are loaded.
 * - `merge` (a primary key): the file's rows, de-duplicated on the key keeping the last row
 *   (Athena's MERGE fails when one target row matches several source rows), update a row only
 *   when they come from the same delivery or a later one in that order, and insert missing keys.
 * - `append` (no key): a delivery replaces every row of its landing key (`_source_id`: all its
 *   versions), unless a later version of that key is already loaded, in which case it changes
 *   nothing. Rows are matched on (`file_id`, `_row`), which identifies a row of a delivery: the
 *   file's rows update or insert, the key's other rows are deleted. A DELETE then an INSERT
 *   would be two commits, and a reader or a failure between them would see the file missing.
 */
import {
  FILE_ID_COLUMN,
  INGEST_DATE_COLUMN,
  INGESTED_AT_COLUMN,
  ROW_NUMBER_COLUMN,
  silverTableName,
  SOURCE_ID_COLUMN,
  validatedTableName,
} from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { TARGET_PLACEHOLDER, type LakeWrite } from './lake-write.ts';
import type { Dialect } from '../sql/dialect.ts';
import { athena } from '../sql/athena.ts';
import { duckdb } from '../sql/duckdb.ts';
import { ParameterizedSql, type SqlArgument } from './parameterized-sql.ts';
import { PIPELINE_PATHS } from './pipeline-data.ts';
import { silverColumns, type SilverColumn } from './silver-table.ts';
import { PIPELINE_STATES } from './state-names.ts';

/** The values a load needs that only the execution knows. */
export interface LoadArguments {
  readonly fileId: string;
  /** `yyyy-mm-dd`. */
  readonly ingestDate: string;
  /** The landing event's time, UTC, `yyyy-mm-dd hh:mm:ss.sss`. */
  readonly ingestedAt: string;
  /** The id of the landing key, shared by its versions. */
  readonly sourceId: string;
}

const HASH_ID = /^[0-9A-Za-z_-]{1,128}$/;

export const LOAD_ARGUMENTS: Readonly<Record<keyof LoadArguments, SqlArgument>> = {
  fileId: {
    path: PIPELINE_PATHS.fileId,
    pattern: HASH_ID,
    description: 'a file id (1 to 128 letters, digits, _ and -)',
  },
  ingestDate: {
    path: PIPELINE_PATHS.ingestDate,
    pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/,
    description: 'an ingest date (yyyy-mm-dd)',
  },
  ingestedAt: {
    path: PIPELINE_PATHS.ingestedAt,
    pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$/,
    description: 'an ingest time (yyyy-mm-dd hh:mm:ss.sss, UTC)',
  },
  sourceId: {
    path: PIPELINE_PATHS.sourceId,
    pattern: HASH_ID,
    description: 'a source id (1 to 128 letters, digits, _ and -)',
  },
};

export interface LoadStep {
  readonly stateName: typeof PIPELINE_STATES.load;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  /** The first argument of the definition's `States.Format` (braces in the SQL escaped, `{}` per value). */
  readonly template: string;
  /** JSONPaths into the state input, one per `{}` of the template, in order. */
  readonly argumentPaths: readonly string[];
  /** The statement Athena runs for these values: what the definition's `States.Format` produces. */
  athena(args: LoadArguments): string;
  /** The same load against the local lake. */
  duckdb(args: LoadArguments): LakeWrite;
  /** The values inside a query the definition formatted; throws when it is not this step's statement. */
  argumentsOf(athenaQuery: string): LoadArguments;
}

export interface LoadTarget {
  /** The domain's Glue database, which holds both the validated and the silver table. */
  readonly database: string;
}

/** Helper columns of the source rows; contract column names start with a letter, so these cannot collide. */
const RANK_COLUMN = '_rank';
const REPLACED_COLUMN = '_replaced';

type LoadDataset = Pick<Dataset, 'domain' | 'name' | 'names' | 'columns' | 'partitionColumns' | 'primaryKey' | 'loadMode'>;

/** The validated value converted to its silver type; DuckDB reads validated timestamps as TIMESTAMPTZ. */
function silverValue(dialect: Dialect, column: SilverColumn, relation: string): string {
  const value = `${relation}.${dialect.identifier(column.name)}`;
  if (dialect.name === 'duckdb' && column.contractType?.kind === 'timestamp') return `timezone('UTC', ${value})`;
  return `CAST(${value} AS ${dialect.name === 'athena' ? column.athenaType : column.duckdbType})`;
}

interface StatementParts {
  readonly dialect: Dialect;
  readonly value: (name: keyof LoadArguments) => string;
  readonly columns: readonly SilverColumn[];
  readonly target: string;
  readonly silver: string;
  readonly validated: string;
}

function quoted(dialect: Dialect, names: readonly string[], relation?: string): string {
  return names.map((name) => (relation === undefined ? '' : `${relation}.`) + dialect.identifier(name)).join(', ');
}

/** This delivery's landing time as a value of the silver column's type. */
function ingestedAt(parts: StatementParts): string {
  const column = parts.columns.find((candidate) => candidate.name === INGESTED_AT_COLUMN)!;
  return `CAST(TIMESTAMP ${parts.value('ingestedAt')} AS ${parts.dialect.name === 'athena' ? column.athenaType : column.duckdbType})`;
}

/** The validated rows of this delivery only: the ingest date prunes partitions, the file id picks the file. */
function thisFile(parts: StatementParts, relation: string): string {
  const { dialect, value } = parts;
  return (
    `${relation}.${dialect.identifier(INGEST_DATE_COLUMN)} = DATE ${value('ingestDate')} AND ` +
    `${relation}.${dialect.identifier(FILE_ID_COLUMN)} = ${value('fileId')}`
  );
}

/** A source row in silver columns: validated values, and the delivery's time and landing key from the execution. */
function typedRows(parts: StatementParts): string {
  const { dialect } = parts;
  return parts.columns
    .map((column) => {
      if (column.name === INGESTED_AT_COLUMN) return `${ingestedAt(parts)} AS ${dialect.identifier(column.name)}`;
      if (column.name === SOURCE_ID_COLUMN) return `${parts.value('sourceId')} AS ${dialect.identifier(column.name)}`;
      return `${silverValue(dialect, column, 'v')} AS ${dialect.identifier(column.name)}`;
    })
    .join(', ');
}

function mergeClauses(parts: StatementParts, keys: readonly string[], updateWhen?: string): string {
  const { dialect, columns } = parts;
  const names = columns.map((column) => column.name);
  const updated = names.filter((name) => !keys.includes(name));
  return [
    `WHEN MATCHED${updateWhen === undefined ? '' : ` AND (${updateWhen})`} THEN UPDATE SET ` +
      updated.map((name) => `${dialect.identifier(name)} = s.${dialect.identifier(name)}`).join(', '),
    `WHEN NOT MATCHED THEN INSERT (${quoted(dialect, names)}) VALUES (${quoted(dialect, names, 's')})`,
  ].join('\n');
}

function keyMatch(dialect: Dialect, keys: readonly string[]): string {
  return keys.map((key) => `t.${dialect.identifier(key)} = s.${dialect.identifier(key)}`).join(' AND ');
}

/**
 * The source row `s` may replace the target row `t`: it is the same delivery's, or from a later
 * one by (`_ingested_at`, `_row`, `file_id`). A row loaded before `_ingested_at` existed has none
 * and counts as the oldest.
 */
function notOlder(dialect: Dialect): string {
  const column = (relation: string, name: string): string => `${relation}.${dialect.identifier(name)}`;
  const [sTime, tTime] = [column('s', INGESTED_AT_COLUMN), column('t', INGESTED_AT_COLUMN)];
  const [sFile, tFile] = [column('s', FILE_ID_COLUMN), column('t', FILE_ID_COLUMN)];
  const [sRow, tRow] = [column('s', ROW_NUMBER_COLUMN), column('t', ROW_NUMBER_COLUMN)];
  return (
    `${tTime} IS NULL OR ${sTime} > ${tTime} OR ` +
    `(${sTime} = ${tTime} AND (${sFile} = ${tFile} OR ${sRow} > ${tRow} OR (${sRow} = ${tRow} AND ${sFile} > ${tFile})))`
  );
}

/**
 * Restricts the target rows the MERGE reads to the partitions this delivery has rows in, so a load
 * costs the partitions it touches rather than the whole table: Iceberg prunes the target's files
 * by a predicate on its partition columns in the ON clause (a join on the key alone scans every
 * file). Only when every partition column is part of the key: then a key lives in one partition,
 * and no row outside the delivery's partitions can match. A partition column outside the key (an
 * order's date) may be corrected by a later delivery, and its row, still in the old partition,
 * would go unseen and be inserted a second time.
 */
function partitionBound(parts: StatementParts, partitionColumns: readonly string[], primaryKey: readonly string[]): string {
  if (partitionColumns.length === 0 || !partitionColumns.every((name) => primaryKey.includes(name))) return '';
  const { dialect, columns } = parts;
  return partitionColumns
    .map((name) => {
      const column = columns.find((candidate) => candidate.name === name)!;
      return (
        ` AND t.${dialect.identifier(name)} IN ` +
        `(SELECT DISTINCT ${silverValue(dialect, column, 'v')} FROM ${parts.validated} AS v WHERE ${thisFile(parts, 'v')})`
      );
    })
    .join('');
}

/** Update or insert by primary key, the last row of the file winning for a repeated key, never reverting a newer delivery's row. */
function mergeByKey(parts: StatementParts, primaryKey: readonly string[], partitionColumns: readonly string[]): string {
  const { dialect, columns } = parts;
  const rank = dialect.identifier(RANK_COLUMN);
  return [
    `MERGE INTO ${parts.target} AS t`,
    'USING (',
    `  SELECT ${quoted(dialect, columns.map((column) => column.name))}`,
    '  FROM (',
    `    SELECT ${typedRows(parts)},`,
    `      row_number() OVER (PARTITION BY ${quoted(dialect, primaryKey, 'v')} ORDER BY v.${dialect.identifier(ROW_NUMBER_COLUMN)} DESC) AS ${rank}`,
    `    FROM ${parts.validated} AS v`,
    `    WHERE ${thisFile(parts, 'v')}`,
    '  ) AS ranked',
    `  WHERE ${rank} = 1`,
    ') AS s',
    `ON ${keyMatch(dialect, primaryKey)}${partitionBound(parts, partitionColumns, primaryKey)}`,
    mergeClauses(parts, primaryKey, notOlder(dialect)),
  ].join('\n');
}

/** No later version of this delivery's landing key is loaded: (`_ingested_at`, `file_id`) order. */
function noLaterVersion(parts: StatementParts): string {
  const { dialect, value } = parts;
  const column = (name: string): string => `n.${dialect.identifier(name)}`;
  // Each use of a runtime value is its own placeholder of the States.Format template: build it each time.
  return (
    `NOT EXISTS (SELECT 1 FROM ${parts.silver} AS n WHERE ${column(SOURCE_ID_COLUMN)} = ${value('sourceId')} AND ` +
    `(${column(INGESTED_AT_COLUMN)} > ${ingestedAt(parts)} OR ` +
    `(${column(INGESTED_AT_COLUMN)} = ${ingestedAt(parts)} AND ${column(FILE_ID_COLUMN)} > ${value('fileId')})))`
  );
}

/**
 * Replace the rows of this delivery's landing key: match on (`file_id`, `_row`), delete the
 * key's rows this file does not have (an earlier version's, or this one's under an older
 * contract), and do nothing when a later version is loaded. A row loaded before `_source_id`
 * existed is still found by its file id.
 */
function replaceSourceRows(parts: StatementParts): string {
  const { dialect, columns, value } = parts;
  const replaced = dialect.identifier(REPLACED_COLUMN);
  const row = dialect.identifier(ROW_NUMBER_COLUMN);
  const file = dialect.identifier(FILE_ID_COLUMN);
  return [
    `MERGE INTO ${parts.target} AS t`,
    'USING (',
    `  SELECT ${typedRows(parts)}, false AS ${replaced}`,
    `  FROM ${parts.validated} AS v`,
    `  WHERE ${thisFile(parts, 'v')}`,
    `    AND ${noLaterVersion(parts)}`,
    '  UNION ALL',
    `  SELECT ${quoted(dialect, columns.map((column) => column.name), 'o')}, true AS ${replaced}`,
    `  FROM ${parts.silver} AS o`,
    `  WHERE (o.${dialect.identifier(SOURCE_ID_COLUMN)} = ${value('sourceId')} OR o.${file} = ${value('fileId')})`,
    `    AND NOT (o.${file} = ${value('fileId')} AND o.${row} IN (SELECT v.${row} FROM ${parts.validated} AS v WHERE ${thisFile(parts, 'v')}))`,
    `    AND ${noLaterVersion(parts)}`,
    ') AS s',
    `ON ${keyMatch(dialect, [FILE_ID_COLUMN, ROW_NUMBER_COLUMN])}`,
    `WHEN MATCHED AND s.${replaced} THEN DELETE`,
    mergeClauses(parts, [FILE_ID_COLUMN, ROW_NUMBER_COLUMN]),
  ].join('\n');
}

/** The silver rows a keyed load can match: those whose key is a key of this delivery, compared as the MERGE's ON clause does. */
function matchedKeys(parts: StatementParts, primaryKey: readonly string[]): string {
  const { dialect, columns } = parts;
  const matches = primaryKey.map((key) => {
    const column = columns.find((candidate) => candidate.name === key)!;
    return `t.${dialect.identifier(key)} = ${silverValue(dialect, column, 'v')}`;
  });
  return `EXISTS (SELECT 1 FROM ${parts.validated} AS v WHERE ${thisFile(parts, 'v')} AND ${matches.join(' AND ')})`;
}

/** The silver rows a keyless load can match: those of this delivery's landing key, or of its file. */
function replacedRows(parts: StatementParts): string {
  const { dialect, value } = parts;
  return `(t.${dialect.identifier(SOURCE_ID_COLUMN)} = ${value('sourceId')} OR t.${dialect.identifier(FILE_ID_COLUMN)} = ${value('fileId')})`;
}

/** Compiles the Load step of a dataset; throws when the dataset's load mode and key disagree. */
export function loadStep(dataset: LoadDataset, target: LoadTarget): LoadStep {
  const ref = dataset.names.ref;
  if (dataset.loadMode === 'merge' && dataset.primaryKey.length === 0) {
    throw new Error(`dataset '${ref}': loadMode merge needs a primary key to match rows on`);
  }
  const columns = silverColumns(dataset);
  const qualified = (dialect: Dialect, table: string): string => `${dialect.identifier(target.database)}.${dialect.identifier(table)}`;
  const silver = silverTableName(dataset);
  const partsFor = (dialect: Dialect, value: (name: keyof LoadArguments) => string): StatementParts => ({
    dialect,
    value,
    columns,
    target: dialect.name === 'duckdb' ? TARGET_PLACEHOLDER : qualified(dialect, silver),
    silver: qualified(dialect, silver),
    validated: qualified(dialect, validatedTableName(dataset)),
  });
  const statement = new ParameterizedSql<keyof LoadArguments>(`load step of ${ref}`, LOAD_ARGUMENTS, (dialect, value) => {
    const parts = partsFor(dialect, value);
    return dataset.loadMode === 'merge' ? mergeByKey(parts, dataset.primaryKey, dataset.partitionColumns) : replaceSourceRows(parts);
  });
  // Next to the statement, from the same parts: the rows its ON clause can match.
  const scope = new ParameterizedSql<keyof LoadArguments>(`load scope of ${ref}`, LOAD_ARGUMENTS, (dialect, value) => {
    const parts = partsFor(dialect, value);
    return dataset.loadMode === 'merge' ? matchedKeys(parts, dataset.primaryKey) : replacedRows(parts);
  });
  return {
    stateName: PIPELINE_STATES.load,
    dataset: ref,
    template: statement.template,
    argumentPaths: statement.argumentPaths,
    athena: (args) => statement.render(athena, { ...args }),
    duckdb: (args) => ({
      database: target.database,
      table: silver,
      operation: 'merge',
      statements: [statement.render(duckdb, { ...args })],
      scope: scope.render(duckdb, { ...args }),
    }),
    argumentsOf: (athenaQuery) => {
      const { fileId, ingestDate, ingestedAt, sourceId } = statement.valuesOf(athenaQuery);
      return { fileId, ingestDate, ingestedAt, sourceId };
    },
  };
}

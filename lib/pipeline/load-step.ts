/**
 * The Load step of a dataset's pipeline: one statement that writes the rows of one validated
 * file into the dataset's silver table, rendered for Athena (into the definition, as a
 * `States.Format` template) and for DuckDB (run by the offline runtime against the local lake)
 * from one source. Pure: no CDK, no AWS SDK.
 *
 * Both load modes are a single `MERGE`, so a load is one Iceberg commit (readers see all of a
 * file's rows or none) and replaying a file changes nothing:
 * - `merge` (a primary key): the file's rows, de-duplicated on the key keeping the last row
 *   (Athena's MERGE fails when one target row matches several source rows), update or insert
 *   by key.
 * - `append` (no key): rows are matched on (`file_id`, `_row`), which identifies a row of a
 *   delivery. The file's rows update or insert; rows an earlier load of the same file wrote that
 *   this load no longer has (a contract that changed in between) are deleted, so the table holds
 *   exactly the file's current rows. A DELETE then an INSERT would be two commits, and a reader
 *   or a failure between them would see the file missing.
 */
import { FILE_ID_COLUMN, INGEST_DATE_COLUMN, ROW_NUMBER_COLUMN, silverTableName, validatedTableName } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import type { WriteOperation } from '../local/lake/snapshot.ts';
import { TARGET_PLACEHOLDER } from '../local/lake/copy-on-write.ts';
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
}

export const LOAD_ARGUMENTS: Readonly<Record<keyof LoadArguments, SqlArgument>> = {
  fileId: {
    path: PIPELINE_PATHS.fileId,
    pattern: /^[0-9A-Za-z_-]{1,128}$/,
    description: 'a file id (1 to 128 letters, digits, _ and -)',
  },
  ingestDate: {
    path: PIPELINE_PATHS.ingestDate,
    pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/,
    description: 'an ingest date (yyyy-mm-dd)',
  },
};

/** A change to one table of the local lake: the arguments of `LocalLake.write`. */
export interface LakeWrite {
  readonly database: string;
  readonly table: string;
  readonly operation: WriteOperation;
  /** Statements writing `{{target}}`, the table's next snapshot; `"<database>"."<table>"` reads the current one. */
  readonly statements: readonly string[];
}

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

/** The validated rows of this delivery only: the ingest date prunes partitions, the file id picks the file. */
function thisFile(parts: StatementParts, relation: string): string {
  const { dialect, value } = parts;
  return (
    `${relation}.${dialect.identifier(INGEST_DATE_COLUMN)} = DATE ${value('ingestDate')} AND ` +
    `${relation}.${dialect.identifier(FILE_ID_COLUMN)} = ${value('fileId')}`
  );
}

function typedRows(parts: StatementParts): string {
  return parts.columns.map((column) => `${silverValue(parts.dialect, column, 'v')} AS ${parts.dialect.identifier(column.name)}`).join(', ');
}

function mergeClauses(parts: StatementParts, keys: readonly string[]): string {
  const { dialect, columns } = parts;
  const names = columns.map((column) => column.name);
  const updated = names.filter((name) => !keys.includes(name));
  return [
    `WHEN MATCHED THEN UPDATE SET ${updated.map((name) => `${dialect.identifier(name)} = s.${dialect.identifier(name)}`).join(', ')}`,
    `WHEN NOT MATCHED THEN INSERT (${quoted(dialect, names)}) VALUES (${quoted(dialect, names, 's')})`,
  ].join('\n');
}

function keyMatch(dialect: Dialect, keys: readonly string[]): string {
  return keys.map((key) => `t.${dialect.identifier(key)} = s.${dialect.identifier(key)}`).join(' AND ');
}

/** Update or insert by primary key, the last row of the file winning for a repeated key. */
function mergeByKey(parts: StatementParts, primaryKey: readonly string[]): string {
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
    `ON ${keyMatch(dialect, primaryKey)}`,
    mergeClauses(parts, primaryKey),
  ].join('\n');
}

/** Replace the rows of this delivery: match on (`file_id`, `_row`), delete what the file no longer has. */
function replaceFileRows(parts: StatementParts): string {
  const { dialect, columns } = parts;
  const rowKey = [FILE_ID_COLUMN, ROW_NUMBER_COLUMN];
  const replaced = dialect.identifier(REPLACED_COLUMN);
  const row = dialect.identifier(ROW_NUMBER_COLUMN);
  return [
    `MERGE INTO ${parts.target} AS t`,
    'USING (',
    `  SELECT ${typedRows(parts)}, false AS ${replaced}`,
    `  FROM ${parts.validated} AS v`,
    `  WHERE ${thisFile(parts, 'v')}`,
    '  UNION ALL',
    `  SELECT ${quoted(dialect, columns.map((column) => column.name), 'o')}, true AS ${replaced}`,
    `  FROM ${parts.silver} AS o`,
    `  WHERE o.${dialect.identifier(FILE_ID_COLUMN)} = ${parts.value('fileId')}`,
    `    AND o.${row} NOT IN (SELECT v.${row} FROM ${parts.validated} AS v WHERE ${thisFile(parts, 'v')})`,
    ') AS s',
    `ON ${keyMatch(dialect, rowKey)}`,
    `WHEN MATCHED AND s.${replaced} THEN DELETE`,
    mergeClauses(parts, rowKey),
  ].join('\n');
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
  const statement = new ParameterizedSql<keyof LoadArguments>(`load step of ${ref}`, LOAD_ARGUMENTS, (dialect, value) => {
    const parts: StatementParts = {
      dialect,
      value,
      columns,
      target: dialect.name === 'duckdb' ? TARGET_PLACEHOLDER : qualified(dialect, silver),
      silver: qualified(dialect, silver),
      validated: qualified(dialect, validatedTableName(dataset)),
    };
    return dataset.loadMode === 'merge' ? mergeByKey(parts, dataset.primaryKey) : replaceFileRows(parts);
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
    }),
    argumentsOf: (athenaQuery) => {
      const { fileId, ingestDate } = statement.valuesOf(athenaQuery);
      return { fileId, ingestDate };
    },
  };
}

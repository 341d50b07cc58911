/**
 * A dataset's Iceberg silver table: its columns in each engine's types, the Athena DDL that
 * creates it (run by the Athena DDL custom resource, the table's one owner), and the columns of
 * its offline stand-in in the local lake. Pure: no CDK, no AWS SDK.
 */
import { s3Uri, silverPrefix, silverTableName } from '../config/names.ts';
import {
  FILE_ID_COLUMN,
  INGEST_DATE_COLUMN,
  INGESTED_AT_COLUMN,
  ROW_NUMBER_COLUMN,
  SOURCE_ID_COLUMN,
} from '../contracts/lakehouse-columns.ts';
import type { ColumnType, Dataset } from '../contracts/model.ts';
import { quoteIdentifier, quoteString } from '../sql/ansi.ts';
import { ddlIdentifier } from '../sql/ddl-identifier.ts';

/** One column of the silver table in the three spellings its users need. */
export interface SilverColumn {
  readonly name: string;
  /** Athena DDL (Hive) type as Glue stores it for an Iceberg table: `int`, `string`, `decimal(12,2)`. */
  readonly type: string;
  /** Athena (Trino) type the load casts a validated value to before writing it. */
  readonly athenaType: string;
  /** DuckDB type of the column in the local lake. */
  readonly duckdbType: string;
  /** The contract column type, or undefined for the columns the lakehouse adds. */
  readonly contractType?: ColumnType;
}

interface EngineTypes {
  readonly type: string;
  readonly athenaType: string;
  readonly duckdbType: string;
}

/**
 * Iceberg has no 8- or 16-bit integers, so those widen to `int`; its timestamps are microsecond
 * values without a zone, read as UTC, which the offline lake mirrors with DuckDB's `TIMESTAMP`.
 */
function engineTypes(type: ColumnType): EngineTypes {
  switch (type.kind) {
    case 'string':
      return { type: 'string', athenaType: 'varchar', duckdbType: 'VARCHAR' };
    case 'boolean':
      return { type: 'boolean', athenaType: 'boolean', duckdbType: 'BOOLEAN' };
    case 'integer':
      return type.bits === 64
        ? { type: 'bigint', athenaType: 'bigint', duckdbType: 'BIGINT' }
        : { type: 'int', athenaType: 'integer', duckdbType: 'INTEGER' };
    case 'double':
      return { type: 'double', athenaType: 'double', duckdbType: 'DOUBLE' };
    case 'decimal': {
      const decimal = `decimal(${type.precision},${type.scale})`;
      return { type: decimal, athenaType: decimal, duckdbType: decimal.toUpperCase() };
    }
    case 'date':
      return { type: 'date', athenaType: 'date', duckdbType: 'DATE' };
    case 'timestamp':
      return { type: 'timestamp', athenaType: 'timestamp(6)', duckdbType: 'TIMESTAMP' };
    case 'time':
      // Athena's Iceberg DDL has no time type: the validated HH:MM:SS[.ffffff] text is stored.
      return engineTypes({ kind: 'string' });
    case 'struct': {
      const fields = type.fields.map((field) => ({ name: field.name, ...engineTypes(field.type) }));
      return {
        type: `struct<${fields.map((field) => `${field.name}:${field.type}`).join(',')}>`,
        athenaType: `row(${fields.map((field) => `${quoteIdentifier(field.name)} ${field.athenaType}`).join(', ')})`,
        duckdbType: `STRUCT(${fields.map((field) => `${quoteIdentifier(field.name)} ${field.duckdbType}`).join(', ')})`,
      };
    }
    case 'list': {
      const element = engineTypes(type.element);
      return { type: `array<${element.type}>`, athenaType: `array(${element.athenaType})`, duckdbType: `${element.duckdbType}[]` };
    }
  }
}

/**
 * What every loaded row carries besides its contract columns (DESIGN.md "Loads are idempotent by
 * data", "Delivery identity and order"). Columns added later come last, so an existing table
 * follows by `ADD COLUMNS`.
 */
const LINEAGE_COLUMNS: readonly SilverColumn[] = [
  { name: FILE_ID_COLUMN, ...engineTypes({ kind: 'string' }) },
  { name: ROW_NUMBER_COLUMN, ...engineTypes({ kind: 'integer', bits: 64 }) },
  { name: INGEST_DATE_COLUMN, ...engineTypes({ kind: 'date' }) },
  { name: INGESTED_AT_COLUMN, ...engineTypes({ kind: 'timestamp' }) },
  { name: SOURCE_ID_COLUMN, ...engineTypes({ kind: 'string' }) },
];

type SilverDataset = Pick<Dataset, 'domain' | 'name' | 'names' | 'columns' | 'partitionColumns'>;

/** The contract's columns in contract order, then `file_id`, `_row`, `ingest_date`, `_ingested_at` and `_source_id`. */
export function silverColumns(dataset: SilverDataset): SilverColumn[] {
  const lineage = new Set(LINEAGE_COLUMNS.map((column) => column.name));
  const clash = dataset.columns.find((column) => lineage.has(column.name));
  if (clash !== undefined) {
    throw new Error(
      `dataset '${dataset.names.ref}': column '${clash.name}' collides with a column the lakehouse adds ` +
        `(${[...lineage].join(', ')}); rename it (${clash.position.file}:${clash.position.line})`,
    );
  }
  return [
    ...dataset.columns.map((column) => ({ name: column.name, ...engineTypes(column.type), contractType: column.type })),
    ...LINEAGE_COLUMNS,
  ];
}


/**
 * Iceberg partition transforms for the contract's partition columns, in partition order: a day
 * per partition for dates and timestamps (a partition per instant would be one per row), the
 * value itself otherwise.
 */
export function silverPartitionSpec(dataset: SilverDataset): string[] {
  return dataset.partitionColumns.map((name) => {
    const column = dataset.columns.find((candidate) => candidate.name === name);
    if (column === undefined) throw new Error(`dataset '${dataset.names.ref}': partition column '${name}' is not one of its columns`);
    const kind = column.type.kind;
    return kind === 'date' || kind === 'timestamp' ? `day(${ddlIdentifier(name)})` : ddlIdentifier(name);
  });
}

export interface SilverTablePlacement {
  /** The domain's Glue database. */
  readonly database: string;
  /** The environment's silver zone bucket (a token at synth is fine). */
  readonly silverBucket: string;
}

/** `s3://<silver bucket>/<domain>/<table>/`: never under a lifecycle expiry, which would corrupt the table. */
export function silverTableLocation(dataset: SilverDataset, silverBucket: string): string {
  return s3Uri(silverBucket, silverPrefix(dataset));
}

/**
 * `CREATE TABLE IF NOT EXISTS` of the Iceberg silver table, for Athena. Running it again is a
 * no-op; column additions are `ALTER TABLE ADD COLUMNS` (see `iceberg-schema-change.ts`).
 */
export function silverTableDdl(dataset: SilverDataset, placement: SilverTablePlacement): string {
  const columns = silverColumns(dataset).map((column) => `  ${ddlIdentifier(column.name)} ${column.type}`);
  const partitions = silverPartitionSpec(dataset);
  return [
    `CREATE TABLE IF NOT EXISTS ${ddlIdentifier(placement.database)}.${ddlIdentifier(silverTableName(dataset))} (`,
    columns.join(',\n'),
    ')',
    ...(partitions.length === 0 ? [] : [`PARTITIONED BY (${partitions.join(', ')})`]),
    `LOCATION ${quoteString(silverTableLocation(dataset, placement.silverBucket))}`,
    `TBLPROPERTIES ('table_type'='ICEBERG')`,
  ].join('\n');
}

/**
 * The columns of the silver table in the local lake (`LocalLake.createTable` with `ifNotExists`,
 * the offline equivalent of the DDL). The lake does not partition, so the spec has no equivalent.
 */
export function silverLakeColumns(dataset: SilverDataset): { name: string; type: string }[] {
  return silverColumns(dataset).map((column) => ({ name: column.name, type: column.duckdbType }));
}

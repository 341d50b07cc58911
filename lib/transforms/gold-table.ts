/**
 * A model's gold Iceberg tables (DESIGN.md "Gold tables"): the columns DuckDB inferred at synth,
 * in Athena DDL types, and the DDL the Athena DDL custom resource runs to create them. A `table`
 * or `incremental` model owns two tables, its published table and the `<model>__staging` table it
 * is built and tested in; a view owns none (the build replaces it). Pure: no CDK, no AWS SDK.
 */
import { goldPrefix, s3Uri } from '../config/names.ts';
import { ContractError, type ContractProblem } from '../contracts/problems.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import type { TableColumn } from '../pipeline/iceberg-schema-change.ts';
import { quoteString } from '../sql/ansi.ts';
import type { TransformModel } from './model.ts';
import { stagingTableName } from './render.ts';
import { ddlIdentifier } from '../sql/ddl-identifier.ts';

const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: 'string',
  BIGINT: 'bigint',
  INTEGER: 'int',
  DOUBLE: 'double',
  DATE: 'date',
  // Iceberg in Athena stores every timestamp as microseconds in UTC; the build runs with TimeZone UTC.
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
  BOOLEAN: 'boolean',
};

const DECIMAL = /^DECIMAL\((\d+),\s*(\d+)\)$/;

/** The Athena DDL type of a DuckDB column type, or undefined when an Iceberg table has no equivalent. */
export function athenaDdlType(duckdbType: string): string | undefined {
  const type = duckdbType.trim().toUpperCase();
  const decimal = DECIMAL.exec(type);
  if (decimal !== null) return `decimal(${decimal[1]},${decimal[2]})`;
  return SIMPLE_TYPES[type];
}

/**
 * The model's inferred columns in Athena DDL types; throws `ContractError` naming the model and
 * every column whose type a gold table cannot hold, at the column's declaration when it has one.
 */
export function goldColumns(model: Pick<TransformModel, 'id' | 'position' | 'columns'>, columns: readonly LakeColumn[]): TableColumn[] {
  const problems: ContractProblem[] = [];
  const mapped = columns.map((column) => {
    const type = athenaDdlType(column.type);
    if (type === undefined) {
      const declared = model.columns.find((candidate) => candidate.name === column.name);
      problems.push({
        ...(declared?.position ?? model.position),
        message:
          `model '${model.id}': column '${column.name}' has DuckDB type ${column.type}, which a gold Iceberg table cannot hold; ` +
          'cast it in the SELECT to VARCHAR, BIGINT, INTEGER, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP or BOOLEAN',
      });
    }
    return { name: column.name, type: type ?? column.type };
  });
  if (problems.length > 0) throw new ContractError(problems);
  return mapped;
}

export interface GoldTablePlacement {
  /** The Glue database of the model's domain. */
  readonly database: string;
  /** The environment's gold zone bucket. */
  readonly goldBucket: string;
}

/** One gold table as its owner creates it. */
export interface GoldTable {
  readonly table: string;
  /** `s3://<gold bucket>/<domain>/<table>/`. */
  readonly location: string;
  readonly columns: readonly TableColumn[];
  /** `CREATE TABLE IF NOT EXISTS ... TBLPROPERTIES ('table_type'='ICEBERG')`. */
  readonly createStatement: string;
}

/** The names of the tables a model owns: none for a view; the published table and its staging table otherwise. */
export function ownedTableNames(model: Pick<TransformModel, 'name' | 'materialized'>): string[] {
  return model.materialized === 'view' ? [] : [model.name, stagingTableName(model)];
}

/** The tables a model owns (see `ownedTableNames`), with their columns and DDL. */
export function goldTables(
  model: Pick<TransformModel, 'id' | 'domain' | 'name' | 'materialized' | 'position' | 'columns'>,
  columns: readonly LakeColumn[],
  placement: GoldTablePlacement,
): GoldTable[] {
  const names = ownedTableNames(model);
  if (names.length === 0) return [];
  const tableColumns = goldColumns(model, columns);
  return names.map((table) => {
    const location = s3Uri(placement.goldBucket, goldPrefix(model.domain, table));
    return { table, location, columns: tableColumns, createStatement: createStatement(placement.database, table, location, tableColumns) };
  });
}

function createStatement(database: string, table: string, location: string, columns: readonly TableColumn[]): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${ddlIdentifier(database)}.${ddlIdentifier(table)} (`,
    columns.map((column) => `  ${ddlIdentifier(column.name)} ${column.type}`).join(',\n'),
    ')',
    `LOCATION ${quoteString(location)}`,
    `TBLPROPERTIES ('table_type'='ICEBERG')`,
  ].join('\n');
}


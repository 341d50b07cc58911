/**
 * The properties of one `IcebergTable` custom resource, as the construct writes them and the
 * handler reads them back. CloudFormation passes them through as JSON, so the handler checks them.
 */
import type { TableColumn } from '../../lib/pipeline/iceberg-schema-change.ts';

export interface IcebergTableSpec {
  /** Glue database. */
  readonly database: string;
  readonly table: string;
  /** Athena workgroup the DDL runs in (the domain's: its result location and key). */
  readonly workGroup: string;
  /** `CREATE TABLE IF NOT EXISTS ... TBLPROPERTIES ('table_type'='ICEBERG')`, run when the table does not exist. */
  readonly createStatement: string;
  /** The contract's columns with their Athena DDL types, compared with the table's when it exists. */
  readonly columns: readonly TableColumn[];
}

/** `<database>.<table>`: the custom resource's physical id, stable while the table is the same. */
export function physicalIdOf(spec: Pick<IcebergTableSpec, 'database' | 'table'>): string {
  return `${spec.database}.${spec.table}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks custom resource properties, naming every field that is wrong. */
export function parseIcebergTableSpec(properties: unknown): IcebergTableSpec {
  if (!isRecord(properties)) throw new Error(`Iceberg table properties must be an object, got ${JSON.stringify(properties)}`);
  const problems: string[] = [];
  const text = (field: string): string => {
    const value = properties[field];
    if (typeof value === 'string' && value !== '') return value;
    problems.push(`'${field}' must be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`);
    return '';
  };
  const database = text('database');
  const table = text('table');
  const workGroup = text('workGroup');
  const createStatement = text('createStatement');
  const rawColumns = properties['columns'];
  const columns: TableColumn[] = [];
  if (!Array.isArray(rawColumns) || rawColumns.length === 0) {
    problems.push(`'columns' must be a non-empty array of { name, type }, got ${JSON.stringify(rawColumns) ?? 'nothing'}`);
  } else {
    rawColumns.forEach((column: unknown, index) => {
      if (isRecord(column) && typeof column['name'] === 'string' && column['name'] !== '' && typeof column['type'] === 'string' && column['type'] !== '') {
        columns.push({ name: column['name'], type: column['type'] });
      } else {
        problems.push(`'columns[${index}]' must be { name, type } with non-empty strings, got ${JSON.stringify(column)}`);
      }
    });
  }
  if (problems.length > 0) throw new Error(`invalid Iceberg table properties: ${problems.join('; ')}`);
  return { database, table, workGroup, createStatement, columns };
}

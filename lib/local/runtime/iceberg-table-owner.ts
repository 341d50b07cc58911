/**
 * The offline stand-in for the Iceberg table custom resource of any table the app declares (the
 * predictions table of an ML model): its `Custom::IcebergTable` resource is read from the
 * synthesized app, and the table is created in the local lake with those columns, or gets the
 * columns a later deployment added; any other change fails as the deployment would
 * (`NonAdditiveSchemaChangeError`).
 */
import { parseIcebergTableSpec, type IcebergTableSpec } from '../../../lambdas/athena-ddl/table-spec.ts';
import { normalizeType, planSchemaChange, type TableColumn } from '../../pipeline/iceberg-schema-change.ts';
import type { LakeColumn } from '../../pipeline/lake-write.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import type { SynthesizedEnvironment } from './synthesized-environment.ts';

export const ICEBERG_TABLE_TYPE = 'Custom::IcebergTable';

const SPEC_PROPERTIES = ['database', 'table', 'workGroup', 'createStatement', 'columns'] as const;

/** DuckDB's type of each Athena DDL type a gold table may hold (see `athenaDdlType`). */
const DUCKDB_TYPES: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

/** The DuckDB type the local lake stores an Athena DDL type as. */
export function duckDbTypeOfDdl(ddlType: string): string {
  const type = normalizeType(ddlType);
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (decimal !== null) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const found = DUCKDB_TYPES[type];
  if (found === undefined) throw new Error(`Athena DDL type '${ddlType}' has no DuckDB type in the local lake`);
  return found;
}

/** The spec of the synthesized Iceberg table `<database>.<table>`; an error when the app declares none. */
export async function synthesizedIcebergTable(environment: SynthesizedEnvironment, database: string, table: string): Promise<IcebergTableSpec> {
  for (const resource of await environment.resources(ICEBERG_TABLE_TYPE)) {
    if (resource.property('database') !== database || resource.property('table') !== table) continue;
    return parseIcebergTableSpec(Object.fromEntries(SPEC_PROPERTIES.map((name) => [name, resource.property(name)])));
  }
  throw new Error(`the synthesized ${environment.identity.environment} environment declares no Iceberg table ${database}.${table}`);
}

/** Creates the table in the lake as the custom resource would, or adds the columns it lacks. */
export function ensureIcebergTable(lake: LocalLake, spec: Pick<IcebergTableSpec, 'database' | 'table' | 'columns'>): void {
  const columns: LakeColumn[] = spec.columns.map((column: TableColumn) => ({ name: column.name, type: duckDbTypeOfDdl(column.type) }));
  if (!lake.hasTable(spec.database, spec.table)) {
    lake.createTable(spec.database, spec.table, columns, { ifNotExists: true });
    return;
  }
  const current = lake.currentSnapshot(spec.database, spec.table).schema;
  const change = planSchemaChange(`${spec.database}.${spec.table}`, current, columns);
  if (change.kind === 'add-columns') lake.addColumns(spec.database, spec.table, change.columns);
}

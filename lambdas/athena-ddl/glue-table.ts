/** Reads an existing table's columns from the Glue catalog, where Athena keeps Iceberg schemas. */
import { EntityNotFoundException, GetTableCommand, type GlueClient, type Table } from '@aws-sdk/client-glue';
import type { TableColumn } from '../../lib/pipeline/iceberg-schema-change.ts';

/** The part of a `GlueClient` the catalog lookup uses, so tests can stand in for the network. */
export type GlueSend = Pick<GlueClient, 'send'>;

/**
 * The columns of the Iceberg table, or undefined when the table does not exist. Throws when the
 * name is taken by a table that is not Iceberg: running Iceberg DDL on it would be wrong either way.
 */
export async function currentIcebergColumns(glue: GlueSend, database: string, table: string): Promise<TableColumn[] | undefined> {
  let found: Table | undefined;
  try {
    found = (await glue.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
  } catch (error) {
    if (error instanceof EntityNotFoundException) return undefined;
    throw error;
  }
  if (found === undefined) throw new Error(`Glue GetTable ${database}.${table} answered without a table`);
  const tableType = found.Parameters?.['table_type'];
  if (tableType?.toUpperCase() !== 'ICEBERG') {
    throw new Error(
      `${database}.${table} exists in Glue but is not an Iceberg table (table_type ${tableType ?? 'unset'}): ` +
        'rename the dataset, or drop that table if nothing needs it',
    );
  }
  // Glue keeps a dropped Iceberg column with iceberg.field.current = false; it is not part of the table.
  return (found.StorageDescriptor?.Columns ?? [])
    .filter((column) => column.Parameters?.['iceberg.field.current'] !== 'false')
    .map((column) => ({ name: column.Name ?? '', type: column.Type ?? '' }));
}

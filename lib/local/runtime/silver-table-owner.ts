/**
 * The offline stand-in for the Iceberg table custom resource: before a dataset's pipeline or its
 * domain's maintenance runs, the silver table exists in the local lake with the contract's columns,
 * and columns an additive contract change brought are added; any other change fails as the
 * deployment would (`NonAdditiveSchemaChangeError`).
 */
import { silverTableName } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import { planSchemaChange } from '../../pipeline/iceberg-schema-change.ts';
import { silverLakeColumns } from '../../pipeline/silver-table.ts';
import type { LocalLake } from '../lake/local-lake.ts';

export function ensureSilverTable(lake: LocalLake, database: string, dataset: Dataset): void {
  const table = silverTableName(dataset);
  const desired = silverLakeColumns(dataset);
  if (!lake.hasTable(database, table)) {
    lake.createTable(database, table, desired, { ifNotExists: true });
    return;
  }
  const change = planSchemaChange(`${database}.${table}`, lake.currentSnapshot(database, table).schema, desired);
  if (change.kind === 'add-columns') lake.addColumns(database, table, change.columns);
}

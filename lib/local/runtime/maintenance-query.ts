/**
 * A domain's maintenance statements offline. Each Task's query is the Athena rendering of one
 * compiled maintenance step, found by state name and query; DuckDB has no `OPTIMIZE` or `VACUUM`,
 * so the local lake compacts, expires snapshots and removes orphan files itself, and the retention
 * `DELETE` runs as a copy-on-write delete.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TARGET_PLACEHOLDER } from '../../pipeline/lake-write.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import { ORPHAN_GRACE_MS } from '../lake/orphan-files.ts';
import { findMaintenanceStep, type MaintainedTable } from '../../pipeline/maintenance-steps.ts';
import type { OfflineQuery } from './local-athena.ts';

export interface MaintenanceQueryContext {
  readonly tables: readonly MaintainedTable[];
  readonly lake: LocalLake;
  readonly connection: DuckDBConnection;
  readonly now: () => Date;
}

export function maintenanceQuery(context: MaintenanceQueryContext, stateName: string): OfflineQuery {
  const { lake } = context;
  return async (queryString) => {
    const step = findMaintenanceStep(context.tables, stateName, queryString);
    if (step === undefined) {
      throw new Error(`state ${stateName}: '${queryString}' is not the Athena rendering of any maintenance step of these tables`);
    }
    const { database, table } = step.table;
    // Silver tables are created before the run. A gold table is in the lake once its model was
    // built (a staging table lives only in the build's DuckDB session), a predictions table once
    // a promotion wrote to it, ml_runs once a training run was tracked: until then there is
    // nothing to rewrite or expire, as for an empty Iceberg table.
    if (!lake.hasTable(database, table)) return undefined;
    const { offline } = step;
    switch (offline.kind) {
      case 'delete':
        // Only the files holding expired rows are rewritten.
        await lake.write(context.connection, database, table, 'delete', `DELETE FROM ${TARGET_PLACEHOLDER} WHERE ${offline.predicate}`, {
          scope: offline.predicate,
        });
        break;
      case 'compact':
        await lake.compact(database, table);
        break;
      case 'expire-snapshots':
        lake.expireSnapshots(database, table, {
          olderThan: new Date(context.now().getTime() - offline.maxSnapshotAgeSeconds * 1000),
          retainLast: offline.minSnapshotsToKeep,
        });
        // Athena's VACUUM also removes orphan files: a writer killed before its commit leaves one.
        lake.removeOrphanFiles(database, table, { olderThan: new Date(context.now().getTime() - ORPHAN_GRACE_MS) });
        break;
    }
    return undefined;
  };
}

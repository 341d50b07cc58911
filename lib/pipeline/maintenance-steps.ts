/**
 * What a domain's maintenance state machine runs on each of its Iceberg tables, and the state
 * names it runs it in (the offline runtime overrides Task states by these names). Pure: the
 * construct puts the Athena renderings into the definition; offline, the same steps run against
 * the local lake, which compacts and expires snapshots itself because DuckDB has no `OPTIMIZE`.
 */
import { glueDatabaseName, INGEST_DATE_COLUMN, ML_RUNS_TABLE, predictionsTableName, silverTableName, type EnvironmentIdentity } from '../config/names.ts';
import type { Domain } from '../contracts/model.ts';
import { athena } from '../sql/athena.ts';
import type { Dialect } from '../sql/dialect.ts';
import { ddlNameWhereNeeded } from '../sql/ddl-identifier.ts';
import { duckdb } from '../sql/duckdb.ts';

/** States of the maintenance state machine; Task states are marked. */
export const MAINTENANCE_STATES = {
  listTables: 'ListTables',
  forEachTable: 'ForEachTable',
  hasRetention: 'HasRetention',
  /** Task: Athena `DELETE` of rows older than the contract's retention. */
  applyRetention: 'ApplyRetention',
  /** Task: Athena `OPTIMIZE ... REWRITE DATA USING BIN_PACK`. */
  optimize: 'Optimize',
  /** Task: Athena `VACUUM`. */
  vacuum: 'Vacuum',
  tableMaintained: 'TableMaintained',
  /** Task: SNS publish naming the table and the error. */
  alertTableFailed: 'AlertTableFailed',
  tableFailed: 'TableFailed',
  anyTableFailed: 'AnyTableFailed',
  /** Task: SNS publish when the run itself broke (not one table). */
  alertMaintenanceFailed: 'AlertMaintenanceFailed',
  maintenanceFailed: 'MaintenanceFailed',
  maintenanceDone: 'MaintenanceDone',
} as const;

export type MaintenanceTask = typeof MAINTENANCE_STATES.applyRetention | typeof MAINTENANCE_STATES.optimize | typeof MAINTENANCE_STATES.vacuum;

export interface MaintainedTable {
  readonly database: string;
  readonly table: string;
  /** Rows whose ingest date is older are deleted; undefined keeps them forever. */
  readonly retentionDays?: number;
}

/**
 * Athena's `VACUUM` defaults (table properties `vacuum_max_snapshot_age_seconds` and
 * `vacuum_min_snapshots_to_keep`), which the offline expiry mirrors.
 */
export const VACUUM_MAX_SNAPSHOT_AGE_SECONDS = 5 * 24 * 60 * 60;
export const VACUUM_MIN_SNAPSHOTS_TO_KEEP = 1;

/**
 * What the offline runtime does for a step: a DuckDB `DELETE FROM {{target}} WHERE <predicate>`
 * through the lake's copy-on-write, or the lake's own compaction and snapshot expiry.
 */
export type OfflineMaintenance =
  | { readonly kind: 'delete'; readonly predicate: string }
  | { readonly kind: 'compact' }
  | { readonly kind: 'expire-snapshots'; readonly maxSnapshotAgeSeconds: number; readonly minSnapshotsToKeep: number };

export interface MaintenanceStep {
  readonly task: MaintenanceTask;
  readonly table: MaintainedTable;
  /** The query the Athena Task runs, exactly as it appears in the definition. */
  readonly athena: string;
  readonly offline: OfflineMaintenance;
}

/** One item of the definition's table list: what the Map iteration reads. */
export interface MaintenanceItem {
  /** `<database>.<table>`, for alerts. */
  readonly table: string;
  readonly applyRetention?: string;
  readonly optimize: string;
  readonly vacuum: string;
}

/**
 * `OPTIMIZE` and `VACUUM` go past Athena's Trino parser (which rejects them: "mismatched input
 * 'OPTIMIZE'"), and a double-quoted name fails there (dbt-athena strips double quotes from exactly
 * these two statements, dbt-athena#154, #191). A plain name stays bare, as these statements have
 * always run; a reserved word such as `order`, which fails bare, gets the backticks Athena
 * documents for DDL. DML (`DELETE`) quotes every name with double quotes, as Trino does.
 */
function ddlTableName(table: MaintainedTable): string {
  return `${ddlNameWhereNeeded(table.database)}.${ddlNameWhereNeeded(table.table)}`;
}

/** The rows a retention of `days` removes: ingested more than `days` days before today (UTC, as both engines' `current_date` in a UTC session). */
export function retentionPredicate(dialect: Dialect, days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new Error(`retention must be a whole number of days of at least 1, got ${days}`);
  return `${dialect.identifier(INGEST_DATE_COLUMN)} < current_date - INTERVAL '${days}' DAY`;
}

function qualified(dialect: Dialect, table: MaintainedTable): string {
  return `${dialect.identifier(table.database)}.${dialect.identifier(table.table)}`;
}

/** The steps for one table, in the order they run: delete expired rows, compact, then expire old snapshots and their files. */
export function maintenanceSteps(table: MaintainedTable): MaintenanceStep[] {
  const name = ddlTableName(table);
  const retention: MaintenanceStep[] =
    table.retentionDays === undefined
      ? []
      : [
          {
            task: MAINTENANCE_STATES.applyRetention,
            table,
            athena: `DELETE FROM ${qualified(athena, table)} WHERE ${retentionPredicate(athena, table.retentionDays)}`,
            offline: { kind: 'delete', predicate: retentionPredicate(duckdb, table.retentionDays) },
          },
        ];
  return [
    ...retention,
    { task: MAINTENANCE_STATES.optimize, table, athena: `OPTIMIZE ${name} REWRITE DATA USING BIN_PACK`, offline: { kind: 'compact' } },
    {
      task: MAINTENANCE_STATES.vacuum,
      table,
      athena: `VACUUM ${name}`,
      offline: {
        kind: 'expire-snapshots',
        maxSnapshotAgeSeconds: VACUUM_MAX_SNAPSHOT_AGE_SECONDS,
        minSnapshotsToKeep: VACUUM_MIN_SNAPSHOTS_TO_KEEP,
      },
    },
  ];
}

/** The Iceberg silver tables of a domain, with their contracts' retention. */
export function domainSilverTables(identity: EnvironmentIdentity, domain: Domain): MaintainedTable[] {
  const database = glueDatabaseName(identity, domain.name);
  return domain.datasets.map((dataset) => ({
    database,
    table: silverTableName(dataset),
    ...(dataset.retentionDays === undefined ? {} : { retentionDays: dataset.retentionDays }),
  }));
}

/** The gold tables of a domain, by name: what it owns beside its silver tables. */
export interface DomainGoldTables {
  /** The tables its models own (`lib/transforms/gold-table.ts` names them), staging tables too. */
  readonly modelTables: readonly string[];
  /** Its ML models by name, each owning a predictions table (`predictionsTableName`); with any, the domain owns `ML_RUNS_TABLE`. */
  readonly mlModels: readonly string[];
}

/**
 * Every Iceberg table of a domain's maintenance: its silver tables with their retention, then its
 * gold tables, compacted and vacuumed but never deleted from: no model declares a retention, and
 * a prediction or a training run's row has none yet.
 */
export function domainMaintainedTables(identity: EnvironmentIdentity, domain: Domain, gold: DomainGoldTables): MaintainedTable[] {
  const database = glueDatabaseName(identity, domain.name);
  const mlTables = gold.mlModels.length === 0 ? [] : [...gold.mlModels.map(predictionsTableName), ML_RUNS_TABLE];
  const goldTables = [...gold.modelTables, ...mlTables];
  return [...domainSilverTables(identity, domain), ...goldTables.map((table) => ({ database, table }))];
}

/** The Map item for one table, built at synth into the definition. */
export function maintenanceItem(table: MaintainedTable): MaintenanceItem {
  const query = (task: MaintenanceTask): string | undefined => maintenanceSteps(table).find((step) => step.task === task)?.athena;
  const applyRetention = query(MAINTENANCE_STATES.applyRetention);
  return {
    table: `${table.database}.${table.table}`,
    ...(applyRetention === undefined ? {} : { applyRetention }),
    optimize: query(MAINTENANCE_STATES.optimize)!,
    vacuum: query(MAINTENANCE_STATES.vacuum)!,
  };
}

/**
 * The step a maintenance Task state is running, found by its state name and the query string it
 * was given: how the offline runtime learns which table to act on and what to do instead.
 */
export function findMaintenanceStep(
  tables: readonly MaintainedTable[],
  task: string,
  queryString: string,
): MaintenanceStep | undefined {
  return tables.flatMap(maintenanceSteps).find((step) => step.task === task && step.athena === queryString);
}

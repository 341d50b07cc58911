import { WRITE_OPERATIONS, type LakeColumn } from '../../pipeline/lake-write.ts';

/**
 * What one commit of a local table records: its manifest, written once under
 * `metadata/<sequence>.json` and never changed. The offline stand-in for an Iceberg snapshot.
 */

/** A table's name as Athena spells it: `"<database>"."<table>"`. */
export interface TableName {
  readonly database: string;
  readonly table: string;
}


/**
 * Every kind of commit. Expiring snapshots is not one: it changes no data, so the current
 * snapshot id a lineage record points at stays current.
 */
export const LAKE_OPERATIONS = ['create', 'add-columns', ...WRITE_OPERATIONS, 'compact'] as const;
export type LakeOperation = (typeof LAKE_OPERATIONS)[number];

export interface SnapshotSummary {
  readonly addedFiles: number;
  readonly removedFiles: number;
  /** Rows an append added; absent for rewrites, whose new file holds old and new rows alike. */
  readonly addedRows?: number;
  readonly totalRows: number;
}

export interface Snapshot {
  readonly formatVersion: 1;
  /** Random, positive and at most 2^53 - 1, so JSON and JavaScript numbers carry it exactly. */
  readonly snapshotId: number;
  readonly parentSnapshotId: number | null;
  /** 1 for the create commit, then parent + 1: the commit slot two writers compete for. */
  readonly sequence: number;
  /** ISO-8601 UTC. */
  readonly committedAt: string;
  readonly operation: LakeOperation;
  readonly summary: SnapshotSummary;
  readonly schema: readonly LakeColumn[];
  /** Parquet files relative to the table folder, `data/<uuid>.parquet`. */
  readonly files: readonly string[];
}

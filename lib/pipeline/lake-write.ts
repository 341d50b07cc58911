/**
 * What a compiled step hands the offline lake to change a table: the shape both sides agree on,
 * below both, so the pipeline's steps never import the offline runtime. Pure: no I/O.
 */

/** A column and its DuckDB type text (`BIGINT`, `DECIMAL(12,2)`, `TIMESTAMP WITH TIME ZONE`, ...). */
export interface LakeColumn {
  readonly name: string;
  readonly type: string;
}

/** Changes a caller's SQL makes through `LocalLake.write`. */
export const WRITE_OPERATIONS = ['append', 'overwrite', 'merge', 'delete'] as const;
export type WriteOperation = (typeof WRITE_OPERATIONS)[number];

/** Stands, in a caller's statements, for the temporary table that becomes the new snapshot. */
export const TARGET_PLACEHOLDER = '{{target}}';

/** A change to one table of the local lake: the arguments of `LocalLake.write`. */
export interface LakeWrite {
  readonly database: string;
  readonly table: string;
  readonly operation: WriteOperation;
  /** Statements writing `{{target}}`, the table's next snapshot; `"<database>"."<table>"` reads the current one. */
  readonly statements: readonly string[];
  /**
   * A condition on a row `t` of the table that holds for every row the statements can match: the
   * local lake rewrites only the data files holding such a row (`WriteOptions.scope`).
   */
  readonly scope: string;
}

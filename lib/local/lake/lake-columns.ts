import { isDuckDbTypeName } from './duckdb-type-name.ts';
import { LakeError } from './lake-errors.ts';
import type { LakeColumn } from '../../pipeline/lake-write.ts';

/**
 * Checks columns for a new table, or columns added to `existing` ones. DuckDB compares
 * identifiers case-insensitively, so `ID` and `id` are the same column.
 */
export function checkColumns(columns: readonly LakeColumn[], existing: readonly LakeColumn[] = []): void {
  if (columns.length === 0) throw new LakeError('at least one column is required');
  const seen = new Set(existing.map((column) => column.name.toLowerCase()));
  for (const column of columns) {
    if (column.name.length === 0) throw new LakeError('a column name must not be empty');
    const key = column.name.toLowerCase();
    if (seen.has(key)) throw new LakeError(`column '${column.name}' already exists`);
    seen.add(key);
    // Type text is spliced into SQL unquoted, so only the shapes DuckDB type names take are accepted.
    if (!isDuckDbTypeName(column.type)) {
      throw new LakeError(`column '${column.name}' has type '${column.type}', which is not a DuckDB type name`);
    }
  }
}

/** Just `name` and `type`: a caller's richer column objects must not leak into manifests. */
export function lakeColumnsOf(columns: readonly LakeColumn[]): LakeColumn[] {
  return columns.map(({ name, type }) => ({ name, type }));
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDbParse, walkParseTree } from '../sql/duckdb-parse-tree.ts';
import type { TransformModel } from './model.ts';

/**
 * The sensitive contract columns a view model's SQL reads. An Athena view runs with its caller's
 * own permissions on the columns underneath, so a view cannot hide PII (DESIGN.md): reading a
 * sensitive column anywhere (select list, filter, join) or a `*` over a dataset that has one
 * makes the view unusable for anyone not entitled to it. Judged on DuckDB's parse tree, so
 * renaming a column does not hide it.
 */
export async function sensitiveColumnsReadBy(connection: DuckDBConnection, model: TransformModel, duckdbSql: string): Promise<string[]> {
  const sensitive = new Map<string, string>();
  for (const target of model.resolved.values()) {
    if (target.kind !== 'dataset') continue;
    for (const column of target.dataset.columns) if (column.sensitive) sensitive.set(column.name.toLowerCase(), `${target.id}.${column.name}`);
  }
  if (sensitive.size === 0) return [];
  const tree = await duckDbParse(connection, duckdbSql);
  const found = new Set<string>();
  walkParseTree(tree, (node) => {
    if (node['class'] === 'COLUMN_REF' && Array.isArray(node['column_names'])) {
      const name = String(node['column_names'].at(-1)).toLowerCase();
      const column = sensitive.get(name);
      if (column !== undefined) found.add(column);
    }
    if (node['class'] === 'STAR' && node['columns'] === false) for (const column of sensitive.values()) found.add(`${column} (through *)`);
  });
  return [...found].sort();
}

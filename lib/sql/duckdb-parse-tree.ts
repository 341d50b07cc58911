import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from './ansi.ts';

/** DuckDB's own parse of `sql` (`json_serialize_sql`, which serializes only SELECTs). */
export interface DuckDbParse {
  readonly error: boolean;
  readonly error_message?: string;
  readonly statements?: unknown[];
}

/** Parses without running: judging SQL on DuckDB's tree means a rename or a spelling cannot hide what it reads. */
export async function duckDbParse(connection: DuckDBConnection, sql: string): Promise<DuckDbParse> {
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${quoteString(sql)})`);
  return JSON.parse(String(reader.getRows()[0]![0])) as DuckDbParse;
}

/** Calls `visit` on every object node of a parse tree, parents before children. */
export function walkParseTree(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walkParseTree(item, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  visit(value as Record<string, unknown>);
  for (const child of Object.values(value)) walkParseTree(child, visit);
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDbParse, walkParseTree } from './duckdb-parse-tree.ts';
import { escapesItsData } from './escaping-functions.ts';

/**
 * Why DuckDB, which is about to run `sql`, does not read it as exactly one SELECT that stays within
 * its data; undefined when it does. The contract's Trino parse is the rule; this closes the gap
 * where the two grammars differ: DuckDB reads `E'\''` as a string holding a quote where Trino ends
 * the string early, so text Trino sees inside a string can be a second statement to DuckDB.
 * Judged on DuckDB's own parse tree (`json_serialize_sql`, which serializes only SELECTs).
 */
export async function duckDbOneSelectProblem(connection: DuckDBConnection, sql: string): Promise<string | undefined> {
  const parsed = await duckDbParse(connection, sql);
  if (parsed.error) return `DuckDB does not read it as one SELECT: ${parsed.error_message ?? 'parse error'}`;
  if (parsed.statements?.length !== 1) return `DuckDB reads ${parsed.statements?.length ?? 0} statements where one SELECT is allowed`;
  let problem: string | undefined;
  walkParseTree(parsed.statements[0], (node) => {
    // Athena's `CROSS JOIN UNNEST(...)` is a table function to DuckDB; no other one is Athena SQL.
    const tableFunction = (node['function'] as Record<string, unknown> | undefined)?.['function_name'];
    if (node['type'] === 'TABLE_FUNCTION' && tableFunction !== 'unnest') problem ??= `DuckDB reads ${String(tableFunction)}() as a table function, which is not allowed`;
    // DuckDB reads a table named like a file (`FROM 'data.csv'`) as that file.
    if (node['type'] === 'BASE_TABLE' && /[./\\]/.test(String(node['table_name']))) problem ??= `DuckDB reads '${String(node['table_name'])}' as a file, which is not allowed`;
    if (node['class'] === 'FUNCTION' && typeof node['function_name'] === 'string' && escapesItsData(node['function_name'])) {
      problem ??= `${node['function_name']}() reads files or runs SQL text and is not allowed`;
    }
  });
  return problem;
}

/**
 * DuckDB functions that reach files, other databases or SQL text. Athena has none of them, but
 * the same SQL also runs on DuckDB, where each would read or write outside the data it was given.
 */
const ESCAPING_FUNCTIONS = new Set(['glob', 'sniff_csv', 'query', 'query_table', 'getenv', 'parquet_metadata', 'parquet_schema', 'parquet_file_metadata', 'parquet_kv_metadata']);

/** Whether a function, named as written (quoted, schema-qualified or not), is one of them. */
export function escapesItsData(functionName: string): boolean {
  const name = functionName.toLowerCase().replaceAll('"', '').split('.').at(-1)!;
  return name.startsWith('read_') || ESCAPING_FUNCTIONS.has(name);
}

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../../contracts/model.ts';
import { quoteIdentifier } from './sql-text.ts';

/**
 * The relation column, beside a contract column, that is true on rows where the file delivered a
 * value the column cannot hold whatever its type: an object or an array (a Parquet list, struct or
 * map), or a JSON number whose literal the reader cannot give. A reader whose values carry their
 * own type adds one (JSON Lines for every contract column, Parquet for each nested one), so such a
 * value is a `type` failure rather than its text passing as a string.
 */
export function structuredFlagName(column: string): string {
  return `__structured__${column}`;
}

/** Contract column -> its flag as SQL, for the contract columns whose relation has one. */
export async function structuredValueFlags(connection: DuckDBConnection, relation: string, dataset: Dataset): Promise<Map<string, string>> {
  const described = await connection.runAndReadAll(`DESCRIBE ${relation}`);
  const names = new Set(described.getRowObjects().map((row) => String(row['column_name'])));
  return new Map(
    dataset.columns.filter((column) => names.has(structuredFlagName(column.name))).map((column) => [column.name, quoteIdentifier(structuredFlagName(column.name))]),
  );
}

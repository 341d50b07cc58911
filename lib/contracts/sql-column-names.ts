import { quoteIdentifier } from '../sql/ansi.ts';
import { renameQuotedIdentifiers } from '../sql/quoted-identifiers.ts';
import { lakehouseName } from './lakehouse-name.ts';
import type { RawProperty } from './raw-contract.ts';

/**
 * A producer's `type: sql` rule names columns as the producer knows them, `"Unit Price"` or the
 * file's `"Order Qty"` (a physicalName), while the rows it reads carry lakehouse names
 * (`unit_price`): DuckDB and Athena would refuse the written names in every file. So each quoted
 * identifier that is exactly a column's name as written, else exactly a column's physicalName,
 * is written as that column's lakehouse name. Unquoted names need nothing: both engines match
 * them case-insensitively, and one with a space or a dash cannot be written unquoted. Strings
 * and comments stay as written (the lexer tells them apart), and so do the placeholders.
 */
export function withLakehouseColumnNames(query: string, properties: readonly RawProperty[]): string {
  const byName = new Map<string, string>();
  // Physical names first, so a column's written name wins where another column's file name is the same text.
  for (const property of properties) if (property.physicalName !== undefined) byName.set(property.physicalName, lakehouseName(property.name));
  for (const property of properties) byName.set(property.name, lakehouseName(property.name));
  return renameQuotedIdentifiers(query, (name) => {
    const lakehouse = byName.get(name);
    return lakehouse === undefined || lakehouse === name ? undefined : quoteIdentifier(lakehouse);
  });
}

import { quoteIdentifier } from '../sql/ansi.ts';
import { type Qualifier, quotedIdentifiers, renameQuotedIdentifiers } from '../sql/quoted-identifiers.ts';
import { lakehouseName, lakehouseNameOf } from './lakehouse-name.ts';
import type { RawProperty } from './raw-contract.ts';

/**
 * A producer's `type: sql` rule names columns as the producer knows them, `"Unit Price"` or the
 * file's `"Order Qty"` (a physicalName), while the rows it reads carry lakehouse names
 * (`unit_price`): DuckDB and Athena would refuse the written names in every file. So each quoted
 * identifier that is exactly a column's name as written, else exactly a column's physicalName,
 * is written as that column's lakehouse name. Unquoted names need nothing: both engines match
 * them case-insensitively, and one with a space or a dash cannot be written unquoted. Strings
 * and comments stay as written (the lexer tells them apart), and so do the placeholders. After an
 * object column and a dot (`"Ship To"."Zip Code"`), a quoted name is looked up among that
 * object's fields instead, at any depth: the rows' structs carry the fields' lakehouse names too.
 */
export function withLakehouseColumnNames(query: string, properties: readonly RawProperty[]): string {
  return renameQuotedIdentifiers(query, (name, qualifiers) => {
    const written = byWrittenName(objectNamedBy(qualifiers, properties)?.properties ?? properties, name);
    const lakehouse = written === undefined ? undefined : lakehouseName(written.name);
    return lakehouse === undefined || lakehouse === name ? undefined : quoteIdentifier(lakehouse);
  });
}

/**
 * Why a quoted name after an object column and a dot names no field of it, for each such name: the
 * rule would fail on every file, so it is refused at check.
 */
export function unknownNestedFieldNames(query: string, properties: readonly RawProperty[]): string[] {
  return quotedIdentifiers(query).flatMap(({ name, qualifiers }) => {
    const object = objectNamedBy(qualifiers, properties);
    const fields = object?.properties ?? [];
    if (object === undefined || byWrittenName(fields, name) !== undefined) return [];
    return [`'${name}' is not a field of object column '${object.name}' (its fields: ${fields.map((field) => field.name).join(', ')})`];
  });
}

/** The field quoted as `name`: by its name as written, else by its physicalName (written names win). */
function byWrittenName(fields: readonly RawProperty[], name: string): RawProperty | undefined {
  return fields.find((field) => field.name === name) ?? fields.find((field) => field.physicalName === name);
}

/**
 * The object column or field a dotted name's qualifiers end at, if they do. Leading parts that
 * name no column are a table or its alias (`l."Ship To"`); once inside a column, each part must
 * be one of its fields.
 */
function objectNamedBy(qualifiers: readonly Qualifier[], columns: readonly RawProperty[]): RawProperty | undefined {
  let object: RawProperty | undefined;
  for (const qualifier of qualifiers) {
    const fields = object === undefined ? columns : (object.properties ?? []);
    const field = qualifier.quoted
      ? byWrittenName(fields, qualifier.name)
      : fields.find((candidate) => lakehouseNameOf(candidate.name) === qualifier.name.toLowerCase());
    if (field === undefined && object === undefined) continue;
    if (field?.logicalType !== 'object') return undefined;
    object = field;
  }
  return object;
}

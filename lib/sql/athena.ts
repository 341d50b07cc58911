import { datePatternShape, jodaFormat, type DatePattern } from '../contracts/date-pattern.ts';
import type { ColumnType } from '../contracts/model.ts';
import { TIME_OF_DAY_PATTERN } from '../contracts/values.ts';
import { datePattern, decimalPattern, integerPattern, naiveTimestampPattern, parseBoolean, quoteIdentifier, quoteString } from './ansi.ts';
import type { Dialect } from './dialect.ts';

const integerTypes = { 8: 'tinyint', 16: 'smallint', 32: 'integer', 64: 'bigint' } as const;

/** What `from_iso8601_timestamp` returns, so both branches of a timestamp parse agree. */
const timestampType = 'timestamp(3) with time zone';

function type(columnType: ColumnType): string {
  switch (columnType.kind) {
    case 'string':
      return 'varchar';
    case 'boolean':
      return 'boolean';
    case 'integer':
      return integerTypes[columnType.bits];
    case 'double':
      return 'double';
    case 'decimal':
      return `decimal(${columnType.precision},${columnType.scale})`;
    case 'date':
      return 'date';
    case 'timestamp':
      return timestampType;
    case 'time':
      return 'varchar';
    case 'struct':
      return `row(${columnType.fields.map((field) => `${quoteIdentifier(field.name)} ${type(field.type)}`).join(', ')})`;
    case 'list':
      return `array(${type(columnType.element)})`;
  }
}

/** Java regex `matches` semantics through `regexp_like`, which alone finds the pattern anywhere. */
function fullMatch(text: string, pattern: string): string {
  return `regexp_like(${text}, ${quoteString(`^(?:${pattern})$`)})`;
}

function tryCast(expression: string, columnType: ColumnType): string {
  return `try_cast(${expression} AS ${type(columnType)})`;
}

/** Exact or NULL, as in DuckDB: Trino's cast rounds a double or a decimal to the target's scale too. */
function convert(expression: string, columnType: ColumnType): string {
  if (columnType.kind === 'time') return parse(`CAST(${expression} AS varchar)`, columnType);
  const converted = tryCast(expression, columnType);
  return columnType.kind === 'string' ? converted : `CASE WHEN ${converted} = ${expression} THEN ${converted} END`;
}

function parse(text: string, columnType: ColumnType): string {
  switch (columnType.kind) {
    case 'string':
      return text;
    case 'boolean':
      return parseBoolean(text);
    case 'integer':
      return `CASE WHEN ${fullMatch(text, integerPattern)} THEN ${tryCast(`trim(${text})`, columnType)} END`;
    case 'decimal':
      return `CASE WHEN ${fullMatch(text, decimalPattern(columnType.precision, columnType.scale))} THEN ${tryCast(`trim(${text})`, columnType)} END`;
    case 'date':
      return `CASE WHEN ${fullMatch(text, datePattern)} THEN ${tryCast(`trim(${text})`, columnType)} END`;
    case 'double':
      return tryCast(`trim(${text})`, columnType);
    case 'timestamp':
      // Athena's CAST rejects the ISO `T` separator and from_iso8601_timestamp rejects a space.
      return inZone(
        text,
        `CASE WHEN strpos(${text}, 'T') > 0 THEN try(from_iso8601_timestamp(trim(${text}))) ELSE ${tryCast(`trim(${text})`, columnType)} END`,
        columnType,
      );
    case 'time':
      return `CASE WHEN ${fullMatch(text, TIME_OF_DAY_PATTERN)} THEN ${text} END`;
    case 'struct':
    case 'list':
      // Trino's JSON cast matches fields by name, case-insensitively, and fails (NULL here) on a
      // value it cannot convert; unlike DuckDB's rendering it reads keys by the lakehouse name and
      // neither requires fields nor refuses a conversion that changes a value (README).
      return `try(CAST(json_parse(${text}) AS ${type(columnType)}))`;
  }
}

/**
 * Trino's `parse_datetime` reads a Joda pattern in the session's zone (UTC in Athena) and fails on
 * a value that is no date (31.02.2024), hence `try`.
 */
function parseDatePattern(text: string, columnType: ColumnType, pattern: DatePattern): string {
  const parsed = `try(parse_datetime(${text}, ${quoteString(jodaFormat(pattern))}))`;
  return `CASE WHEN ${fullMatch(text, datePatternShape(pattern))} THEN ${zonedWallTime(`CAST(${parsed} AS ${type(columnType)})`, columnType)} END`;
}

/**
 * A timestamp text that names no zone is a wall time in the column's zone; one that names its
 * offset or zone keeps it.
 */
function inZone(text: string, parsed: string, columnType: ColumnType): string {
  if (columnType.kind !== 'timestamp' || columnType.zone === undefined) return parsed;
  return `CASE WHEN ${fullMatch(text, naiveTimestampPattern)} THEN ${placedInZone(parsed, columnType.zone)} ELSE ${parsed} END`;
}

/** Read in the session's UTC, its UTC wall time is the text's, which `with_timezone` places in the zone. */
function placedInZone(parsed: string, zone: string): string {
  return `CAST(with_timezone(CAST(${parsed} AS timestamp(3)), ${quoteString(zone)}) AS ${timestampType})`;
}

/** A date pattern names no zone (date-pattern.ts has no zone field), so its value is always a wall time. */
function zonedWallTime(parsed: string, columnType: ColumnType): string {
  return columnType.kind === 'timestamp' && columnType.zone !== undefined ? placedInZone(parsed, columnType.zone) : parsed;
}

/** Athena engine v3 (Trino) SQL. */
export const athena: Dialect = {
  name: 'athena',
  identifier: quoteIdentifier,
  string: quoteString,
  type,
  parse,
  parseDatePattern,
  convert,
  text: (expression) => `CAST(${expression} AS varchar)`,
  fullMatch,
  countIf: (predicate) => `count_if(${predicate})`,
  length: (text) => `length(${text})`,
  epochSeconds: (expression, columnType) =>
    columnType.kind === 'date' ? `to_unixtime(CAST(${expression} AS timestamp))` : `to_unixtime(${expression})`,
  rarestValueCount: (expression) => `array_min(map_values(histogram(${expression})))`,
  firstRecords: (values, order, count, where) => `min_by(ROW(${values.join(', ')}), ${order}, ${count}) FILTER (WHERE ${where})`,
  inlineCte: (name, body) => `${name} AS (\n${body}\n)`,
  nonNullStrings: (items) =>
    items.length === 0
      ? 'CAST(ARRAY[] AS array(varchar))'
      : `filter(ARRAY[${items.join(', ')}], x -> x IS NOT NULL)`,
  itemCount: (list) => `cardinality(${list})`,
  hasRepeatedItems: (list) =>
    `cardinality(array_distinct(filter(${list}, __item -> __item IS NOT NULL))) < cardinality(filter(${list}, __item -> __item IS NOT NULL))`,
  structField: (struct, name) => `(${struct}).${quoteIdentifier(name)}`,
  anyItem: (list, item, predicate) => `any_match(${list}, ${item} -> ${predicate})`,
};

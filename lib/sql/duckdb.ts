import { datePatternShape, strptimeFormat, type DatePattern } from '../contracts/date-pattern.ts';
import type { ColumnType } from '../contracts/model.ts';
import { TIME_OF_DAY_PATTERN } from '../contracts/values.ts';
import { datePattern, decimalPattern, integerPattern, naiveTimestampPattern, parseBoolean, quoteIdentifier, quoteString } from './ansi.ts';
import type { Dialect } from './dialect.ts';
import { nestedJsonValue } from './duckdb-nested-json.ts';

const integerTypes = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as const;

function type(columnType: ColumnType): string {
  switch (columnType.kind) {
    case 'string':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'integer':
      return integerTypes[columnType.bits];
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${columnType.precision},${columnType.scale})`;
    case 'date':
      return 'DATE';
    case 'timestamp':
      // With TimeZone set to UTC on the connection, an offset in the text is applied, not dropped.
      return 'TIMESTAMPTZ';
    case 'time':
      return 'VARCHAR';
    case 'struct':
      return `STRUCT(${columnType.fields.map((field) => `${quoteIdentifier(field.name)} ${type(field.type)}`).join(', ')})`;
    case 'list':
      return `${type(columnType.element)}[]`;
  }
}

function fullMatch(text: string, pattern: string): string {
  return `regexp_full_match(${text}, ${quoteString(pattern)})`;
}

function tryCast(expression: string, columnType: ColumnType): string {
  return `TRY_CAST(${expression} AS ${type(columnType)})`;
}

/**
 * Exact or NULL: DuckDB's cast rounds a DOUBLE 2.5 to the integer 2, a DECIMAL 19.009 to 19.01 at
 * scale 2 and drops a timestamp's time for a date, so a value converts only when it compares
 * equal to its conversion. Any value has a text; comparing text with a number would not bind.
 */
function convert(expression: string, columnType: ColumnType): string {
  if (columnType.kind === 'timestamp' && columnType.zone !== undefined) return convertZoned(expression, columnType, columnType.zone);
  if (columnType.kind === 'time') return parse(`CAST(${expression} AS VARCHAR)`, columnType);
  if (columnType.kind === 'struct' || columnType.kind === 'list') return parse(`CAST(to_json(${expression}) AS VARCHAR)`, columnType);
  const converted = tryCast(expression, columnType);
  return columnType.kind === 'string' ? converted : `CASE WHEN ${converted} = ${expression} THEN ${converted} END`;
}

/**
 * A timestamp without zone (Parquet's TIMESTAMP not adjusted to UTC) or a DATE is a wall time in
 * the column's zone, as the text `2024-03-01` is; one with zone is an instant already. Decided by
 * the value's SQL type, so one expression serves a file of either kind.
 */
function convertZoned(expression: string, columnType: ColumnType, zone: string): string {
  const naive = `CAST(${expression} AS TIMESTAMP)`;
  const naiveTypes = ['TIMESTAMP', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'DATE'].map(quoteString).join(', ');
  const instant = tryCast(expression, columnType);
  return (
    `CASE WHEN typeof(${expression}) IN (${naiveTypes}) THEN (CASE WHEN ${naive} = ${expression} THEN timezone(${quoteString(zone)}, ${naive}) END) ` +
    `WHEN ${instant} = ${expression} THEN ${instant} END`
  );
}

/**
 * A timestamp text that names no zone is a wall time in the column's zone; one that names its
 * offset or zone keeps it.
 */
function inZone(text: string, parsed: string, columnType: ColumnType): string {
  if (columnType.kind !== 'timestamp' || columnType.zone === undefined) return parsed;
  return `CASE WHEN ${fullMatch(text, naiveTimestampPattern)} THEN ${placedInZone(parsed, columnType.zone)} ELSE ${parsed} END`;
}

/** Parsed as UTC (the connection's zone), its UTC wall time is the text's, which `timezone` places in the zone. */
function placedInZone(parsed: string, zone: string): string {
  return `timezone(${quoteString(zone)}, CAST(${parsed} AS TIMESTAMP))`;
}

function parse(text: string, columnType: ColumnType): string {
  switch (columnType.kind) {
    case 'string':
      return text;
    case 'boolean':
      return parseBoolean(text);
    case 'integer':
      return `CASE WHEN ${fullMatch(text, integerPattern)} THEN ${tryCast(text, columnType)} END`;
    case 'decimal':
      return `CASE WHEN ${fullMatch(text, decimalPattern(columnType.precision, columnType.scale))} THEN ${tryCast(text, columnType)} END`;
    case 'date':
      return `CASE WHEN ${fullMatch(text, datePattern)} THEN ${tryCast(text, columnType)} END`;
    case 'double':
      return tryCast(text, columnType);
    case 'timestamp':
      return inZone(text, tryCast(text, columnType), columnType);
    case 'time':
      return `CASE WHEN ${fullMatch(text, TIME_OF_DAY_PATTERN)} THEN ${text} END`;
    case 'struct':
    case 'list':
      return nestedJsonValue(text, columnType, parse);
  }
}

/** `strptime` gives a TIMESTAMP without zone, which the UTC connection casts as UTC, then placed in the column's zone. */
function parseDatePattern(text: string, columnType: ColumnType, pattern: DatePattern): string {
  const parsed = `try_strptime(${text}, ${quoteString(strptimeFormat(pattern))})`;
  return `CASE WHEN ${fullMatch(text, datePatternShape(pattern))} THEN ${zonedWallTime(`CAST(${parsed} AS ${type(columnType)})`, columnType)} END`;
}

/** A date pattern names no zone (date-pattern.ts has no zone field), so its value is always a wall time. */
function zonedWallTime(parsed: string, columnType: ColumnType): string {
  return columnType.kind === 'timestamp' && columnType.zone !== undefined ? placedInZone(parsed, columnType.zone) : parsed;
}

/** DuckDB SQL; the connection must have `SET TimeZone = 'UTC'` for timestamps to parse as UTC. */
export const duckdb: Dialect = {
  name: 'duckdb',
  identifier: quoteIdentifier,
  string: quoteString,
  type,
  parse,
  parseDatePattern,
  convert,
  text: (expression) => `CAST(${expression} AS VARCHAR)`,
  fullMatch,
  countIf: (predicate) => `count_if(${predicate})`,
  length: (text) => `length(${text})`,
  epochSeconds: (expression) => `epoch(${expression})`,
  rarestValueCount: (expression) => `list_min(map_values(histogram(${expression})))`,
  // An unnamed struct would give every field the same empty name, so each is named by position.
  firstRecords: (values, order, count, where) =>
    `min_by({${values.map((value, index) => `'v${index}': ${value}`).join(', ')}}, ${order}, ${count}) FILTER (WHERE ${where})`,
  inlineCte: (name, body) => `${name} AS NOT MATERIALIZED (\n${body}\n)`,
  nonNullStrings: (items) =>
    items.length === 0 ? 'CAST([] AS VARCHAR[])' : `list_filter([${items.join(', ')}], lambda x: x IS NOT NULL)`,
  itemCount: (list) => `len(${list})`,
  // list_distinct drops NULLs, so the non-null items are counted against it.
  hasRepeatedItems: (list) => `len(list_distinct(${list})) < len(list_filter(${list}, lambda __item: __item IS NOT NULL))`,
  structField: (struct, name) => `struct_extract(${struct}, ${quoteString(name)})`,
  anyItem: (list, item, predicate) => `list_bool_or(list_transform(${list}, lambda ${item}: ${predicate}))`,
};

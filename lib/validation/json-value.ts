import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { JsonValue } from './report.ts';

function isoFromMicros(micros: bigint): string {
  const millis = micros / 1000n - (micros < 0n && micros % 1000n !== 0n ? 1n : 0n);
  return new Date(Number(millis)).toISOString();
}

/**
 * A DuckDB value as plain JSON: BIGINT and DECIMAL become numbers (a BIGINT beyond 2^53 stays
 * exact as a string), dates `yyyy-mm-dd`, timestamps ISO-8601 UTC whatever the process time zone,
 * lists arrays and structs objects by field.
 */
export function jsonValue(value: DuckDBValue): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return value.isFinite ? isoFromMicros(value.micros) : value.toString();
  }
  if (value instanceof DuckDBListValue) return value.items.map(jsonValue);
  if (value instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(value.entries).map(([field, item]) => [field, jsonValue(item)]));
  }
  return value.toString();
}

/** A metric as a number; null stays null (no rows to measure). */
export function numberValue(value: DuckDBValue): number | null {
  const json = jsonValue(value);
  if (json === null) return null;
  if (typeof json === 'number') return json;
  if (typeof json === 'string' && json.trim() !== '' && Number.isFinite(Number(json))) return Number(json);
  throw new Error(`expected a number, got ${JSON.stringify(json)}`);
}

import type { ColumnType } from './model.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * The text a time column stores, as a pattern both RE2 and JavaScript read: `HH:MM:SS` with up to
 * six fraction digits (microseconds, as Iceberg's time).
 */
export const TIME_OF_DAY_PATTERN = '(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,6})?';
const TIME_OF_DAY = new RegExp(`^${TIME_OF_DAY_PATTERN}$`);
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A value written in a contract (a bound, a valid value) as a number that orders like the
 * column's values, or undefined when it is not a value of that type. Dates and timestamps become
 * epoch milliseconds (a timestamp without offset is read as UTC, as the validator does).
 */
export function comparableValue(value: unknown, type: ColumnType): number | undefined {
  switch (type.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    case 'double':
    case 'decimal':
      return typeof value === 'number' ? value : undefined;
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) ? calendarMillis(value) : undefined;
    case 'timestamp':
      return typeof value === 'string' && ISO_TIMESTAMP.test(value) ? calendarMillis(value) : undefined;
    case 'time':
      return typeof value === 'string' && TIME_OF_DAY.test(value) ? secondsOfDay(value) : undefined;
    case 'string':
    case 'boolean':
    case 'struct':
    case 'list':
      return undefined;
  }
}

/** What a value of the type looks like, for messages. */
export function describeType(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return 'a whole number';
    case 'double':
    case 'decimal':
      return 'a number';
    case 'date':
      return "an ISO date string such as '2024-01-31'";
    case 'timestamp':
      return "an ISO timestamp string such as '2024-01-31T12:00:00Z'";
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'time':
      return "a time string such as '12:30:00'";
    case 'struct':
      return 'an object';
    case 'list':
      return 'an array';
  }
}

/** A contract value as messages show it: strings quoted, as YAML would. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Whether `value` is a value of a column of `type` (as written in a contract). */
export function isValueOfType(value: unknown, type: ColumnType): boolean {
  if (type.kind === 'string') return typeof value === 'string';
  if (type.kind === 'boolean') return typeof value === 'boolean';
  return comparableValue(value, type) !== undefined;
}

function secondsOfDay(text: string): number {
  const [hours, minutes, seconds] = text.split(':').map(Number) as [number, number, number];
  return hours * 3600 + minutes * 60 + seconds;
}

function calendarMillis(text: string): number | undefined {
  const match = ISO_TIMESTAMP.exec(text)!;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number, number, number, number, number, number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(millis);
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!realDay || hour > 23 || minute > 59 || second > 59) return undefined;
  return millis - offsetMinutes(match[7]) * 60_000;
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

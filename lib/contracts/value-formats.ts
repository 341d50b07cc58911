import { datePatternShape, fieldsOf, PARSED_DATE_FIELDS, readDatePattern, TIME_FIELDS, type DateField, type DatePattern } from './date-pattern.ts';
import type { Column, ColumnType } from './model.ts';

/**
 * What the validator does with a column's `logicalTypeOptions.format`: check a string value's
 * shape with a pattern (a `format` rule, counted like `pattern`), or that a string value is a real
 * date or timestamp (a `format` rule too), parse a date or timestamp column's
 * values with a date pattern (a value that does not parse fails `type`), nothing more because the
 * column's type already reads exactly that format, report it as not enforced, or refuse the contract.
 */
export type FormatCheck =
  | { readonly check: 'pattern'; readonly pattern: string }
  | { readonly check: 'dateText'; readonly date: DateText }
  /** An integer width narrower than the column's type (`i32`, `u8`): the range its values must lie in, as integer text. */
  | { readonly check: 'range'; readonly minimum?: string; readonly maximum?: string }
  | { readonly check: 'parsed'; readonly pattern: DatePattern }
  | { readonly check: 'implied' }
  | { readonly check: 'notEnforced'; readonly reason: string }
  | { readonly check: 'refused'; readonly reason: string };

/**
 * A string value that must be a real date or timestamp: of exactly `shape` (an RE2 pattern matched
 * against the whole value), and parsed as `readAs`, with the date pattern when there is one, else
 * as ISO 8601: `99.99.2026` has the shape of `dd.MM.yyyy` but is no date.
 */
export interface DateText {
  readonly shape: string;
  readonly readAs: 'date' | 'timestamp';
  readonly pattern?: DatePattern;
}

/** RE2 patterns, matched against the whole value, for the named formats of JSON Schema and ODCS. */
const NAMED_FORMATS: Readonly<Record<string, string>> = {
  email: String.raw`[^@\s]+@[^@\s]+\.[^@\s]+`,
  uri: String.raw`[A-Za-z][A-Za-z0-9+.-]*:[^\s]+`,
  uuid: '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}',
  ipv4: String.raw`((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`,
};

/** The named ISO 8601 formats of JSON Schema, as the date text they stand for. */
const DATE_FORMATS: Readonly<Record<string, DateText>> = {
  'date-time': {
    shape: String.raw`\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?`,
    readAs: 'timestamp',
  },
  date: { shape: String.raw`\d{4}-\d{2}-\d{2}`, readAs: 'date' },
};

/** The named formats the validator checks, for messages and the README. */
export const CHECKED_FORMATS: readonly string[] = [...Object.keys(NAMED_FORMATS), ...Object.keys(DATE_FORMATS)];

/** ODCS's integer formats: `i8`..`i64` signed, `u8`..`u64` unsigned, by their width in bits. */
const INTEGER_FORMATS: readonly string[] = ['i', 'u'].flatMap((sign) => [8, 16, 32, 64].map((bits) => `${sign}${bits}`));

/**
 * What an integer format asks of a column of `bits`: the bounds of its range that are inside the
 * column's own (a value outside the column's range already fails its type).
 */
function integerRange(format: string, bits: number): FormatCheck | undefined {
  if (!INTEGER_FORMATS.includes(format)) return undefined;
  const width = BigInt(format.slice(1));
  const [minimum, maximum] = format.startsWith('u') ? [0n, 2n ** width - 1n] : [-(2n ** (width - 1n)), 2n ** (width - 1n) - 1n];
  const columnMaximum = 2n ** BigInt(bits - 1) - 1n;
  const range = {
    ...(minimum > -columnMaximum - 1n && { minimum: String(minimum) }),
    ...(maximum < columnMaximum && { maximum: String(maximum) }),
  };
  return Object.keys(range).length === 0 ? { check: 'implied' } : { check: 'range', ...range };
}

/** Date and time patterns the column types read as they are: ISO 8601 (`TRY_CAST` in both engines). */
const ISO_FORMATS: Readonly<Record<'date' | 'timestamp', readonly string[]>> = {
  date: ['date', 'yyyy-MM-dd'],
  timestamp: ['date-time', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"],
};

/**
 * A string column's date pattern such as `dd.MM.yyyy` or `dd/MM/yy`: fields and digit-free literal
 * text, with a year, a month and a day. A two-digit year is fine: whichever century each engine
 * puts it in, both read 29.02.00 as 2000, so they agree on which values are real dates.
 */
function datePattern(format: string): DatePattern | undefined {
  const read = readDatePattern(format);
  if (read === undefined || !('pattern' in read)) return undefined;
  const fields = fieldsOf(read.pattern);
  const hasYear = fields.includes('yyyy') || fields.includes('yy');
  return hasYear && fields.includes('MM') && fields.includes('dd') ? read.pattern : undefined;
}

const DATE_FIELDS: readonly DateField[] = ['yyyy', 'MM', 'dd'];

/** A date or timestamp column's pattern (a format with a year), or why its values cannot be parsed with it. */
function parsablePattern(format: string, kind: 'date' | 'timestamp'): { readonly pattern: DatePattern } | { readonly reason: string } {
  const supported = `it reads ${PARSED_DATE_FIELDS.join(', ')} and literal text (quoted when it holds letters, as in 'T')`;
  const read = readDatePattern(format);
  if (read === undefined) return { reason: `it holds a digit or an unclosed quote (${supported})` };
  if ('unknownLetters' in read) {
    return { reason: `the letters ${read.unknownLetters.map((letters) => `'${letters}'`).join(', ')} are not supported (${supported})` };
  }
  const fields = fieldsOf(read.pattern);
  const unparsed = fields.filter((field) => !PARSED_DATE_FIELDS.includes(field));
  if (unparsed.length > 0) {
    return { reason: `'${unparsed.join("', '")}' is not supported: DuckDB and Athena put a two-digit year in different centuries (${supported})` };
  }
  const repeated = fields.find((field, index) => fields.indexOf(field) !== index);
  if (repeated !== undefined) return { reason: `'${repeated}' appears twice` };
  const missing = DATE_FIELDS.filter((field) => !fields.includes(field));
  if (missing.length > 0) return { reason: `it has no ${missing.join(', ')} (a pattern needs ${DATE_FIELDS.join(', ')})` };
  const time = fields.filter((field) => TIME_FIELDS.includes(field));
  if (kind === 'date' && time.length > 0) {
    return { reason: `a date has no time of day (${time.join(', ')}): declare the column a timestamp, or drop the time from the pattern` };
  }
  return { pattern: read.pattern };
}

/** Whether a format reads as a date pattern of known fields and literal text alone (`dd.MM`, `HH:mm`). */
function isPatternOfFieldsOnly(format: string): boolean {
  const read = readDatePattern(format);
  return read !== undefined && 'pattern' in read && fieldsOf(read.pattern).length > 0;
}

/** What the validator does with `format` on a column of `type`. */
export function formatCheck(format: string, type: ColumnType | undefined): FormatCheck {
  const kind = type?.kind;
  if (kind === 'date' || kind === 'timestamp') {
    if (ISO_FORMATS[kind].includes(format)) return { check: 'implied' };
    // A format with a year, or made only of the pattern letters (`dd.MM`), is a date pattern:
    // parsed with, or refused, never taken for ISO nor left unchecked.
    if (/y/.test(format.replace(/'[^']*'/g, '')) || isPatternOfFieldsOnly(format)) {
      const parsable = parsablePattern(format, kind);
      return 'pattern' in parsable ? { check: 'parsed', pattern: parsable.pattern } : { check: 'refused', reason: parsable.reason };
    }
    return { check: 'notEnforced', reason: `format '${format}' on a ${kind} column is not checked (the column's type reads ISO 8601 values)` };
  }
  if (type?.kind === 'integer') {
    const range = integerRange(format, type.bits);
    if (range !== undefined) return range;
  }
  if (kind === 'string') {
    const named = NAMED_FORMATS[format];
    if (named !== undefined) return { check: 'pattern', pattern: named };
    const date = DATE_FORMATS[format];
    if (date !== undefined) return { check: 'dateText', date };
    const pattern = datePattern(format);
    if (pattern !== undefined) {
      const readAs = fieldsOf(pattern).some((field) => TIME_FIELDS.includes(field)) ? 'timestamp' : 'date';
      return { check: 'dateText', date: { shape: datePatternShape(pattern), readAs, pattern } };
    }
  }
  return {
    check: 'notEnforced',
    reason:
      kind === 'string'
        ? `format '${format}' is not one the validator checks (it checks ${CHECKED_FORMATS.join(', ')} and date patterns such as dd.MM.yyyy)`
        : kind === 'integer'
          ? `format '${format}' is not one the validator checks on an integer column (it checks ${INTEGER_FORMATS.join(', ')})`
          : `format '${format}' applies to string, date, timestamp and integer columns; this column is ${kind ?? 'of an unknown type'}`,
  };
}

/**
 * The format a column's values are checked against: the declared one, else `uuid` for a column
 * whose physical type is uuid, which the lakehouse stores as a string.
 */
export function columnFormat(column: Pick<Column, 'physicalType' | 'constraints'>): string | undefined {
  return column.constraints.format ?? (column.physicalType?.trim().toLowerCase() === 'uuid' ? 'uuid' : undefined);
}

/** The date pattern a date or timestamp column's text values are parsed with, if its format gives one. */
export function parsedDatePattern(column: Pick<Column, 'type' | 'constraints'>): DatePattern | undefined {
  const { format } = column.constraints;
  if (format === undefined) return undefined;
  const checked = formatCheck(format, column.type);
  return checked.check === 'parsed' ? checked.pattern : undefined;
}

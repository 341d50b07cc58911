import type { ColumnType } from './model.ts';

/**
 * What the validator does with a column's `logicalTypeOptions.format`: check a string value's
 * shape with a pattern (a `format` rule, counted like `pattern`), nothing more because the column's
 * type already reads exactly that format, report it as not enforced, or refuse the contract.
 */
export type FormatCheck =
  | { readonly check: 'pattern'; readonly pattern: string }
  | { readonly check: 'implied' }
  | { readonly check: 'notEnforced'; readonly reason: string }
  | { readonly check: 'refused'; readonly reason: string };

/** RE2 patterns, matched against the whole value, for the named formats of JSON Schema and ODCS. */
const NAMED_FORMATS: Readonly<Record<string, string>> = {
  email: String.raw`[^@\s]+@[^@\s]+\.[^@\s]+`,
  uri: String.raw`[A-Za-z][A-Za-z0-9+.-]*:[^\s]+`,
  uuid: '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}',
  'date-time': String.raw`\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?`,
  ipv4: String.raw`((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`,
};

/** The named formats the validator checks, for messages and the README. */
export const CHECKED_FORMATS: readonly string[] = Object.keys(NAMED_FORMATS);

/** Date and time patterns the column types read as they are: ISO 8601 (`TRY_CAST` in both engines). */
const ISO_FORMATS: Readonly<Record<'date' | 'timestamp', readonly string[]>> = {
  date: ['date', 'yyyy-MM-dd'],
  timestamp: ['date-time', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"],
};

/** Java/Joda date-pattern letters and the digits each stands for. */
const DATE_FIELDS: Readonly<Record<string, string>> = {
  yyyy: String.raw`\d{4}`,
  yy: String.raw`\d{2}`,
  MM: String.raw`\d{2}`,
  dd: String.raw`\d{2}`,
  HH: String.raw`\d{2}`,
  mm: String.raw`\d{2}`,
  ss: String.raw`\d{2}`,
  SSS: String.raw`\d{3}`,
};
const DATE_FIELD = /yyyy|yy|MM|dd|HH|mm|ss|SSS/g;

/** A date pattern such as `dd.MM.yyyy`: only the fields above, digits-free separators, a year, month and day. */
function isDatePattern(format: string): boolean {
  const rest = format.replace(DATE_FIELD, '');
  return /^[^A-Za-z0-9]*$/.test(rest) && /y{2,4}/.test(format) && format.includes('MM') && format.includes('dd');
}

/** `dd.MM.yyyy` as the RE2 pattern of its shape: `\d{2}\.\d{2}\.\d{4}`. */
function datePatternShape(format: string): string {
  let pattern = '';
  let last = 0;
  for (const match of format.matchAll(DATE_FIELD)) {
    pattern += escapeRe2(format.slice(last, match.index)) + DATE_FIELDS[match[0]]!;
    last = match.index + match[0].length;
  }
  return pattern + escapeRe2(format.slice(last));
}

function escapeRe2(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, (character) => `\\${character}`);
}

/** What the validator does with `format` on a column of `type`. */
export function formatCheck(format: string, type: ColumnType | undefined): FormatCheck {
  const kind = type?.kind;
  if (kind === 'date' || kind === 'timestamp') {
    if (ISO_FORMATS[kind].includes(format)) return { check: 'implied' };
    if (isDatePattern(format)) {
      return {
        check: 'refused',
        reason:
          `${kind} values are read as ISO 8601 (${ISO_FORMATS[kind][1]}), by the validator and by the load alike, so every ` +
          `valid '${format}' value would fail: deliver ISO ${kind}s, or declare the column a string with this format ` +
          '(its shape is then checked)',
      };
    }
    return { check: 'notEnforced', reason: `format '${format}' on a ${kind} column is not checked (the column's type reads ISO 8601 values)` };
  }
  if (kind === 'string') {
    const named = NAMED_FORMATS[format];
    if (named !== undefined) return { check: 'pattern', pattern: named };
    if (isDatePattern(format)) return { check: 'pattern', pattern: datePatternShape(format) };
  }
  return {
    check: 'notEnforced',
    reason:
      kind === 'string'
        ? `format '${format}' is not one the validator checks (it checks ${CHECKED_FORMATS.join(', ')} and date patterns such as dd.MM.yyyy)`
        : `format '${format}' applies to string, date and timestamp columns; this column is ${kind ?? 'of an unknown type'}`,
  };
}

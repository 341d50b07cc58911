/**
 * Java/Joda-style date patterns (`dd.MM.yyyy`, `yyyy-MM-dd'T'HH:mm:ss.SSS`), as ODCS
 * `logicalTypeOptions.format` gives them: read once into fields and literal text, then written as
 * each engine's parse format, so the validator on DuckDB and a query on Athena read a value alike.
 */

/** The fields a pattern may hold, each with its exact number of digits. */
const FIELD_DIGITS = { yyyy: 4, yy: 2, MM: 2, dd: 2, HH: 2, mm: 2, ss: 2, SSS: 3 } as const;
export type DateField = keyof typeof FIELD_DIGITS;

/**
 * The fields a date or timestamp column's pattern is parsed with. `yy` is left out: DuckDB's `%y`
 * and Joda's `yy` put a two-digit year in different centuries.
 */
export const PARSED_DATE_FIELDS: readonly DateField[] = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS'];
export const TIME_FIELDS: readonly DateField[] = ['HH', 'mm', 'ss', 'SSS'];

export type DatePatternPart = { readonly field: DateField } | { readonly literal: string };

export interface DatePattern {
  /** The pattern as the contract wrote it. */
  readonly format: string;
  readonly parts: readonly DatePatternPart[];
}

/** A pattern read, or the letter runs it holds that are no field (`EEE`, `a`, `M`). */
export type ReadDatePattern = { readonly pattern: DatePattern } | { readonly unknownLetters: readonly string[] };

function isField(letters: string): letters is DateField {
  return Object.hasOwn(FIELD_DIGITS, letters);
}

/**
 * Reads a pattern: runs of one letter are fields, text in single quotes is literal (`''` is a
 * quote), anything else but a digit is a literal separator. A digit makes it no pattern at all.
 */
export function readDatePattern(format: string): ReadDatePattern | undefined {
  const parts: DatePatternPart[] = [];
  const unknownLetters: string[] = [];
  const literal = (text: string) => {
    const last = parts.at(-1);
    if (last !== undefined && 'literal' in last) parts[parts.length - 1] = { literal: last.literal + text };
    else parts.push({ literal: text });
  };
  let index = 0;
  while (index < format.length) {
    const character = format[index]!;
    if (/[A-Za-z]/.test(character)) {
      let end = index;
      while (format[end] === character) end += 1;
      const letters = format.slice(index, end);
      if (isField(letters)) parts.push({ field: letters });
      else unknownLetters.push(letters);
      index = end;
    } else if (character === "'") {
      if (format[index + 1] === "'") {
        literal("'");
        index += 2;
        continue;
      }
      // Quoted text runs to the next lone quote; a doubled one inside it is a quote.
      let end = index + 1;
      let text = '';
      while (end < format.length && !(format[end] === "'" && format[end + 1] !== "'")) {
        text += format[end];
        end += format[end] === "'" ? 2 : 1;
      }
      if (end >= format.length) return undefined;
      literal(text);
      index = end + 1;
    } else if (/\d/.test(character)) {
      return undefined;
    } else {
      literal(character);
      index += 1;
    }
  }
  return unknownLetters.length > 0 ? { unknownLetters } : { pattern: { format, parts } };
}

export function fieldsOf(pattern: DatePattern): DateField[] {
  return pattern.parts.flatMap((part) => ('field' in part ? [part.field] : []));
}

function escapeRe2(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, (character) => `\\${character}`);
}

/**
 * `dd.MM.yyyy` as the RE2 pattern of its shape, `\d{2}\.\d{2}\.\d{4}`: both engines' parsers
 * also take `1.1.2027` or a longer year, so a value is parsed only when it has exactly this shape.
 */
export function datePatternShape(pattern: DatePattern): string {
  return pattern.parts.map((part) => ('field' in part ? String.raw`\d{${FIELD_DIGITS[part.field]}}` : escapeRe2(part.literal))).join('');
}

/** DuckDB `strptime` specifiers (https://duckdb.org/docs/sql/functions/dateformat); `%g` is milliseconds. */
const STRPTIME: Readonly<Record<DateField, string>> = {
  yyyy: '%Y',
  yy: '%y',
  MM: '%m',
  dd: '%d',
  HH: '%H',
  mm: '%M',
  ss: '%S',
  SSS: '%g',
};

/** The pattern as a DuckDB `strptime` format: `dd.MM.yyyy` -> `%d.%m.%Y`. */
export function strptimeFormat(pattern: DatePattern): string {
  return pattern.parts.map((part) => ('field' in part ? STRPTIME[part.field] : part.literal.replaceAll('%', '%%'))).join('');
}

/**
 * The pattern as a Joda-Time pattern for Trino's `parse_datetime` (Athena engine v3): the fields
 * are Joda's own letters; literal text is quoted wherever it holds a letter or a quote.
 */
export function jodaFormat(pattern: DatePattern): string {
  return pattern.parts
    .map((part) => {
      if ('field' in part) return part.field;
      return /[A-Za-z']/.test(part.literal) ? `'${part.literal.replaceAll("'", "''")}'` : part.literal;
    })
    .join('');
}

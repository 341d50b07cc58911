/**
 * Quoting that DuckDB and Athena share: standard SQL, where a quote is escaped by doubling it and
 * a backslash is an ordinary character.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Booleans spelled the way both engines' casts agree on, case-insensitive; DuckDB alone would
 * also take `yes` and `y`, which Athena rejects, so a file could pass on one engine only.
 */
export function parseBoolean(text: string): string {
  const word = `lower(trim(${text}))`;
  return `CASE WHEN ${word} IN ('true', 't', '1') THEN true WHEN ${word} IN ('false', 'f', '0') THEN false END`;
}

/** An optional sign and digits: DuckDB's integer cast alone would round `1.5` to 2 and read `0x10` as 16. */
export const integerPattern = '\\s*[+-]?[0-9]+\\s*';

/**
 * A timestamp text that names no zone: a date, optionally a time of day with seconds and a
 * fraction, and nothing after. Only such a text is a wall time in its column's zone; one that
 * gives an offset (`Z`, `+01`) or a zone name (`UTC`, `America/New_York`) keeps its own.
 */
export const naiveTimestampPattern = '\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|\\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)?\\s*';

export const datePattern = '\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*';

/**
 * A plain decimal number that a `decimal(precision,scale)` holds exactly: at most
 * `precision - scale` integer digits and `scale` fraction digits, leading and trailing zeros
 * aside: a cast alone would round `19.009` to 19.01 for a scale of 2.
 */
export function decimalPattern(precision: number, scale: number): string {
  const integerDigits = precision - scale;
  const whole = integerDigits === 0 ? '0+' : `0*[0-9]{1,${integerDigits}}`;
  const fraction = scale === 0 ? '\\.0*' : `\\.[0-9]{0,${scale}}0*`;
  const fractionOnly = scale === 0 ? '\\.0+' : `\\.[0-9]{1,${scale}}0*`;
  return `\\s*[+-]?(?:${whole}(?:${fraction})?|${fractionOnly})\\s*`;
}

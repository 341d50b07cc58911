import { quoteLiteral } from './sql-text.ts';

/** A JSON number as written (RFC 8259), captured whole: JSON Lines are checked valid before. */
const NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
const WHITESPACE = '[ \\t\\r\\n]*';

/**
 * SQL for the literal, as written in `line`, of the number a top-level key holds, or NULL when
 * the literal cannot be located. DuckDB 1.5's JSON functions give a number only as reformatted
 * text (`1.50` as `1.5`, `1e2` as `100.0`, `-0` as `0`, digits beyond a double's lost), so the
 * literal is found in the line's text: the first place where the key, spelled as `JSON.stringify`
 * spells it, follows `{` or `,` and precedes `:` (in valid JSON that is always a key, since a quote
 * inside a string is escaped), at any depth. It is the top-level key's literal exactly when
 * replacing that one place by `null` makes the top-level value null; otherwise (the key written
 * with other escapes, or met first inside a nested object) the literal is unknown.
 */
export function jsonNumberLiteralSql(line: string, key: string, path: string): string {
  const keyAt = `([{,]${WHITESPACE}${escapeRegex(JSON.stringify(key))}${WHITESPACE}:${WHITESPACE})`;
  const pattern = quoteLiteral(`${keyAt}(${NUMBER})`);
  return (
    `CASE WHEN json_type(regexp_replace(${line}, ${pattern}, '\\1null'), ${path}) = 'NULL' ` +
    `THEN regexp_extract(${line}, ${pattern}, 2) END`
  );
}

/** JSON types DuckDB 1.5 gives a number. */
export const JSON_NUMBER_TYPES = ['BIGINT', 'UBIGINT', 'DOUBLE'] as const;

/** `text` matched literally by RE2. */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

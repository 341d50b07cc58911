/** A scalar DuckDB type name: words (`TIMESTAMP WITH TIME ZONE`), then an optional `(p)` or `(p,s)`. */
const SCALAR = /^[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*)* ?(?:\(\s*\d+\s*(?:,\s*\d+\s*)?\))?/;
/** A double-quoted field name, a quote doubled inside. */
const QUOTED_NAME = /^"(?:[^"]|"")+"/;

/**
 * Whether `text` has only the shapes DuckDB type names take, so it is safe to splice into SQL
 * unquoted: a scalar name, `STRUCT("field" <type>, ...)` with quoted field names (an object
 * column), each optionally followed by `[]` suffixes (lists).
 */
export function isDuckDbTypeName(text: string): boolean {
  return typeLength(text) === text.length;
}

/** How many characters at the start of `text` form one type name; -1 when none does. */
function typeLength(text: string): number {
  let length = structLength(text);
  if (length < 0) {
    const scalar = SCALAR.exec(text);
    if (scalar === null || /^STRUCT\b/i.test(text)) return -1;
    length = scalar[0].length;
  }
  while (text.startsWith('[]', length)) length += 2;
  return length;
}

/** `STRUCT("a" T, "b" U)`: the length of the struct type at the start of `text`; -1 when there is none. */
function structLength(text: string): number {
  if (!/^STRUCT\(/i.test(text)) return -1;
  let at = 'STRUCT('.length;
  for (;;) {
    const name = QUOTED_NAME.exec(text.slice(at));
    if (name === null || text[at + name[0].length] !== ' ') return -1;
    at += name[0].length + 1;
    const field = typeLength(text.slice(at));
    if (field < 0) return -1;
    at += field;
    if (text.startsWith(', ', at)) {
      at += 2;
      continue;
    }
    return text[at] === ')' ? at + 1 : -1;
  }
}

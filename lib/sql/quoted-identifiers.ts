// The Trino lexer alone, as in single-select.ts: the package's index loads every grammar.
import { TrinoSqlLexer } from 'dt-sql-parser/dist/lib/trino/TrinoSqlLexer.js';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';

/** A `"quoted identifier"` in a SQL text, by offsets counted in code points, as the lexer counts. */
export interface QuotedIdentifier {
  /** The name it quotes: without its quotes, a doubled `""` read as one `"`. */
  readonly name: string;
  /** 0-based offsets of the identifier with its quotes: start inclusive, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The identifiers before it in a dotted name, outermost first: `["l", "Ship To"]` for `l."Ship To"."Zip"`. */
  readonly qualifiers: readonly Qualifier[];
}

/** One part of a dotted name: a quoted one is matched exactly, an unquoted one case-insensitively. */
export interface Qualifier {
  readonly name: string;
  readonly quoted: boolean;
}

const trino = new TrinoSQL();

/**
 * Every double-quoted identifier in `sql`, found by Trino's lexer (the grammar user SQL is
 * checked with), so a `"` inside a string literal or a comment is not one.
 */
export function quotedIdentifiers(sql: string): QuotedIdentifier[] {
  const identifiers: QuotedIdentifier[] = [];
  // The dotted name being read, with the dot that may continue it: whitespace between parts is allowed.
  let chain: Qualifier[] = [];
  let afterDot = false;
  for (const token of trino.getAllTokens(sql)) {
    if (token.type === TrinoSqlLexer.WHITE_SPACE) continue;
    const quoted = token.type === TrinoSqlLexer.QUOTED_IDENTIFIER;
    if (quoted || token.type === TrinoSqlLexer.IDENTIFIER) {
      const name = quoted ? token.text!.slice(1, -1).replaceAll('""', '"') : token.text!;
      const qualifiers = afterDot ? chain : [];
      if (quoted) identifiers.push({ name, start: token.start, end: token.stop + 1, qualifiers });
      chain = [...qualifiers, { name, quoted }];
      afterDot = false;
    } else if (token.text === '.' && chain.length > 0 && !afterDot) {
      afterDot = true;
    } else {
      chain = [];
      afterDot = false;
    }
  }
  return identifiers;
}

/**
 * `sql` with each quoted identifier replaced by `rename(name, qualifiers)`'s text, or kept where it
 * gives undefined; `qualifiers` are the names before it in a dotted name (`"Ship To"` in `"Ship To"."Zip"`).
 */
export function renameQuotedIdentifiers(sql: string, rename: (name: string, qualifiers: readonly Qualifier[]) => string | undefined): string {
  const codePoints = [...sql];
  let renamed = '';
  let from = 0;
  for (const identifier of quotedIdentifiers(sql)) {
    const replacement = rename(identifier.name, identifier.qualifiers);
    if (replacement === undefined) continue;
    renamed += codePoints.slice(from, identifier.start).join('') + replacement;
    from = identifier.end;
  }
  return renamed + codePoints.slice(from).join('');
}

// The Trino lexer alone, as in single-select.ts: the package's index loads every grammar.
import { TrinoSqlLexer } from 'dt-sql-parser/dist/lib/trino/TrinoSqlLexer.js';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';

/** A `"quoted identifier"` in a SQL text, by offsets counted in code points, as the lexer counts. */
interface QuotedIdentifier {
  /** The name it quotes: without its quotes, a doubled `""` read as one `"`. */
  readonly name: string;
  /** 0-based offsets of the identifier with its quotes: start inclusive, end exclusive. */
  readonly start: number;
  readonly end: number;
}

const trino = new TrinoSQL();

/**
 * Every double-quoted identifier in `sql`, found by Trino's lexer (the grammar user SQL is
 * checked with), so a `"` inside a string literal or a comment is not one.
 */
function quotedIdentifiers(sql: string): QuotedIdentifier[] {
  return trino
    .getAllTokens(sql)
    .filter((token) => token.type === TrinoSqlLexer.QUOTED_IDENTIFIER)
    .map((token) => ({ name: token.text!.slice(1, -1).replaceAll('""', '"'), start: token.start, end: token.stop + 1 }));
}

/** `sql` with each quoted identifier replaced by `rename(name)`'s text, or kept where it gives undefined. */
export function renameQuotedIdentifiers(sql: string, rename: (name: string) => string | undefined): string {
  const codePoints = [...sql];
  let renamed = '';
  let from = 0;
  for (const identifier of quotedIdentifiers(sql)) {
    const replacement = rename(identifier.name);
    if (replacement === undefined) continue;
    renamed += codePoints.slice(from, identifier.start).join('') + replacement;
    from = identifier.end;
  }
  return renamed + codePoints.slice(from).join('');
}

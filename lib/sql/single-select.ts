// The Trino parser alone: the package's index loads all of its grammars, about 4 s more per process.
import { TrinoSqlListener } from 'dt-sql-parser/dist/lib/trino/TrinoSqlListener.js';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';
import { escapesItsData } from './escaping-functions.ts';

/** Where in a SQL text a problem starts, both 1-based. */
export interface SqlProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Types Athena (Trino) writes as `<type> '<text>'` literals. */
const TYPED_LITERALS = new Set(['date', 'time', 'timestamp', 'decimal', 'real', 'char', 'varchar', 'json', 'ipaddress', 'uuid', 'bigint', 'integer', 'int', 'smallint', 'tinyint', 'boolean']);

interface Located {
  readonly start: { readonly line: number; readonly column: number; readonly text: string | null } | null;
  readonly parent: unknown;
}

const trino = new TrinoSQL();

/**
 * Parses user-written SQL with the grammar of Trino (Athena engine v3, where it also runs) and
 * says why it is not exactly one plain SELECT: several statements, another statement (COPY,
 * INSERT, SET, ...), an inline function (`WITH FUNCTION`), a table function (`TABLE(...)`) or a
 * DuckDB function that reads files. Undefined when it is one. Judged on the parse tree, not on
 * the text, so a `;` inside a string or a comment changes nothing.
 */
export function singleSelectProblem(sql: string): SqlProblem | undefined {
  if (!judged.has(sql)) judged.set(sql, judge(sql));
  return judged.get(sql);
}

/**
 * Verdicts by SQL text: a model renders the same SQL for several steps and stacks, and one parse
 * takes tens of milliseconds (seconds for the first, while the parser warms up).
 */
const judged = new Map<string, SqlProblem | undefined>();

function judge(sql: string): SqlProblem | undefined {
  const syntax: SqlProblem[] = [];
  const tree = trino.parse(sql, (error) => syntax.push({ line: error.startLine, column: error.startColumn, message: error.message }));
  if (syntax.length > 0) return { ...syntax[0]!, message: `not valid Athena (Trino) SQL: ${syntax[0]!.message}` };

  const found: SqlProblem[] = [];
  const at = (ctx: Located, message: string) => found.push({ line: ctx.start?.line ?? 1, column: (ctx.start?.column ?? 0) + 1, message });
  let statements = 0;
  let single: unknown;
  let isSelect = false;
  const listener = new (class extends TrinoSqlListener {
    override enterSingleStatement = (ctx: Located) => {
      statements += 1;
      single = ctx;
      if (statements === 2) at(ctx, 'only one statement is allowed, and this is a second one');
    };
    override enterStatementDefault = (ctx: Located) => {
      if (ctx.parent === single) isSelect = true;
    };
    override enterWithFunction = (ctx: Located) => at(ctx, 'inline functions (WITH FUNCTION) are not allowed');
    override enterTableFunctionCall = (ctx: Located) => at(ctx, 'table functions (TABLE(...)) are not allowed');
    // Trino reads E'\'' as a literal of a type E whose text runs on past the second quote; DuckDB
    // reads a one-quote string and then more statements, hidden from this parse inside that text.
    override enterTypeConstructor = (ctx: Located & { identifier(): { getText(): string } | null }) => {
      const type = ctx.identifier()?.getText();
      if (type !== undefined && !TYPED_LITERALS.has(type.toLowerCase())) at(ctx, `${type}'...' is not a literal Athena knows (DuckDB would read an escaped string)`);
    };
    override enterFunctionCall = (ctx: Located & { functionName(): { getText(): string } }) => {
      const name = ctx.functionName().getText();
      if (escapesItsData(name)) at(ctx, `${name}() reads files or runs SQL text and is not allowed`);
    };
  })();
  trino.listen(listener, tree);
  if (statements === 0) return { line: 1, column: 1, message: 'no statement: a SELECT is expected' };
  const first = tree.statements()[0]!.singleStatement().statement();
  if (statements === 1 && !isSelect) {
    return { line: first.start?.line ?? 1, column: (first.start?.column ?? 0) + 1, message: `only a SELECT is allowed, not ${first.start?.text?.toUpperCase() ?? 'this statement'}` };
  }
  return found[0];
}

// The Trino parser alone, as in single-select.ts: the package's index loads every grammar.
import {
  AliasedRelationContext,
  PatternRecognitionContext,
  QueryNoWithContext,
  QueryPrimaryDefaultContext,
  QuerySpecificationContext,
  QueryStatementContext,
  QueryTermDefaultContext,
  RelationDefaultContext,
  SampledRelationContext,
  StatementDefaultContext,
  TableNameContext,
} from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser.js';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';

/**
 * Where a `SELECT COUNT(*) FROM <table> WHERE <condition>` query counts, by offsets into its text
 * counted in code points, as the parser counts (`[...sql]`, not UTF-16 units: an emoji is one).
 */
export interface CountWhere {
  /** The table counted, as written (`"object"`, `sales.orders`). */
  readonly table: string;
  /** 0-based offsets of the select item, `COUNT(*)` with its alias if any: start inclusive, end exclusive. */
  readonly countStart: number;
  readonly countEnd: number;
  /** 0-based offset just past the query: before a trailing `;` or comment. */
  readonly queryEnd: number;
}

const trino = new TrinoSQL();

/** What this module reads of antlr4ng's parse tree (antlr4ng comes with dt-sql-parser, not as our dependency). */
interface ParseTree {
  getChildCount(): number;
  getChild(index: number): ParseTree | null;
}

/** The table between `FROM` and `WHERE` when it stands alone, optionally aliased: no column aliases, sample, join, MATCH_RECOGNIZE or time travel. */
function plainTable(relation: ParseTree): string | undefined {
  let node: ParseTree | null = relation;
  for (const wrapper of [RelationDefaultContext, SampledRelationContext, PatternRecognitionContext]) {
    if (!(node instanceof wrapper) || node.getChildCount() !== 1) return undefined;
    node = node.getChild(0);
  }
  if (!(node instanceof AliasedRelationContext) || node.columnAliases() !== null) return undefined;
  const table = node.relationPrimary();
  return table instanceof TableNameContext && table.queryPeriod() === null ? table.tableOrViewName().getText() : undefined;
}

/** `node` when it is of `type` and has one child: a grammar rule taking its default alternative and nothing more. */
function only<T extends ParseTree>(node: ParseTree | null, type: abstract new (...args: never[]) => T): T | undefined {
  return node instanceof type && node.getChildCount() === 1 ? node : undefined;
}

/**
 * `sql` when it counts the rows of one table where a condition holds: exactly `SELECT COUNT(*)`
 * (or `COUNT(1)`, which counts the same rows) `FROM <table> [AS alias] WHERE <condition>`, case and
 * spacing free, with a `;` or not. Undefined for anything else: no WITH, set operation, subquery
 * anywhere (the condition is then a test of one row alone), join, GROUP BY, HAVING, WINDOW,
 * DISTINCT, ORDER BY, LIMIT, OFFSET or FETCH. Judged on Trino's parse tree, so a keyword inside
 * a string or a comment changes nothing.
 */
export function countWhere(sql: string): CountWhere | undefined {
  let syntaxErrors = 0;
  const tree = trino.parse(sql, () => (syntaxErrors += 1));
  if (syntaxErrors > 0 || tree.statements().length !== 1) return undefined;
  const statement = tree.statements()[0]!.singleStatement().statement();
  if (!(statement instanceof StatementDefaultContext)) return undefined;
  const query = statement.rootQuery().query();
  if (!(query instanceof QueryStatementContext) || query.with() !== null) return undefined;
  const noWith = only(query.queryNoWith(), QueryNoWithContext);
  const term = only(noWith?.queryTerm() ?? null, QueryTermDefaultContext);
  const primary = only(term?.queryPrimary() ?? null, QueryPrimaryDefaultContext);
  const select = primary?.querySpecification();
  if (!(select instanceof QuerySpecificationContext) || !hasNoNestedQuery(select)) return undefined;
  if (select.setQuantifier() !== null || select.groupBy() !== null || select.havingClause() !== null) return undefined;
  if (select.windowDefinition().length > 0 || select.whereClause() === null) return undefined;
  const items = select.selectList().selectItem();
  const relations = select.relation();
  const table = relations.length === 1 ? plainTable(relations[0]!) : undefined;
  if (items.length !== 1 || table === undefined) return undefined;
  const item = items[0]!;
  const count = item.selectExpressionColumnName()?.expression();
  if (count === undefined || !['count(*)', 'count(1)'].includes(count.getText().toLowerCase())) return undefined;
  return {
    table,
    countStart: item.start!.start,
    countEnd: item.stop!.stop + 1,
    queryEnd: select.stop!.stop + 1,
  };
}

/** No query nested in `select` (a subquery or `IN (VALUES ...)`): each has its own QueryNoWith. */
function hasNoNestedQuery(select: ParseTree): boolean {
  let nested = 0;
  const visit = (node: ParseTree): void => {
    if (node instanceof QueryNoWithContext) nested += 1;
    for (let index = 0; index < node.getChildCount(); index += 1) visit(node.getChild(index)!);
  };
  visit(select);
  return nested === 0;
}

import type { DatePattern } from '../contracts/date-pattern.ts';
import type { ColumnType } from '../contracts/model.ts';

/**
 * How one SQL engine spells what the rule compiler needs. Everything not here is written once,
 * in the SQL both DuckDB and Athena (Trino) accept, so the two renderings of a compiled query
 * differ only where the engines do.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'athena';
  /** A quoted identifier: any name, including reserved words and mixed case, stays itself. */
  identifier(name: string): string;
  string(value: string): string;
  /** The engine's type for a contract column type. */
  type(type: ColumnType): string;
  /**
   * Text parsed as a value of the column type, or NULL when the text is not one exactly (never
   * rounded to fit). Never an error: an unparsable value is a `type` failure to count, not a
   * reason to stop.
   */
  parse(text: string, type: ColumnType): string;
  /**
   * Text of a date or timestamp column written in the contract's date pattern (`dd.MM.yyyy`)
   * parsed as the column type, or NULL when it does not have the pattern's shape or is no date.
   */
  parseDatePattern(text: string, type: ColumnType, pattern: DatePattern): string;
  /**
   * A value of another engine type converted to the column type, or NULL when it does not fit
   * exactly: never rounded (a fraction for an integer, digits beyond a decimal's scale), never
   * out of range, a date never from a timestamp with a time.
   */
  convert(expression: string, type: ColumnType): string;
  text(expression: string): string;
  /** True when the whole text matches the RE2 pattern, not just a part of it. */
  fullMatch(text: string, pattern: string): string;
  countIf(predicate: string): string;
  /** Length in characters, not bytes. */
  length(text: string): string;
  /** Seconds since 1970-01-01 UTC of a date or timestamp value, as a double. */
  epochSeconds(expression: string, type: ColumnType): string;
  /** The row count of the rarest non-null value of the expression; NULL when there is none. */
  rarestValueCount(expression: string): string;
  /**
   * An aggregate: the records of `values` of the first `count` rows by `order` among those where
   * `where` holds, ascending; NULL when none does. A record's fields read back in the order of
   * `values`, NULLs kept: the engines' top-N aggregates would drop a bare NULL argument.
   */
  firstRecords(values: readonly string[], order: string, count: number, where: string): string;
  /**
   * A named subquery for a WITH clause that the engine evaluates where it is used instead of
   * storing its result: reading a file twice is cheaper than holding all of it in memory.
   */
  inlineCte(name: string, body: string): string;
  /** An array of the given string expressions that are not NULL, in order. */
  nonNullStrings(items: readonly string[]): string;
  /** How many items a list holds, nulls included. */
  itemCount(list: string): string;
  /** True when a non-null item appears more than once in the list. */
  hasRepeatedItems(list: string): string;
  /** A struct value's field, by the name the struct stores it under. */
  structField(struct: string, name: string): string;
  /** True when `predicate`, reading `item` as each element of the list, holds for any element; never true for an empty or NULL list. */
  anyItem(list: string, item: string, predicate: string): string;
}

/**
 * SQL whose runtime values (a file id, an ingest date) are only known inside a Step Functions
 * execution. One builder writes the statement; from it come the `States.Format` template the
 * synthesized definition carries, the statement for given values in either dialect, and the
 * inverse: the values read back out of a query the definition formatted, which is how the
 * offline runtime learns them (a Task override sees only the formatted `QueryString`).
 */
import { athena } from '../sql/athena.ts';
import type { Dialect } from '../sql/dialect.ts';

/** A runtime value: where the definition reads it, and the shape it must have. */
export interface SqlArgument {
  /** JSONPath into the state input, e.g. `$.validation.fileId`. */
  readonly path: string;
  /**
   * The whole value must match. `States.Format` splices values between quotes without escaping
   * them, so a value with a quote, brace or backslash is refused whatever the pattern says.
   */
  readonly pattern: RegExp;
  /** What the value is, for error messages: `a file id (24 hex digits)`. */
  readonly description: string;
}

/** Writes the statement; `value(name)` is the SQL string literal of a runtime value. */
export type SqlBuilder<Name extends string> = (dialect: Dialect, value: (name: Name) => string) => string;

/** Stands for a value while the template is built; SQL text never contains NUL. */
const MARK = '\u0000';

const UNSAFE_IN_VALUE = /['{}\\]/;

/** `States.Format` treats `{` `}` as placeholders and `\` as an escape, so literal ones are escaped. */
function escapeFormatText(text: string): string {
  return text.replace(/[{}]/g, '\\$&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class ParameterizedSql<Name extends string> {
  /** The runtime values in placeholder order; a value used twice appears twice. */
  private readonly placeholders: readonly Name[];
  /** The statement's text between placeholders, one more piece than placeholders. */
  private readonly athenaPieces: readonly string[];

  constructor(
    private readonly description: string,
    private readonly argumentsByName: Readonly<Record<Name, SqlArgument>>,
    private readonly build: SqlBuilder<Name>,
  ) {
    const placeholders: Name[] = [];
    const marked = build(athena, (name) => {
      placeholders.push(name);
      return `'${MARK}'`;
    });
    const pieces = marked.split(MARK);
    if (pieces.length !== placeholders.length + 1) throw new Error(`${description}: the statement contains a NUL character`);
    if (marked.includes('\\')) {
      // States.Format reads `\` as an escape in AWS, and the local interpreter drops it altogether.
      throw new Error(`${description}: the statement contains a backslash, which AWS and the local interpreter format differently`);
    }
    this.placeholders = placeholders;
    this.athenaPieces = pieces;
  }

  /**
   * The first argument of `States.Format`: the Athena statement with `{}` for each value and
   * literal braces escaped. (Quotes are escaped later, when the template is quoted into the
   * intrinsic call, as the CDK's `JsonPath.format` does.)
   */
  get template(): string {
    return this.athenaPieces.map(escapeFormatText).join('{}');
  }

  /** The JSONPath of each placeholder's value, in order: the rest of the `States.Format` arguments. */
  get argumentPaths(): string[] {
    return this.placeholders.map((name) => this.argumentsByName[name].path);
  }

  /** The statement for these values, in `dialect`; throws when a value has the wrong shape. */
  render(dialect: Dialect, values: Readonly<Record<Name, string>>): string {
    this.check(values);
    return this.build(dialect, (name) => dialect.string(values[name]));
  }

  /**
   * The values a query formatted from the template carries. Throws when the query is not this
   * statement (a definition out of date with the contract), when one value appears with two
   * different texts, or when a value has the wrong shape.
   */
  valuesOf(athenaQuery: string): Record<Name, string> {
    const pattern = new RegExp(`^${this.athenaPieces.map(escapeRegExp).join("([^']*)")}$`, 's');
    const match = pattern.exec(athenaQuery);
    if (match === null) {
      throw new Error(`${this.description}: the query is not this step's statement (was the definition synthesized from another contract?)`);
    }
    const values: Partial<Record<Name, string>> = {};
    this.placeholders.forEach((name, index) => {
      const text = match[index + 1]!;
      const seen = values[name];
      if (seen !== undefined && seen !== text) {
        throw new Error(`${this.description}: '${name}' is '${seen}' in one place of the query and '${text}' in another`);
      }
      values[name] = text;
    });
    const complete = values as Record<Name, string>;
    this.check(complete);
    return complete;
  }

  private check(values: Readonly<Record<Name, string>>): void {
    const problems = Object.entries<SqlArgument>(this.argumentsByName).flatMap(([name, argument]) => {
      const value = (values as Readonly<Record<string, unknown>>)[name];
      if (typeof value === 'string' && argument.pattern.test(value) && !UNSAFE_IN_VALUE.test(value)) return [];
      return [`'${name}' must be ${argument.description}, got ${JSON.stringify(value) ?? 'nothing'}`];
    });
    if (problems.length > 0) throw new Error(`${this.description}: ${problems.join('; ')}`);
  }
}

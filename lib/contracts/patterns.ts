import { RE2JS } from 're2js';

/** Constructs RE2 rejects that ECMA-262 accepts; named so the message can say what to remove. */
const NON_PORTABLE: readonly { readonly syntax: RegExp; readonly name: string }[] = [
  { syntax: /\(\?<?[=!]/, name: 'lookahead or lookbehind' },
  { syntax: /\\[1-9]|\\k</, name: 'a backreference' },
];

/**
 * Why a contract pattern cannot be used, or undefined when it can. ODCS patterns are ECMA-262,
 * but the same pattern must run in DuckDB (RE2) and Athena (Java), so it has to compile as both
 * ECMA and RE2 syntax.
 */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (error) {
    return `pattern '${pattern}' is not a valid regular expression: ${(error as Error).message}`;
  }
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    const construct = NON_PORTABLE.find(({ syntax }) => syntax.test(pattern));
    if (construct !== undefined) {
      return `pattern '${pattern}' uses ${construct.name}, which RE2 (DuckDB) cannot run; a pattern must run the same in RE2 (DuckDB) and Java (Athena) regex, so rewrite it without lookaround or backreferences`;
    }
    return `pattern '${pattern}' is not valid RE2 syntax, which DuckDB needs: ${(error as Error).message}`;
  }
  return undefined;
}

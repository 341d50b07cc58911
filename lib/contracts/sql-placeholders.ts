/**
 * Placeholders a `type: sql` rule may write for the names it reads: ODCS's `{object}` (the
 * dataset's rows) and `{property}` (the column the rule is attached to), and `${model}`, the
 * name another common tool uses for the rows. Replaced wherever they appear in the query text.
 */
export type PlaceholderMeaning = 'object' | 'property';

const MEANINGS: Readonly<Record<string, PlaceholderMeaning>> = {
  '{object}': 'object',
  '${model}': 'object',
  '{property}': 'property',
};

export const KNOWN_PLACEHOLDERS = Object.keys(MEANINGS);

/** `{name}` or `${name}`; a name, so a regex quantifier such as `{3}` in a string is not one. */
const PLACEHOLDER = /\$?\{[A-Za-z_][A-Za-z0-9_]*\}/g;

export interface PlaceholderUse {
  readonly written: string;
  /** 0-based offset in the query. */
  readonly offset: number;
  /** Undefined for a placeholder this project does not know. */
  readonly meaning: PlaceholderMeaning | undefined;
}

export function placeholdersIn(query: string): PlaceholderUse[] {
  return [...query.matchAll(PLACEHOLDER)].map((match) => ({ written: match[0], offset: match.index, meaning: MEANINGS[match[0]] }));
}

/** `query` with each known placeholder replaced by `fill(meaning)`; unknown ones are left as written. */
export function fillPlaceholders(query: string, fill: (meaning: PlaceholderMeaning) => string): string {
  return query.replace(PLACEHOLDER, (written) => {
    const meaning = MEANINGS[written];
    return meaning === undefined ? written : fill(meaning);
  });
}

/**
 * `query` with every placeholder, known or not, written as a quoted identifier of the same length
 * (`{object}` as `"object"`, `${model}` as `"$model"`), so a parser's columns are the query's.
 */
export function placeholdersAsIdentifiers(query: string): string {
  return query.replace(PLACEHOLDER, (written) => `"${written.replace(/[{}]/g, '')}"`);
}

/** A column as far as choosing a freshness column goes: its name and its type's kind, if known. */
export interface FreshnessCandidate {
  readonly name: string;
  readonly kind: string | undefined;
}

/**
 * The column a freshness SLA whose element names no column is measured on: the dataset's only
 * timestamp column, else (when it has no timestamp column) its only date column. Otherwise there
 * is no choice to make: `choices` lists every timestamp and date column, each of which an element
 * may name (none when the dataset has no such column).
 */
export function impliedFreshnessColumn(columns: readonly FreshnessCandidate[]): { readonly column: string } | { readonly choices: readonly string[] } {
  for (const kind of ['timestamp', 'date']) {
    const candidates = columns.filter((column) => column.kind === kind);
    if (candidates.length === 1) return { column: candidates[0]!.name };
    if (candidates.length > 1) break;
  }
  return { choices: columns.filter((column) => column.kind === 'timestamp' || column.kind === 'date').map((column) => column.name) };
}

/** What `missingValues` counts besides null when a rule lists none. */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['', 'N/A', 'n/a', 'null', 'NULL'];

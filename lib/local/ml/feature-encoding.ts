/**
 * Rows of a feature table as the numeric matrix a learner reads, fitted on the training rows and
 * kept with the model so scoring encodes exactly as training did:
 * - numeric: the number (a bigint or a numeric string too, as DuckDB hands out BIGINT and DECIMAL);
 * - boolean: 1 or 0;
 * - categorical: one column per category seen in training (sorted, so the order never depends on
 *   row order), 1 in the row's own; a category training never saw sets none of them.
 * A missing numeric or boolean value takes the training mean of its column (the learner has no
 * notion of missing, unlike XGBoost); a missing category sets none of its columns.
 */

export type FeatureKind = 'numeric' | 'boolean' | 'categorical';

export interface Feature {
  readonly name: string;
  readonly kind: FeatureKind;
}

export type Row = Readonly<Record<string, unknown>>;

export type ColumnEncoding =
  | { readonly name: string; readonly kind: 'numeric' | 'boolean'; readonly fill: number }
  | { readonly name: string; readonly kind: 'categorical'; readonly categories: readonly string[] };

/** How an error names a row; by default its 1-based position among the rows given. */
export type RowName = (index: number) => string;
const byPosition: RowName = (index) => `row ${index + 1}`;

export class FeatureValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureValueError';
  }
}

const isMissing = (value: unknown): boolean => value === null || value === undefined;

function numberOf(feature: Feature, value: unknown, row: string): number | undefined {
  if (isMissing(value)) return undefined;
  if (feature.kind === 'boolean') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new FeatureValueError(`${row}: boolean feature '${feature.name}' holds ${JSON.stringify(String(value))}`);
  }
  const number = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new FeatureValueError(`${row}: numeric feature '${feature.name}' holds ${JSON.stringify(String(value))}`);
  return number;
}

/** Fits each feature's encoding on `rows`, the training rows. */
export function fitEncoding(features: readonly Feature[], rows: readonly Row[], rowName: RowName = byPosition): ColumnEncoding[] {
  return features.map((feature): ColumnEncoding => {
    if (feature.kind === 'categorical') {
      const categories = new Set(rows.filter((row) => !isMissing(row[feature.name])).map((row) => String(row[feature.name])));
      return { name: feature.name, kind: 'categorical', categories: [...categories].sort() };
    }
    const present = rows.map((row, index) => numberOf(feature, row[feature.name], rowName(index))).filter((value) => value !== undefined);
    const fill = present.length === 0 ? 0 : present.reduce((sum, value) => sum + value, 0) / present.length;
    return { name: feature.name, kind: feature.kind, fill };
  });
}

/** The matrix of `rows` under `encoding`, one row each, columns in encoding order. */
export function encodeRows(encoding: readonly ColumnEncoding[], rows: readonly Row[], rowName: RowName = byPosition): number[][] {
  return rows.map((row, index) =>
    encoding.flatMap((column) => {
      const value = row[column.name];
      if (column.kind === 'categorical') {
        const category = isMissing(value) ? undefined : String(value);
        return column.categories.map((known) => (known === category ? 1 : 0));
      }
      return [numberOf(column, value, rowName(index)) ?? column.fill];
    }),
  );
}

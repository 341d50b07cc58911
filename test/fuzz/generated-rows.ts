import fc from 'fast-check';

/** The contract types a generated column can have; `decimal` is `number` with `physicalType: decimal(10,2)`. */
export const COLUMN_TYPES = ['string', 'integer', 'number', 'decimal', 'boolean', 'date', 'timestamp'] as const;
export type ColumnTypeName = (typeof COLUMN_TYPES)[number];

export interface GeneratedColumn {
  readonly name: string;
  readonly type: ColumnTypeName;
  readonly required: boolean;
}

/** A row as delivered in a text file: one value per column, null where the field is empty or absent. */
export type TextRow = readonly (string | null)[];

/** The ODCS property of a generated column. */
export function columnProperty(column: GeneratedColumn): Record<string, unknown> {
  const type =
    column.type === 'decimal' ? { logicalType: 'number', physicalType: 'decimal(10,2)' } : { logicalType: column.type };
  return { name: column.name, ...type, ...(column.required && { required: true }) };
}

/**
 * Columns with distinct names. The names are plain and prefixed (no reserved word, no `_row` or
 * `file_id`): these properties are about values; naming is the loader's own tests' subject.
 */
export const generatedColumns: fc.Arbitrary<readonly GeneratedColumn[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).map((name) => `col_${name}`), { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.tuple(...names.map((name) => fc.record({ name: fc.constant(name), type: fc.constantFrom(...COLUMN_TYPES), required: fc.boolean() }))),
  );

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const dayText = (date: Date) => `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
const dates = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true });

/** Text that parses as the type, written the ways producers write it. */
export function validText(type: ColumnTypeName): fc.Arbitrary<string> {
  switch (type) {
    case 'string':
      return fc.string({ maxLength: 12 });
    case 'integer':
      return fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));
    case 'number':
      return fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String));
    case 'decimal':
      return fc.integer({ min: -99_999_999, max: 99_999_999 }).map((cents) => (cents / 100).toFixed(2));
    case 'boolean':
      return fc.constantFrom('true', 'false', 't', 'f', '1', '0', 'TRUE', 'False');
    case 'date':
      return dates.map(dayText);
    case 'timestamp':
      return dates.map((date) => date.toISOString());
  }
}

/** Characters that break naive CSV and JSON writers and readers. */
const awkward = fc.constantFrom(',', ';', '\t', '|', '"', "'", '\\', '\n', '\r\n', '\r', ' ', '\u00e9', '\u2028', '\ud83d\ude00', '\u001f');

/** Any text at all: unicode, separators, quotes and line breaks. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 16, unit: 'grapheme' }),
  fc.array(fc.oneof(awkward, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
);

/** A value as a producer might deliver it for the column: usually of its type, sometimes not, sometimes empty. */
export function deliveredValue(column: GeneratedColumn): fc.Arbitrary<string | null> {
  return fc.oneof({ arbitrary: validText(column.type), weight: 4 }, { arbitrary: anyText, weight: 1 }, { arbitrary: fc.constant(null), weight: 1 });
}

export function textRows(columns: readonly GeneratedColumn[], maxRows = 25): fc.Arbitrary<readonly TextRow[]> {
  return fc.array(fc.tuple(...columns.map(deliveredValue)), { maxLength: maxRows });
}

import type { ColumnType, LogicalType } from './model.ts';
import type { RawProperty } from './raw-contract.ts';

export type ColumnTypeResult = { readonly type: ColumnType } | { readonly problem: string };

const INTEGER_BITS: Readonly<Record<string, 8 | 16 | 32 | 64>> = { tinyint: 8, smallint: 16, int: 32, integer: 32, bigint: 64 };
const DOUBLES = ['double', 'float', 'real'];
/** Widest decimal both DuckDB and Athena store. */
const MAX_DECIMAL_PRECISION = 38;

/** Physical types each logical type accepts, as shown in messages. */
const ACCEPTED: Readonly<Record<LogicalType, string>> = {
  string: 'one of string, varchar, varchar(n), char(n), text',
  integer: 'one of tinyint, smallint, int, integer, bigint',
  number: 'one of double, float, real, decimal(p,s)',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'one of timestamp, timestamptz',
};

/**
 * Combine ODCS `logicalType` and the optional `physicalType` into a storage type: integers are
 * 64-bit and numbers double unless the physical type says otherwise. A physical type that
 * contradicts the logical one is a problem, never silently overridden.
 */
export function columnTypeOf(logicalType: LogicalType, physicalType: string | undefined): ColumnTypeResult {
  const physical = physicalType?.trim().toLowerCase().replace(/\s+/g, ' ');
  const mismatch = { problem: `physicalType '${physicalType}' does not fit logicalType ${logicalType} (expected ${ACCEPTED[logicalType]})` };
  switch (logicalType) {
    case 'integer': {
      if (physical === undefined) return { type: { kind: 'integer', bits: 64 } };
      const bits = INTEGER_BITS[physical];
      return bits === undefined ? mismatch : { type: { kind: 'integer', bits } };
    }
    case 'number':
      if (physical === undefined || DOUBLES.includes(physical)) return { type: { kind: 'double' } };
      return decimalOf(physical, physicalType!) ?? mismatch;
    case 'string':
      return physical === undefined || /^(string|text|varchar|(var)?char ?\(\d+\))$/.test(physical)
        ? { type: { kind: 'string' } }
        : mismatch;
    case 'boolean':
      return physical === undefined || physical === 'boolean' ? { type: { kind: 'boolean' } } : mismatch;
    case 'date':
      return physical === undefined || physical === 'date' ? { type: { kind: 'date' } } : mismatch;
    case 'timestamp':
      return physical === undefined || physical === 'timestamp' || physical === 'timestamptz'
        ? { type: { kind: 'timestamp' } }
        : mismatch;
  }
}

function decimalOf(physical: string, written: string): ColumnTypeResult | undefined {
  const match = /^decimal ?\( ?(\d+) ?, ?(\d+) ?\)$/.exec(physical);
  if (match === null) return undefined;
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) {
    return { problem: `physicalType '${written}': precision must be 1..${MAX_DECIMAL_PRECISION} and scale 0..precision` };
  }
  return { type: { kind: 'decimal', precision, scale } };
}

/** A column's storage type, or undefined when its physicalType is wrong (a problem the column checks report). */
export function typeOfColumn(property: RawProperty): ColumnType | undefined {
  const result = columnTypeOf(property.logicalType, property.physicalType);
  return 'type' in result ? result.type : undefined;
}

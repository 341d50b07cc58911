import type { ColumnType, LogicalType, TypeSource } from './model.ts';
import { holdsBoolean, physicalLength, readPhysicalType, type IntegerBits, type PhysicalFamily, type PhysicalType } from './physical-types.ts';
import { isNestedLogicalType, nestedColumnType } from './nested-column-type.ts';
import type { RawProperty } from './raw-contract.ts';

/** A column's storage type, the logical type it stands for, and which field decided it. */
export interface TypedColumn {
  readonly type: ColumnType;
  /** The written `logicalType`, or the one inferred from `physicalType` (string when neither says). */
  readonly logicalType: LogicalType;
  readonly typeFrom: TypeSource;
  /** Maximum length a sized string physical type gives (`varchar(20)`, `char(2)`). */
  readonly physicalLength?: number;
}

export type ColumnTypeResult = TypedColumn | { readonly problem: string };

/** Widest decimal both DuckDB and Athena store. */
const MAX_DECIMAL_PRECISION = 38;
/** Digits an integer of each width always holds (int64 holds every 18-digit number). */
const INTEGER_DIGITS: readonly (readonly [number, IntegerBits])[] = [
  [2, 8],
  [4, 16],
  [9, 32],
  [18, 64],
];

/** The logical types a physical type can type; the others are built from their nested properties. */
type ScalarLogicalType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'time';

/** The storage type of each logical type when no known physical type refines it. */
const LOGICAL_DEFAULTS: Readonly<Record<ScalarLogicalType, ColumnType>> = {
  string: { kind: 'string' },
  integer: { kind: 'integer', bits: 64 },
  number: { kind: 'double' },
  boolean: { kind: 'boolean' },
  date: { kind: 'date' },
  timestamp: { kind: 'timestamp' },
  time: { kind: 'time' },
};

/** Physical types each logical type accepts, as shown in messages. */
const ACCEPTED: Readonly<Record<ScalarLogicalType, string>> = {
  string: 'a character type such as varchar(n), char(n), text, STRING, uuid or jsonb',
  integer: 'an integer type such as int4, bigint, INT64 or a decimal without scale such as NUMBER(10)',
  number: 'a numeric type such as double precision, FLOAT64, decimal(p,s), NUMBER(p,s) or an integer type',
  boolean: "boolean, bool, or MySQL's tinyint(1)",
  date: 'date, or a timestamp type (ODCS v3.0 wrote timestamps as logicalType date)',
  timestamp: 'a timestamp type such as timestamp(6), timestamptz, TIMESTAMP_NTZ or datetime',
  time: 'time, or a character type holding HH:MM:SS',
};

const FAMILY_NAMES: Readonly<Record<PhysicalFamily['family'], string>> = {
  integer: 'an integer',
  decimal: 'a decimal',
  double: 'a floating-point',
  string: 'a character',
  boolean: 'a boolean',
  date: 'a date',
  timestamp: 'a timestamp',
};

/**
 * Combine ODCS `logicalType` and the source system's `physicalType` into a storage type. A known
 * physical type that fits the logical type decides (it keeps integer widths, decimal precision and
 * string lengths); an unknown one leaves the logical type's default (integers 64-bit, numbers
 * double). Without a logical type, a known physical type decides it, else the column is a string.
 * A known physical type that contradicts the logical one is a problem, never silently overridden.
 */
export function columnTypeOf(logicalType: LogicalType | undefined, physicalType: string | undefined): ColumnTypeResult {
  if (logicalType !== undefined && !isScalar(logicalType)) return { problem: `logicalType ${logicalType} is not supported` };
  const physical = physicalType === undefined ? undefined : readPhysicalType(physicalType);
  if (physical === undefined) {
    return logicalType === undefined
      ? { type: LOGICAL_DEFAULTS.string, logicalType: 'string', typeFrom: 'defaultString' }
      : { type: LOGICAL_DEFAULTS[logicalType], logicalType, typeFrom: 'logicalType' };
  }
  const exact = exactNumber(physical);
  if (exact !== undefined && 'problem' in exact) return exact;
  if (logicalType === undefined) return inferred(physical, exact);
  const type = fittedType(logicalType, physical, exact);
  if (type === undefined) {
    return {
      problem:
        `physicalType '${physical.written}' does not fit logicalType ${logicalType}: ` +
        `it is ${FAMILY_NAMES[physical.family.family]} type, and ${logicalType} needs ${ACCEPTED[logicalType]}`,
    };
  }
  if (type === 'logical default') return { type: LOGICAL_DEFAULTS[logicalType], logicalType, typeFrom: 'logicalType' };
  // What ODCS v3.0 wrote as a date with a timestamp physicalType is a timestamp to every reader.
  const meant = logicalType === 'date' && type.kind === 'timestamp' ? 'timestamp' : logicalType;
  return withLength({ type, logicalType: meant, typeFrom: 'physicalType' }, physical);
}

/** A decimal type's precision and scale; undefined when none is written (`NUMBER`, `numeric`) or it is not a decimal. */
type ExactNumber = { readonly precision: number; readonly scale: number } | { readonly problem: string } | undefined;

function exactNumber(physical: PhysicalType): ExactNumber {
  const family = physical.family;
  if (family.family !== 'decimal') return undefined;
  if (family.precision !== undefined) return { precision: family.precision, scale: family.scale ?? 0 };
  if (physical.args.length === 0) return undefined;
  // Oracle writes NUMBER(*,s) for the widest precision.
  const [precision, scale] = [physical.args[0] === '*' ? MAX_DECIMAL_PRECISION : Number(physical.args[0]), Number(physical.args[1] ?? 0)];
  if (
    physical.args.length > 2 ||
    !Number.isInteger(precision) ||
    !Number.isInteger(scale) ||
    precision < 1 ||
    precision > MAX_DECIMAL_PRECISION ||
    scale < 0 ||
    scale > precision
  ) {
    return { problem: `physicalType '${physical.written}': precision must be 1..${MAX_DECIMAL_PRECISION} and scale 0..precision` };
  }
  return { precision, scale };
}

/** The storage type a known physical type gives a logical type; 'logical default' when it adds nothing; undefined when they contradict. */
function isScalar(logicalType: LogicalType): logicalType is ScalarLogicalType {
  return Object.hasOwn(LOGICAL_DEFAULTS, logicalType);
}

function fittedType(
  logicalType: ScalarLogicalType,
  physical: PhysicalType,
  exact: { readonly precision: number; readonly scale: number } | undefined,
): ColumnType | 'logical default' | undefined {
  const family = physical.family;
  switch (logicalType) {
    case 'integer':
      if (family.family === 'integer') return { kind: 'integer', bits: family.bits };
      if (family.family !== 'decimal') return undefined;
      // A bare NUMBER/numeric holds any integer up to the widest decimal.
      if (exact === undefined) return { kind: 'decimal', precision: MAX_DECIMAL_PRECISION, scale: 0 };
      return exact.scale === 0 ? wholeNumber(exact.precision) : undefined;
    case 'number':
      if (family.family === 'integer') return { kind: 'integer', bits: family.bits };
      if (family.family === 'double') return { kind: 'double' };
      if (family.family !== 'decimal') return undefined;
      // A bare NUMBER/numeric has no fixed scale a decimal column could keep.
      return exact === undefined ? 'logical default' : { kind: 'decimal', ...exact };
    case 'date':
      // ODCS v3.0 has no timestamp logical type: a timestamp was logicalType date with a timestamp physicalType.
      if (family.family === 'timestamp') return { kind: 'timestamp' };
      return family.family === 'date' ? { kind: 'date' } : undefined;
    case 'boolean':
      return holdsBoolean(physical) ? LOGICAL_DEFAULTS.boolean : undefined;
    case 'string':
    case 'timestamp':
      return family.family === logicalType ? LOGICAL_DEFAULTS[logicalType] : undefined;
    case 'time':
      // Stored as its HH:MM:SS text (Athena's Iceberg DDL has no time type), as a source's character column holds it.
      return family.family === 'string' ? LOGICAL_DEFAULTS.time : undefined;
  }
}

/** Without a logical type, the physical type says it: decimals without scale are integers, as Oracle and Snowflake write them. */
function inferred(physical: PhysicalType, exact: { readonly precision: number; readonly scale: number } | undefined): TypedColumn {
  const family = physical.family;
  switch (family.family) {
    case 'integer':
      return { type: { kind: 'integer', bits: family.bits }, logicalType: 'integer', typeFrom: 'inferred' };
    case 'decimal':
      if (exact === undefined) return { type: LOGICAL_DEFAULTS.number, logicalType: 'number', typeFrom: 'inferred' };
      return exact.scale === 0
        ? { type: wholeNumber(exact.precision), logicalType: 'integer', typeFrom: 'inferred' }
        : { type: { kind: 'decimal', ...exact }, logicalType: 'number', typeFrom: 'inferred' };
    case 'double':
      return { type: LOGICAL_DEFAULTS.number, logicalType: 'number', typeFrom: 'inferred' };
    default:
      return withLength({ type: LOGICAL_DEFAULTS[family.family], logicalType: family.family, typeFrom: 'inferred' }, physical);
  }
}

/** The narrowest integer holding every number of `precision` digits, or a decimal beyond 64 bits. */
function wholeNumber(precision: number): ColumnType {
  const bits = INTEGER_DIGITS.find(([digits]) => precision <= digits)?.[1];
  return bits === undefined ? { kind: 'decimal', precision, scale: 0 } : { kind: 'integer', bits };
}

function withLength(typed: TypedColumn, physical: PhysicalType): TypedColumn {
  const length = typed.type.kind === 'string' ? physicalLength(physical) : undefined;
  return length === undefined ? typed : { ...typed, physicalLength: length };
}

/** A property's type, or undefined when its physicalType is wrong (a problem the column checks report). */
export function typedColumnOf(property: RawProperty): TypedColumn | undefined {
  if (isNestedLogicalType(property.logicalType)) {
    const nested = nestedColumnType(property, []);
    return 'typed' in nested ? nested.typed : undefined;
  }
  const result = columnTypeOf(property.logicalType, property.physicalType);
  return 'problem' in result ? undefined : result;
}

/** A column's storage type, or undefined when its physicalType is wrong (a problem the column checks report). */
export function typeOfColumn(property: RawProperty): ColumnType | undefined {
  return typedColumnOf(property)?.type;
}

/** The logical type messages name: the one written, else the one the physical type implies. */
export function logicalTypeOf(property: RawProperty): LogicalType {
  return property.logicalType ?? typedColumnOf(property)?.logicalType ?? 'string';
}

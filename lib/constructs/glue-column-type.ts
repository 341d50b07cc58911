import type { ColumnType } from '../contracts/model.ts';

const INTEGER_TYPES = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' } as const;

/** Athena's (Hive's) largest decimal precision. */
const MAX_DECIMAL_PRECISION = 38;

/**
 * The Glue (Hive DDL) type Athena reads a contract column's validated Parquet values as; with
 * `time: 'bigint'`, a delivered Parquet file's instead (see `rawParquetColumnType`).
 */
export function glueColumnType(type: ColumnType, time: 'string' | 'bigint' = 'string'): string {
  switch (type.kind) {
    case 'string':
    case 'boolean':
    case 'double':
    case 'date':
    case 'timestamp':
      return type.kind;
    case 'integer':
      return INTEGER_TYPES[type.bits];
    case 'decimal':
      if (
        !Number.isInteger(type.precision) ||
        !Number.isInteger(type.scale) ||
        type.precision < 1 ||
        type.precision > MAX_DECIMAL_PRECISION ||
        type.scale < 0 ||
        type.scale > type.precision
      ) {
        throw new RangeError(
          `decimal(${type.precision},${type.scale}) is not a Glue type: precision must be 1 to ${MAX_DECIMAL_PRECISION} and scale 0 to precision`,
        );
      }
      return `decimal(${type.precision},${type.scale})`;
    case 'time':
      // The validator writes a time of day as its text (Athena's Iceberg DDL has no time type).
      return time;
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}:${glueColumnType(field.type, time)}`).join(',')}>`;
    case 'list':
      return `array<${glueColumnType(type.element, time)}>`;
  }
}

/**
 * The Glue type Athena reads a column of a delivered Parquet file as. A Parquet TIME is an INT64
 * count since midnight (microseconds as DuckDB and pyarrow write it); Hive DDL has no time type,
 * and Athena's Parquet reader gives that INT64 to a bigint column and refuses it to a string one.
 */
export function rawParquetColumnType(type: ColumnType): string {
  return glueColumnType(type, 'bigint');
}

import type { ColumnType } from '../contracts/model.ts';

const INTEGER_TYPES = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' } as const;

/** Athena's (Hive's) largest decimal precision. */
const MAX_DECIMAL_PRECISION = 38;

/** The Glue (Hive DDL) type Athena reads a contract column's validated Parquet values as. */
export function glueColumnType(type: ColumnType): string {
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
      // Validated as a time of day and written as its text: Athena's Iceberg DDL has no time type.
      return 'string';
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}:${glueColumnType(field.type)}`).join(',')}>`;
    case 'list':
      return `array<${glueColumnType(type.element)}>`;
  }
}

/** What a DuckDB column type (as inferred for a gold model) can be used as in training. */

const INTEGER_TYPES = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];
const FLOAT_TYPES = ['FLOAT', 'DOUBLE'];

export function isBooleanType(type: string): boolean {
  return type === 'BOOLEAN';
}

export function isIntegerType(type: string): boolean {
  return INTEGER_TYPES.includes(type);
}

/** Integers, floats and decimals: what XGBoost reads as a number. */
export function isNumericType(type: string): boolean {
  return isIntegerType(type) || FLOAT_TYPES.includes(type) || type.startsWith('DECIMAL(');
}

/** Dates and timestamps: what a time cut-off can compare. */
export function isTemporalType(type: string): boolean {
  return type === 'DATE' || type.startsWith('TIMESTAMP');
}

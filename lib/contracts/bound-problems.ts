import type { ColumnType, LogicalType } from './model.ts';
import { BOUNDS, type Bound, type WrittenBound } from './exclusive-bounds.ts';
import { comparableValue, describeType, showValue } from './values.ts';

/** The column a bound is written for, as messages name it. */
export interface BoundedColumn {
  readonly name: string;
  readonly logicalType: LogicalType;
  readonly type: ColumnType;
}

/** A bound that cannot be checked, at the field it was written in. */
export interface BoundProblem {
  readonly field: Bound;
  readonly message: string;
}

const EMPTY_RANGES = [
  ['minimum', 'maximum', 'greater than'],
  ['exclusiveMinimum', 'maximum', 'not less than'],
  ['minimum', 'exclusiveMaximum', 'not less than'],
  ['exclusiveMinimum', 'exclusiveMaximum', 'not less than'],
] as const;

/**
 * A column's bounds, written as `logicalTypeOptions` or translated from a Great Expectations
 * `between`: each must be a value of the column's type (a string or boolean column has no order
 * to bound), and together they must let some value pass. One check for both, so a translated
 * rule is refused exactly where a written one is.
 */
export function boundProblems(bounds: Partial<Record<Bound, WrittenBound>>, { name, logicalType, type }: BoundedColumn): BoundProblem[] {
  const problems: BoundProblem[] = [];
  const values: Partial<Record<Bound, number>> = {};
  for (const bound of BOUNDS) {
    const written = bounds[bound];
    if (written === undefined) continue;
    if (type.kind === 'string' || type.kind === 'boolean') {
      problems.push({
        field: written.field,
        message: `${bound} does not apply to ${logicalType} columns` + (type.kind === 'string' ? ' (use minLength, maxLength or pattern)' : ''),
      });
      continue;
    }
    const value = comparableValue(written.value, type);
    if (value === undefined) {
      problems.push({ field: written.field, message: `${bound} must be ${describeType(type)} for ${logicalType} column '${name}' (got ${showValue(written.value)})` });
    } else {
      values[bound] = value;
    }
  }
  for (const [low, high, relation] of EMPTY_RANGES) {
    const lowValue = values[low];
    const highValue = values[high];
    if (lowValue === undefined || highValue === undefined) continue;
    const empty = low === 'minimum' && high === 'maximum' ? lowValue > highValue : lowValue >= highValue;
    if (empty) {
      problems.push({
        field: bounds[low]!.field,
        message: `${low} ${showValue(bounds[low]!.value)} is ${relation} ${high} ${showValue(bounds[high]!.value)}: no value can pass`,
      });
    }
  }
  return problems;
}

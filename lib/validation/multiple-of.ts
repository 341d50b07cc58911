import { exactMultipleOfType, plainDecimal } from '../contracts/exact-multiple-of.ts';
import type { ColumnType } from '../contracts/model.ts';
import type { Dialect } from '../sql/dialect.ts';

/**
 * True where `value`, a non-null value of `type`, is no whole multiple of `divisor`. Integers and
 * decimals are exact: both sides are cast to one decimal wide enough for either and compared by
 * remainder, so 1234567.89 is a multiple of 0.01 and 2^53 + 1 is not one of 2 (a divisor that
 * needs more than 38 digits with the column's is refused by check-multiple-of.ts). A double is only
 * as exact as its value: its quotient may be off by a few units in its last place (0.3 / 0.1 is
 * 2.9999999999999996, 123456789.3 / 0.1 is 1234567893.0000002), so it is compared with a tolerance
 * of 1e-9 or, for a large quotient, 1e-14 of its size, some 50 times that error.
 */
export function notMultipleOf(dialect: Dialect, value: string, type: ColumnType, divisor: number): string {
  const exact = exactMultipleOfType(type, divisor);
  if (exact !== undefined) {
    const decimal = dialect.type(exact);
    return `CAST(${value} AS ${decimal}) % CAST(${dialect.string(plainDecimal(divisor))} AS ${decimal}) <> 0`;
  }
  const quotient = `CAST(${value} AS DOUBLE) / ${plainDecimal(divisor)}`;
  return `abs(${quotient} - round(${quotient})) > greatest(1e-9, abs(${quotient}) * 1e-14)`;
}

import type { ColumnType } from '../contracts/model.ts';
import type { Dialect } from '../sql/dialect.ts';

/** The widest decimal both engines hold exactly (DuckDB's HUGEINT-backed DECIMAL, Trino's long decimal). */
const MAX_PRECISION = 38;

const INTEGER_DIGITS = { 8: 3, 16: 5, 32: 10, 64: 19 } as const;

/** A JavaScript number as plain decimal text, never in exponent form: 1e-7 is `0.0000001`. */
export function plainDecimal(value: number): string {
  const [mantissa, exponentText] = String(Math.abs(value)).split('e');
  const sign = value < 0 ? '-' : '';
  if (exponentText === undefined) return sign + mantissa!;
  const exponent = Number(exponentText);
  const [whole, fraction = ''] = mantissa!.split('.');
  const digits = whole! + fraction;
  const point = whole!.length + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * True where `value`, a non-null value of `type`, is no whole multiple of `divisor`. Integers and
 * decimals are exact: both sides are cast to one decimal wide enough for either and compared by
 * remainder, so 1234567.89 is a multiple of 0.01 and 2^53 + 1 is not one of 2. A double is only
 * as exact as its value: its quotient may be off by a few units in its last place (0.3 / 0.1 is
 * 2.9999999999999996, 123456789.3 / 0.1 is 1234567893.0000002), so it is compared with a tolerance
 * of 1e-9 or, for a large quotient, 1e-14 of its size, some 50 times that error.
 */
export function notMultipleOf(dialect: Dialect, value: string, type: ColumnType, divisor: number): string {
  const exact = exactDecimal(type, plainDecimal(divisor));
  if (exact !== undefined) {
    const decimal = dialect.type(exact);
    return `CAST(${value} AS ${decimal}) % CAST(${dialect.string(plainDecimal(divisor))} AS ${decimal}) <> 0`;
  }
  const quotient = `CAST(${value} AS DOUBLE) / ${plainDecimal(divisor)}`;
  return `abs(${quotient} - round(${quotient})) > greatest(1e-9, abs(${quotient}) * 1e-14)`;
}

/** The decimal type holding every value of `type` and the divisor exactly, if the engines have one. */
function exactDecimal(type: ColumnType, divisor: string): Extract<ColumnType, { kind: 'decimal' }> | undefined {
  let integerDigits: number;
  let scale: number;
  if (type.kind === 'integer') [integerDigits, scale] = [INTEGER_DIGITS[type.bits], 0];
  else if (type.kind === 'decimal') [integerDigits, scale] = [type.precision - type.scale, type.scale];
  else return undefined;
  const [whole, fraction = ''] = divisor.split('.');
  const precision = Math.max(integerDigits, whole!.length) + Math.max(scale, fraction.length);
  if (precision > MAX_PRECISION) return undefined;
  return { kind: 'decimal', precision, scale: Math.max(scale, fraction.length) };
}

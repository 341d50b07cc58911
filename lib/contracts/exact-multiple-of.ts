import type { ColumnType } from './model.ts';

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
 * The decimal type holding every value of an integer or decimal `type` and the divisor exactly,
 * if the engines have one: a `multipleOf` on such a column is checked exactly in it.
 */
export function exactMultipleOfType(type: ColumnType, divisor: number): Extract<ColumnType, { kind: 'decimal' }> | undefined {
  let integerDigits: number;
  let scale: number;
  if (type.kind === 'integer') [integerDigits, scale] = [INTEGER_DIGITS[type.bits], 0];
  else if (type.kind === 'decimal') [integerDigits, scale] = [type.precision - type.scale, type.scale];
  else return undefined;
  const [whole, fraction = ''] = plainDecimal(divisor).split('.');
  const precision = Math.max(integerDigits, whole!.length) + Math.max(scale, fraction.length);
  if (precision > MAX_PRECISION) return undefined;
  return { kind: 'decimal', precision, scale: Math.max(scale, fraction.length) };
}

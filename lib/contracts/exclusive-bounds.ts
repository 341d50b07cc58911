import type { RawLogicalTypeOptions } from './raw-contract.ts';

export const BOUNDS = ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'] as const;
export type Bound = (typeof BOUNDS)[number];

/** A bound in ODCS v3.1's form, and the field it was written in (for positions). */
export interface WrittenBound {
  readonly value: number | string;
  readonly field: Bound;
}

/**
 * A column's bounds in ODCS v3.1's form. ODCS v3.0 wrote an exclusive bound as a flag beside the
 * plain one (`maximum: 10` with `exclusiveMaximum: true`); v3.1 writes the bound itself
 * (`exclusiveMaximum: 10`). A flag without its plain bound bounds nothing (`flagsWithoutBound`).
 */
export function boundsOf(options: RawLogicalTypeOptions): Partial<Record<Bound, WrittenBound>> {
  const bounds: Partial<Record<Bound, WrittenBound>> = {};
  for (const [plain, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    const flag = options[exclusive];
    const value = options[plain];
    if (value !== undefined) bounds[flag === true ? exclusive : plain] = { value, field: plain };
    if (flag !== undefined && typeof flag !== 'boolean') bounds[exclusive] = { value: flag, field: exclusive };
  }
  return bounds;
}

/** The v3.0 flags set to true with no plain bound beside them. */
export function flagsWithoutBound(options: RawLogicalTypeOptions): readonly ('exclusiveMinimum' | 'exclusiveMaximum')[] {
  return (['exclusiveMinimum', 'exclusiveMaximum'] as const).filter(
    (flag) => options[flag] === true && options[flag === 'exclusiveMinimum' ? 'minimum' : 'maximum'] === undefined,
  );
}

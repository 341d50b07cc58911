/**
 * Retention classes (DESIGN.md "Retention classes"). The platform turns each finite class into
 * one tag-keyed lifecycle rule per bucket; whoever writes an object tags it with the smallest
 * class covering its contract's retention. A few classes instead of per-dataset rules because
 * S3 allows 1,000 lifecycle rules per bucket and the platform stack holds nothing per domain.
 */

/** S3 object tag key whose value names an object's retention class. */
export const RETENTION_TAG_KEY = 'lakehouse:retention';

export type RetentionTag = '30d' | '90d' | '1y' | '3y' | '7y' | 'none';

export interface RetentionClass {
  /** Value of the `lakehouse:retention` object tag. */
  readonly tag: RetentionTag;
  /** Days an object of this class is kept; undefined keeps it forever. */
  readonly days: number | undefined;
}

/** Ordered from shortest to longest, `none` last. */
export const RETENTION_CLASSES: readonly RetentionClass[] = [
  { tag: '30d', days: 30 },
  { tag: '90d', days: 90 },
  { tag: '1y', days: 365 },
  { tag: '3y', days: 1095 },
  { tag: '7y', days: 2555 },
  { tag: 'none', days: undefined },
];

const KEEP_FOREVER = RETENTION_CLASSES[RETENTION_CLASSES.length - 1]!;

/**
 * The smallest class that keeps data at least `days`: a contract's retention is a minimum, so
 * rounding up never deletes early. No retention, or more than 7 years, keeps data forever.
 */
export function retentionClassFor(days?: number): RetentionClass {
  if (days === undefined) return KEEP_FOREVER;
  if (!Number.isFinite(days) || days <= 0) {
    throw new RangeError(`Retention must be a positive number of days, got ${days}`);
  }
  return RETENTION_CLASSES.find((retention) => retention.days !== undefined && retention.days >= days) ?? KEEP_FOREVER;
}

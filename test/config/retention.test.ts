import { describe, expect, it } from 'vitest';
import { RETENTION_CLASSES, RETENTION_TAG_KEY, retentionClassFor } from '../../lib/config/retention.ts';

describe('retentionClassFor', () => {
  it.each([
    [1, '30d'],
    [30, '30d'],
    [30.5, '90d'],
    [31, '90d'],
    [90, '90d'],
    [91, '1y'],
    [365, '1y'],
    [366, '3y'],
    [1095, '3y'],
    [1096, '7y'],
    [2555, '7y'],
  ])('keeps %d days in the smallest class covering it (%s)', (days, tag) => {
    expect(retentionClassFor(days).tag).toBe(tag);
  });

  it('keeps data forever without a retention or beyond 7 years', () => {
    expect(retentionClassFor(undefined)).toEqual({ tag: 'none', days: undefined });
    expect(retentionClassFor(2556)).toEqual({ tag: 'none', days: undefined });
    expect(retentionClassFor(36500).tag).toBe('none');
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d days', (days) => {
    expect(() => retentionClassFor(days)).toThrow(/positive number of days/);
  });

  it('never picks a class shorter than the retention asked for', () => {
    for (let days = 1; days <= 2600; days++) {
      const chosen = retentionClassFor(days);
      expect(chosen.days === undefined || chosen.days >= days).toBe(true);
    }
  });
});

describe('retention classes', () => {
  it('are the classes of DESIGN.md, ordered shortest first, with none last', () => {
    expect(RETENTION_CLASSES.map((retention) => [retention.tag, retention.days])).toEqual([
      ['30d', 30],
      ['90d', 90],
      ['1y', 365],
      ['3y', 1095],
      ['7y', 2555],
      ['none', undefined],
    ]);
  });

  it('are named by a namespaced S3 tag key', () => {
    expect(RETENTION_TAG_KEY).toBe('lakehouse:retention');
  });
});

import { describe, expect, it } from 'vitest';
import { retentionTagging } from '../../lib/ingest/retention-tagging.ts';

describe('retention tagging', () => {
  it.each([
    [undefined, 'none'],
    [10, '30d'],
    [90, '90d'],
    [91, '1y'],
    [7 * 365, '7y'],
    [8 * 365, 'none'],
  ])('tags data kept %s days with the class %s, URL-encoded as S3 wants', (retentionDays, tag) => {
    const tagging = retentionTagging(retentionDays === undefined ? {} : { retentionDays });
    expect(tagging).toBe(`lakehouse%3Aretention=${tag}`);
    expect(Object.fromEntries(new URLSearchParams(tagging))).toEqual({ 'lakehouse:retention': tag });
  });

  it('refuses a retention that is no positive number of days', () => {
    expect(() => retentionTagging({ retentionDays: 0 })).toThrow(/positive number of days/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseLandedFileEvent } from '../../lib/ingest/landed-file-event.ts';

describe('the validator input', () => {
  it('accepts bucket and key alone, or with version and event time', () => {
    expect(parseLandedFileEvent({ bucket: 'landing', key: 'sales/orders/a.csv' })).toEqual({ bucket: 'landing', key: 'sales/orders/a.csv' });
    const full = { bucket: 'landing', key: 'sales/orders/a.csv', versionId: 'v1', eventTime: '2026-11-21T06:00:00Z' };
    expect(parseLandedFileEvent(full)).toEqual(full);
  });

  it('keeps only the fields it knows (Step Functions may pass more)', () => {
    expect(parseLandedFileEvent({ bucket: 'landing', key: 'k', detail: { any: 1 } })).toEqual({ bucket: 'landing', key: 'k' });
  });

  it('names every wrong field at once', () => {
    expect(() => parseLandedFileEvent({ bucket: '', key: 42, versionId: null, eventTime: 'last night' })).toThrow(
      "invalid validator input: 'bucket' must be a non-empty string, got \"\"; 'key' must be a non-empty string, got 42; " +
        "'versionId' must be a non-empty string, got null; 'eventTime' must be an ISO-8601 time such as 2026-11-21T06:00:00Z, got 'last night'",
    );
  });

  it.each([null, 'sales/orders/a.csv', ['landing', 'k'], 7])('refuses %j, which is no object', (input) => {
    expect(() => parseLandedFileEvent(input)).toThrow(/expects \{ bucket, key, versionId\?, eventTime\? \}/);
  });
});

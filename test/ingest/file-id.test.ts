import { describe, expect, it } from 'vitest';
import { fileIdOf, sourceIdOf } from '../../lib/ingest/file-id.ts';

const landed = { bucket: 'landing', key: 'sales/orders/orders.csv', versionId: 'v1' };

describe('file ids', () => {
  it('gives the same delivery the same 24-hex-digit id', () => {
    expect(fileIdOf(landed)).toMatch(/^[0-9a-f]{24}$/);
    expect(fileIdOf({ ...landed })).toBe(fileIdOf(landed));
  });

  it('gives another bucket, key or version another id', () => {
    const ids = new Set([
      fileIdOf(landed),
      fileIdOf({ ...landed, bucket: 'landing-2' }),
      fileIdOf({ ...landed, key: 'sales/orders/orders2.csv' }),
      fileIdOf({ ...landed, versionId: 'v2' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('names an unversioned object by its ETag, with or without quotes, and prefers the version when both exist', () => {
    const byEtag = fileIdOf({ bucket: 'landing', key: 'k', etag: '"e5eb"' });
    expect(fileIdOf({ bucket: 'landing', key: 'k', etag: 'e5eb' })).toBe(byEtag);
    expect(fileIdOf({ bucket: 'landing', key: 'k', versionId: 'e5eb', etag: '"other"' })).toBe(byEtag);
  });

  it('refuses an object with neither version nor ETag', () => {
    expect(() => fileIdOf({ bucket: 'landing', key: 'k' })).toThrow(/s3:\/\/landing\/k: neither a version id nor an ETag/);
  });

  it('gives every version of a landing key one source id, distinct from any file id', () => {
    const sourceId = sourceIdOf(landed);
    expect(sourceId).toMatch(/^[0-9a-f]{24}$/);
    expect(sourceIdOf({ ...landed, versionId: 'v2' })).toBe(sourceId);
    expect(sourceIdOf({ ...landed, key: 'sales/orders/orders2.csv' })).not.toBe(sourceId);
    expect(sourceIdOf({ ...landed, bucket: 'landing-2' })).not.toBe(sourceId);
    expect(sourceId).not.toBe(fileIdOf(landed));
  });
});

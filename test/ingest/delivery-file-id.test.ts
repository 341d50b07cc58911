import { describe, expect, it } from 'vitest';
import { deliveryFileId, sourceIdOf } from '../../lib/ingest/delivery-file-id.ts';

const landed = { bucket: 'landing', key: 'sales/orders/orders.csv', versionId: 'v1' };

describe('delivery file ids', () => {
  it('gives the same delivery the same 24-hex-digit id', () => {
    expect(deliveryFileId(landed)).toMatch(/^[0-9a-f]{24}$/);
    expect(deliveryFileId({ ...landed })).toBe(deliveryFileId(landed));
  });

  it('gives another bucket, key or version another id', () => {
    const ids = new Set([
      deliveryFileId(landed),
      deliveryFileId({ ...landed, bucket: 'landing-2' }),
      deliveryFileId({ ...landed, key: 'sales/orders/orders2.csv' }),
      deliveryFileId({ ...landed, versionId: 'v2' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('names an unversioned object by its ETag, with or without quotes, and prefers the version when both exist', () => {
    const byEtag = deliveryFileId({ bucket: 'landing', key: 'k', etag: '"e5eb"' });
    expect(deliveryFileId({ bucket: 'landing', key: 'k', etag: 'e5eb' })).toBe(byEtag);
    expect(deliveryFileId({ bucket: 'landing', key: 'k', versionId: 'e5eb', etag: '"other"' })).toBe(byEtag);
  });

  it('refuses an object with neither version nor ETag', () => {
    expect(() => deliveryFileId({ bucket: 'landing', key: 'k' })).toThrow(/s3:\/\/landing\/k: neither a version id nor an ETag/);
  });

  it('gives every version of a landing key one source id, distinct from any file id', () => {
    const sourceId = sourceIdOf(landed);
    expect(sourceId).toMatch(/^[0-9a-f]{24}$/);
    expect(sourceIdOf({ ...landed, versionId: 'v2' })).toBe(sourceId);
    expect(sourceIdOf({ ...landed, key: 'sales/orders/orders2.csv' })).not.toBe(sourceId);
    expect(sourceIdOf({ ...landed, bucket: 'landing-2' })).not.toBe(sourceId);
    expect(sourceId).not.toBe(deliveryFileId(landed));
  });
});

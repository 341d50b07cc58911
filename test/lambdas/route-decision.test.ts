import { describe, expect, it } from 'vitest';
import { deliveryFileId } from '../../lib/ingest/delivery-file-id.ts';
import { type DomainRoutes, executionNameOf, parseObjectCreated, routeLandedObject, unroutableAlert } from '../../lib/ingest/route.ts';

const routes: DomainRoutes = {
  domain: 'sales',
  pipelines: { orders: 'acme-dev-sales-pipeline-orders', customers: 'acme-dev-sales-pipeline-customers' },
};

/** EventBridge's S3 "Object Created" event, as the landing bucket sends it. */
function objectCreated(key: string, versionId = 'v1'): Record<string, unknown> {
  return {
    version: '0',
    id: 'event-1',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '111111111111',
    time: '2026-11-21T06:00:00Z',
    region: 'eu-west-1',
    resources: ['arn:aws:s3:::acme-dev-landing-111111111111-eu-west-1'],
    detail: {
      version: '0',
      bucket: { name: 'acme-dev-landing-111111111111-eu-west-1' },
      object: { key, size: 1024, etag: '"d41d8cd98f00b204e9800998ecf8427e"', 'version-id': versionId, sequencer: '00' },
      'request-id': 'r',
      requester: '111111111111',
      reason: 'PutObject',
    },
  };
}

describe('parseObjectCreated', () => {
  it('reads bucket, key, version, ETag and the event time', () => {
    expect(parseObjectCreated(objectCreated('sales/orders/2026/orders.csv'))).toEqual({
      bucket: 'acme-dev-landing-111111111111-eu-west-1',
      key: 'sales/orders/2026/orders.csv',
      versionId: 'v1',
      etag: '"d41d8cd98f00b204e9800998ecf8427e"',
      eventTime: '2026-11-21T06:00:00Z',
    });
  });

  it('names every missing field of something that is not an S3 event', () => {
    expect(() => parseObjectCreated({ detail: {}, time: 'yesterday' })).toThrow(
      /missing or invalid detail\.bucket\.name, detail\.object\.key, time/,
    );
    expect(() => parseObjectCreated('not an event')).toThrow(/not an S3 "Object Created" event/);
  });
});

describe('routeLandedObject', () => {
  it("starts the dataset's pipeline with the validator's input and an execution name from the file id", () => {
    const object = parseObjectCreated(objectCreated('sales/orders/2026/11/orders.csv'));
    const decision = routeLandedObject(object, routes);
    expect(decision).toEqual({
      kind: 'start',
      dataset: 'orders',
      stateMachineName: 'acme-dev-sales-pipeline-orders',
      executionName: `file-${deliveryFileId(object)}`,
      input: {
        bucket: 'acme-dev-landing-111111111111-eu-west-1',
        key: 'sales/orders/2026/11/orders.csv',
        versionId: 'v1',
        eventTime: '2026-11-21T06:00:00Z',
      },
    });
  });

  it('names a duplicated event like the original and a new version of the file differently', () => {
    const name = (event: Record<string, unknown>): string => executionNameOf(parseObjectCreated(event));
    const original = name(objectCreated('sales/orders/orders.csv'));
    expect(name({ ...objectCreated('sales/orders/orders.csv'), id: 'event-2', time: '2026-11-21T06:00:05Z' })).toBe(original);
    expect(name(objectCreated('sales/orders/orders.csv', 'v2'))).not.toBe(original);
    expect(name(objectCreated('sales/orders/other.csv'))).not.toBe(original);
    expect(original).toMatch(/^file-[0-9a-f]{24}$/);
  });

  it('ignores the folder placeholders consoles create', () => {
    expect(routeLandedObject(parseObjectCreated(objectCreated('sales/orders/')), routes)).toEqual({
      kind: 'ignore',
      reason: "'sales/orders/' is a folder placeholder, not a file",
    });
  });

  it('does not route a dataset no contract declares, and lists the ones that exist', () => {
    const decision = routeLandedObject(parseObjectCreated(objectCreated('sales/refunds/refunds.csv')), routes);
    expect(decision).toEqual({
      kind: 'unroutable',
      reason: "no contract of domain 'sales' declares dataset 'refunds' (its datasets: customers, orders)",
    });
  });

  it('does not take an inherited property for a dataset', () => {
    expect(routeLandedObject(parseObjectCreated(objectCreated('sales/constructor/x.csv')), routes).kind).toBe('unroutable');
  });

  it('does not route a file outside the <domain>/<dataset>/ layout or of another domain', () => {
    expect(routeLandedObject(parseObjectCreated(objectCreated('sales/orders.csv')), routes)).toEqual({
      kind: 'unroutable',
      reason: "landing key 'sales/orders.csv' is not <domain>/<dataset>/<file>",
    });
    expect(routeLandedObject(parseObjectCreated(objectCreated('marketing/orders/o.csv')), routes)).toMatchObject({
      kind: 'unroutable',
      reason: expect.stringContaining("belongs to domain 'marketing', but this router serves 'sales'"),
    });
  });
});

describe('unroutableAlert', () => {
  it('tells the domain which file was not routed and why, in a subject SNS accepts', () => {
    const object = parseObjectCreated(objectCreated('sales/refunds/refunds.csv'));
    const alert = unroutableAlert(object, { ...routes, domain: 'a'.repeat(120) }, 'no such dataset');
    expect(alert.subject.length).toBeLessThanOrEqual(100);
    expect(alert.message).toContain('s3://acme-dev-landing-111111111111-eu-west-1/sales/refunds/refunds.csv (version v1)');
    expect(alert.message).toContain('Reason: no such dataset');
  });
});

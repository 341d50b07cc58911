import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContractFile } from '../../lib/contracts/load.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { deliveryFileId, sourceIdOf } from '../../lib/ingest/delivery-file-id.ts';
import { processLandedFile, type ValidationOutcome } from '../../lib/ingest/process-landed-file.ts';
import { FakeS3 } from './helpers/fake-s3.ts';

const buckets = { landing: 'landing', validated: 'validated', quarantine: 'quarantine', audit: 'audit' };
const eventTime = '2026-11-21T06:00:00Z';

function dataset(domain: string, name: string): Dataset {
  return loadContractFile(`contracts/${domain}/${name}.yaml`).datasets.find((candidate) => candidate.name === name)!;
}

const customers = dataset('sales', 'customers');
const orders = dataset('sales', 'orders');
const sample = (domain: string, file: string) => readFile(join('contracts', domain, 'samples', file));

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'process-landed-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('a versioned delivery, event time given', () => {
  const key = 'sales/customers/in bound/customers+broken.csv';
  let s3: FakeS3;
  let fileId: string;
  let outcome: ValidationOutcome;

  beforeAll(async () => {
    s3 = new FakeS3();
    s3.put('landing', key, { body: await sample('sales', 'customers.broken.csv'), versionId: 'v+7' });
    ({ outcome } = await processLandedFile({ s3: s3.client, dataset: customers, buckets, event: { bucket: 'landing', key, versionId: 'v+7', eventTime }, scratchDirectory: scratch }));
    fileId = outcome.fileId;
  });

  it('needs no HeadObject and names the file by its version', () => {
    expect(s3.sent.map((command) => command.name)).not.toContain('HeadObjectCommand');
    expect(fileId).toBe(deliveryFileId({ bucket: 'landing', key, versionId: 'v+7' }));
  });

  it('tells the load the landing key and time, to order deliveries by', () => {
    expect(outcome).toMatchObject({ sourceId: sourceIdOf({ bucket: 'landing', key }), ingestedAt: '2026-11-21 06:00:00.000' });
  });

  it('reads exactly the landed version', () => {
    const get = s3.sent.find((command) => command.name === 'GetObjectCommand')!;
    expect(get.input).toEqual({ Bucket: 'landing', Key: key, VersionId: 'v+7' });
  });

  it('quarantines that version by server-side copy, its key encoded and its tags replaced', () => {
    const copy = s3.sent.find((command) => command.name === 'CopyObjectCommand')!;
    expect(copy.input).toEqual({
      Bucket: 'quarantine',
      Key: `sales/customers/2026/11/21/${fileId}/delivered/customers+broken.csv`,
      CopySource: 'landing/sales/customers/in%20bound/customers%2Bbroken.csv?versionId=v%2B7',
      TaggingDirective: 'REPLACE',
      Tagging: 'lakehouse%3Aretention=none',
    });
  });

  it('tags every write in its own request and writes the audit report last', () => {
    const writes = s3.sent.filter((command) => command.name === 'PutObjectCommand' || command.name === 'CopyObjectCommand');
    expect(writes.map((command) => command.input['Tagging'])).toEqual(writes.map(() => 'lakehouse%3Aretention=none'));
    expect(writes.at(-1)!.input).toMatchObject({ Bucket: 'audit', Key: `reports/sales/customers/2026/11/21/customers+broken.csv-${fileId}.json` });
  });

  it('then tags exactly the landed version it read with its retention class, and writes nothing else to landing', () => {
    const toLanding = s3.sent.filter((command) => command.input['Bucket'] === 'landing').map(({ name, input }) => ({ name, input }));
    expect(toLanding).toEqual([
      { name: 'GetObjectCommand', input: { Bucket: 'landing', Key: key, VersionId: 'v+7' } },
      { name: 'GetObjectTaggingCommand', input: { Bucket: 'landing', Key: key, VersionId: 'v+7' } },
      {
        name: 'PutObjectTaggingCommand',
        input: { Bucket: 'landing', Key: key, VersionId: 'v+7', Tagging: { TagSet: [{ Key: 'lakehouse:retention', Value: 'none' }] } },
      },
    ]);
    expect(s3.sent.at(-1)!.name).toBe('PutObjectTaggingCommand');
  });

  it('leaves no scratch files behind', async () => {
    expect(await readdir(scratch)).toEqual([]);
  });
});

describe('a versioned delivery without an event time', () => {
  it('asks HeadObject about that version only, for its LastModified', async () => {
    const s3 = new FakeS3();
    const key = 'sales/orders/orders.csv';
    s3.put('landing', key, { body: await sample('sales', 'orders.csv'), versionId: 'v2', lastModified: new Date('2026-11-21T06:00:00Z') });
    const { outcome } = await processLandedFile({ s3: s3.client, dataset: orders, buckets, event: { bucket: 'landing', key, versionId: 'v2' }, scratchDirectory: scratch });
    expect(s3.sent[0]).toEqual({ name: 'HeadObjectCommand', input: { Bucket: 'landing', Key: key, VersionId: 'v2' } });
    expect(s3.sent.find((command) => command.name === 'GetObjectCommand')!.input).toEqual({ Bucket: 'landing', Key: key, VersionId: 'v2' });
    expect(outcome).toMatchObject({ fileId: deliveryFileId({ bucket: 'landing', key, versionId: 'v2' }), ingestDate: '2026-11-21', ingestedAt: '2026-11-21 06:00:00.000' });
  });
});

describe('an unversioned delivery', () => {
  it('pins the read and the quarantine copy to the ETag HeadObject returned', async () => {
    const s3 = new FakeS3();
    const key = 'sales/customers/customers.broken.csv';
    s3.put('landing', key, { body: await sample('sales', 'customers.broken.csv'), lastModified: new Date('2026-11-21T06:00:00Z') });
    const etag = s3.etagOf('landing', key);
    const { outcome } = await processLandedFile({ s3: s3.client, dataset: customers, buckets, event: { bucket: 'landing', key }, scratchDirectory: scratch });
    expect(outcome).toMatchObject({ fileId: deliveryFileId({ bucket: 'landing', key, etag }), ingestDate: '2026-11-21' });
    expect(s3.sent[0]).toEqual({ name: 'HeadObjectCommand', input: { Bucket: 'landing', Key: key } });
    expect(s3.sent.find((command) => command.name === 'GetObjectCommand')!.input).toEqual({ Bucket: 'landing', Key: key, IfMatch: etag });
    expect(s3.sent.find((command) => command.name === 'CopyObjectCommand')!.input).toMatchObject({ CopySourceIfMatch: etag });
  });

  it('takes the event time from the event over LastModified', async () => {
    const s3 = new FakeS3();
    const key = 'sales/orders/orders.csv';
    s3.put('landing', key, { body: await sample('sales', 'orders.csv'), lastModified: new Date('2027-01-05T10:00:00Z') });
    const { outcome, report } = await processLandedFile({ s3: s3.client, dataset: orders, buckets, event: { bucket: 'landing', key, eventTime }, scratchDirectory: scratch });
    expect(outcome).toMatchObject({ passed: true, ingestDate: '2026-11-21' });
    expect(report.rules.find((rule) => rule.kind === 'freshness')?.passed).toBe(true);
  });
});

describe('the landed version already tagged', () => {
  it('sends no second tagging request on a replay', async () => {
    const s3 = new FakeS3();
    const key = 'sales/orders/orders.csv';
    s3.put('landing', key, { body: await sample('sales', 'orders.csv'), versionId: 'v1', tagging: 'lakehouse%3Aretention=7y' });
    await processLandedFile({ s3: s3.client, dataset: orders, buckets, event: { bucket: 'landing', key, versionId: 'v1', eventTime }, scratchDirectory: scratch });
    expect(s3.sent.filter((command) => command.name.includes('Tagging')).map((command) => command.name)).toEqual(['GetObjectTaggingCommand']);
  });
});

describe('failures', () => {
  it('refuses an object without a LastModified when the event has no time', async () => {
    const s3 = new FakeS3();
    s3.put('landing', 'sales/orders/orders.csv', { body: Buffer.from('x') });
    await expect(
      processLandedFile({ s3: s3.client, dataset: orders, buckets, event: { bucket: 'landing', key: 'sales/orders/orders.csv' }, scratchDirectory: scratch }),
    ).rejects.toThrow('s3://landing/sales/orders/orders.csv: no event time given and HeadObject returned no LastModified');
  });

  it('fails without writing when the S3 client returns no stream, and cleans its scratch directory', async () => {
    const s3 = new FakeS3();
    s3.put('landing', 'sales/orders/orders.csv', { body: Buffer.from('x'), versionId: 'v1' });
    const send = s3.send.bind(s3);
    s3.send = async (command) => (command.constructor.name === 'GetObjectCommand' ? { Body: 'not a stream' } : send(command));
    await expect(
      processLandedFile({ s3: s3.client, dataset: orders, buckets, event: { bucket: 'landing', key: 'sales/orders/orders.csv', versionId: 'v1', eventTime }, scratchDirectory: scratch }),
    ).rejects.toThrow('s3://landing/sales/orders/orders.csv: the S3 client returned no readable stream');
    expect(s3.sent.filter((command) => command.name === 'PutObjectCommand')).toEqual([]);
    expect(await readdir(scratch)).toEqual([]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatedPrefix } from '../../lib/config/names.ts';
import {
  ingestDateOf,
  ingestedAtOf,
  landedFileName,
  lineageEventKey,
  lineagePrefix,
  parseLandingKey,
  quarantineDatasetPrefix,
  quarantinedFileKey,
  quarantinedRowsKey,
  quarantinePrefix,
  quarantineReportKey,
  reportKey,
  reportPrefix,
  validatedKey,
} from '../../lib/ingest/layout.ts';

const orders = { domain: 'sales', names: { ref: 'sales/orders', table: 'orders', landingPrefix: 'sales/orders/' } };
const ordersV2 = { domain: 'sales', names: { ref: 'sales/orders', table: 'orders_v2', landingPrefix: 'sales/orders/' } };
const delivered = { dataset: orders, fileName: 'orders.csv', fileId: 'abc123', ingestDate: '2026-11-21' };

describe('landing keys', () => {
  it('takes the file name from any sub-path under the dataset landing prefix', () => {
    expect(landedFileName(orders, 'sales/orders/orders.csv')).toBe('orders.csv');
    expect(landedFileName(orders, 'sales/orders/2026/11/21/batch-7/orders.csv.gz')).toBe('orders.csv.gz');
  });

  it.each([
    ['another dataset', 'sales/customers/customers.csv', /not under 'sales\/orders\/', the landing prefix of sales\/orders/],
    ['a dataset whose name starts the same', 'sales/orders_archive/orders.csv', /not under 'sales\/orders\/'/],
    ['a folder', 'sales/orders/2026/', /does not end in a file name/],
    ['the prefix itself', 'sales/orders/', /does not end in a file name/],
    ['a parent-directory name', 'sales/orders/2026/..', /does not end in a file name/],
    ['a current-directory name', 'sales/orders/.', /does not end in a file name/],
  ])('refuses a key of %s', (_case, key, message) => {
    expect(() => landedFileName(orders, key)).toThrow(message);
  });

  it('splits any landing key into domain, dataset and file name', () => {
    expect(parseLandingKey('sales/orders/orders.csv')).toEqual({ domain: 'sales', dataset: 'orders', fileName: 'orders.csv' });
    expect(parseLandingKey('sales/orders/2026/11/21/orders.csv.gz')).toEqual({ domain: 'sales', dataset: 'orders', fileName: 'orders.csv.gz' });
  });

  it.each([
    ['too few segments', 'sales/orders.csv', /is not <domain>\/<dataset>\/<file>/],
    ['an empty domain', '/orders/orders.csv', /is not <domain>\/<dataset>\/<file>/],
    ['an empty dataset', 'sales//orders.csv', /is not <domain>\/<dataset>\/<file>/],
    ['a folder', 'sales/orders/2026/', /does not end in a file name/],
    ['a parent-directory name', 'sales/orders/..', /does not end in a file name/],
  ])('refuses to split a key with %s', (_case, key, message) => {
    expect(() => parseLandingKey(key)).toThrow(message);
  });

  it('dates a file by the UTC day of its landing event', () => {
    expect(ingestDateOf(new Date('2026-11-21T06:00:00Z'))).toBe('2026-11-21');
    expect(ingestDateOf(new Date('2026-11-21T23:30:00-02:00'))).toBe('2026-11-22');
    expect(ingestDateOf(new Date('2026-11-22T00:30:00+02:00'))).toBe('2026-11-21');
  });

  it('times a delivery by its landing event in UTC, to the millisecond, as a SQL timestamp literal reads it', () => {
    expect(ingestedAtOf(new Date('2026-11-21T06:00:00Z'))).toBe('2026-11-21 06:00:00.000');
    expect(ingestedAtOf(new Date('2026-11-21T23:30:00.25-02:00'))).toBe('2026-11-22 01:30:00.250');
  });
});

describe('output keys', () => {
  it('puts the report where DESIGN.md promises: reports/<domain>/<dataset>/<yyyy>/<mm>/<dd>/<file>-<file_id>.json', () => {
    expect(reportKey(delivered)).toBe('reports/sales/orders/2026/11/21/orders.csv-abc123.json');
  });

  it('files lineage events by job table and run start day: lineage/<domain>/<table>/<yyyy>/<mm>/<dd>/<run id>-<event type>.json', () => {
    const run = { startDate: '2026-11-21', runId: '0b6a9c1e-3f7d-4e2a-9c5b-1d2e3f4a5b6c', eventType: 'START' };
    expect(lineageEventKey('sales', 'orders_v2', run)).toBe('lineage/sales/orders_v2/2026/11/21/0b6a9c1e-3f7d-4e2a-9c5b-1d2e3f4a5b6c-START.json');
    expect(lineageEventKey('sales', 'orders_v2', run).startsWith(lineagePrefix('sales', 'orders_v2'))).toBe(true);
    expect(lineagePrefix('sales', 'orders')).toBe('lineage/sales/orders/');
  });

  it('partitions validated Parquet by ingest date under the table name, so major versions never mix', () => {
    expect(validatedKey(delivered)).toBe('sales/orders/ingest_date=2026-11-21/abc123.parquet');
    expect(validatedKey({ ...delivered, dataset: ordersV2 })).toBe('sales/orders_v2/ingest_date=2026-11-21/abc123.parquet');
  });

  it('keeps one quarantine folder per delivery, the delivered file apart from the report and rows', () => {
    expect(quarantinePrefix(delivered)).toBe('sales/orders/2026/11/21/abc123/');
    expect(quarantinedFileKey(delivered)).toBe('sales/orders/2026/11/21/abc123/delivered/orders.csv');
    expect(quarantinedRowsKey(delivered)).toBe('sales/orders/2026/11/21/abc123/rows.parquet');
    expect(quarantineReportKey(delivered)).toBe('sales/orders/2026/11/21/abc123/report.json');
    expect(quarantinedFileKey({ ...delivered, fileName: 'report.json' })).not.toBe(quarantineReportKey(delivered));
    expect(quarantinedFileKey({ ...delivered, fileName: 'rows.parquet' })).not.toBe(quarantinedRowsKey(delivered));
  });

  it('writes every output key under the prefix the validator role may write, for any delivery', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);
    fc.assert(
      fc.property(
        name,
        name,
        fc.constantFrom('', '_v2', '_v3'),
        fc.stringMatching(/^[^/]{1,40}$/).filter((fileName) => fileName !== '.' && fileName !== '..'),
        fc.stringMatching(/^[0-9a-f]{24}$/),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (domain, dataset, suffix, fileName, fileId, landedAt) => {
          const identity = { domain, names: { ref: `${domain}/${dataset}`, table: `${dataset}${suffix}`, landingPrefix: `${domain}/${dataset}/` } };
          const file = { dataset: identity, fileName, fileId, ingestDate: ingestDateOf(landedAt) };
          expect(reportKey(file).startsWith(reportPrefix(identity))).toBe(true);
          expect(validatedKey(file).startsWith(validatedPrefix(identity))).toBe(true);
          for (const key of [quarantinedFileKey(file), quarantinedRowsKey(file), quarantineReportKey(file)]) {
            expect(key.startsWith(quarantineDatasetPrefix(identity))).toBe(true);
          }
          expect(landedFileName(identity, `${domain}/${dataset}/any/path/${fileName}`)).toBe(fileName);
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { quarantinedRowsKey, quarantineReportKey } from '../../../lib/ingest/layout.ts';
import { parseQuarantineReportKey } from '../../../lib/local/runtime/quarantine-zone.ts';
import { releasedFileId, releaseKey } from '../../../lib/local/runtime/release-record.ts';
import { dataset } from '../../stacks/fixtures.ts';

const orders = dataset('sales', 'orders');
const orderItems = dataset('sales', 'order_items');
const delivered = { dataset: orders, fileName: 'orders.csv', fileId: '0123456789abcdef01234567', ingestDate: '2026-11-21' };

describe('keys of the quarantine zone, read back', () => {
  it('finds dataset, ingest date and file id in the report key the validator writes', () => {
    expect(parseQuarantineReportKey([orderItems, orders], quarantineReportKey(delivered))).toEqual({
      dataset: orders,
      ingestDate: '2026-11-21',
      fileId: delivered.fileId,
    });
  });

  it('ignores the other objects of a quarantined delivery and other datasets', () => {
    expect(parseQuarantineReportKey([orders], quarantinedRowsKey(delivered))).toBeUndefined();
    expect(parseQuarantineReportKey([orderItems], quarantineReportKey(delivered))).toBeUndefined();
  });
});

describe('keys of release records', () => {
  it('put the file id and the release time under the dataset, and read the id back', () => {
    const key = releaseKey(orders, delivered.fileId, new Date('2026-11-22T09:15:00.123Z'));
    expect(key).toBe(`releases/sales/orders/${delivered.fileId}-20261122T091500123Z.json`);
    expect(releasedFileId(orders, key)).toBe(delivered.fileId);
    expect(releasedFileId(orderItems, key)).toBeUndefined();
    expect(releasedFileId(orders, 'releases/sales/orders/notes.txt')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { attachLake, timeTravelViewName } from '../../../lib/local/lake/attach-lake.ts';
import { DATABASE, ORDERS, insertOrders, orderRows, useLake } from './helpers.ts';

/** One second per commit, so commit times are distinct and known. */
let tick = 0;
const start = Date.parse('2026-03-01T00:00:00Z');
const fixture = useLake({ now: () => new Date(start + 1000 * tick++) });
const ORDERS_VIEW = `"${DATABASE}"."orders"`;

async function threeCommits() {
  const { lake, connection } = fixture();
  tick = 0;
  const created = lake.createTable(DATABASE, 'orders', ORDERS);
  const first = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
  const second = await lake.write(connection, DATABASE, 'orders', 'merge', "UPDATE {{target}} SET status = 'paid'");
  return { created, first, second };
}

describe('time travel', () => {
  it('reads an earlier snapshot through its <table>@<snapshot id> view', async () => {
    const { lake, otherConnection } = fixture();
    const { created, first, second } = await threeCommits();
    const connection = await otherConnection();
    await attachLake(connection, lake);

    const at = (snapshotId: number) => `"${DATABASE}"."${timeTravelViewName('orders', snapshotId)}"`;
    expect(await orderRows(connection, at(created.snapshotId))).toEqual([]);
    expect(await orderRows(connection, at(first.snapshotId))).toEqual([[1, 'new']]);
    expect(await orderRows(connection, at(second.snapshotId))).toEqual([[1, 'paid']]);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([[1, 'paid']]);
  });

  it("gives the writer's connection a view of each snapshot it commits", async () => {
    const { connection } = fixture();
    const { first, second } = await threeCommits();
    expect(await orderRows(connection, `"${DATABASE}"."${timeTravelViewName('orders', first.snapshotId)}"`)).toEqual([[1, 'new']]);
    expect(await orderRows(connection, `"${DATABASE}"."${timeTravelViewName('orders', second.snapshotId)}"`)).toEqual([[1, 'paid']]);
  });

  it('pins a table to a snapshot with attachLake asOf, leaving other tables current', async () => {
    const { lake, otherConnection } = fixture();
    const { first } = await threeCommits();
    lake.createTable(DATABASE, 'customers', ORDERS);

    const reader = await otherConnection();
    const attached = await attachLake(reader, lake, { asOf: { [`${DATABASE}.orders`]: first.snapshotId } });

    expect(attached).toEqual([
      { database: DATABASE, table: 'customers' },
      { database: DATABASE, table: 'orders' },
    ]);
    expect(await orderRows(reader, ORDERS_VIEW)).toEqual([[1, 'new']]);
    expect(await orderRows(reader, `"${DATABASE}"."customers"`)).toEqual([]);
  });

  it('refuses an asOf pin on an unknown table or snapshot, before attaching anything', async () => {
    const { lake, otherConnection } = fixture();
    await threeCommits();
    const reader = await otherConnection();

    await expect(attachLake(reader, lake, { asOf: { [`${DATABASE}.nope`]: 1 } })).rejects.toThrow(
      /asOf names table 'acme_dev_sales.nope', which is not in the lake/,
    );
    await expect(attachLake(reader, lake, { asOf: { [`${DATABASE}.orders`]: 42 } })).rejects.toThrow(
      /acme_dev_sales.orders has no snapshot 42/,
    );
    await expect(orderRows(reader, ORDERS_VIEW)).rejects.toThrow(/does not exist/);
  });

  it('finds snapshots by id and by time, as FOR VERSION / FOR TIMESTAMP AS OF do', async () => {
    const { lake } = fixture();
    const { created, first, second } = await threeCommits();

    expect(lake.snapshot(DATABASE, 'orders', first.snapshotId)).toEqual(first);
    expect(lake.snapshotAsOf(DATABASE, 'orders', new Date(first.committedAt))).toEqual(first);
    expect(lake.snapshotAsOf(DATABASE, 'orders', new Date(Date.parse(second.committedAt) - 1))).toEqual(first);
    expect(lake.snapshotAsOf(DATABASE, 'orders', new Date('2030-01-01T00:00:00Z'))).toEqual(second);
    expect(() => lake.snapshotAsOf(DATABASE, 'orders', new Date(Date.parse(created.committedAt) - 1))).toThrow(
      /no snapshot at or before 2026-02-28T23:59:59.999Z: its oldest retained snapshot was committed at 2026-03-01T00:00:00.000Z/,
    );
    expect(() => lake.snapshot(DATABASE, 'orders', 7)).toThrow(/has no snapshot 7: it expired or never existed/);
  });
});

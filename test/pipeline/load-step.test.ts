import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { loadStep, type LoadArguments } from '../../lib/pipeline/load-step.ts';
import { PIPELINE_PATHS } from '../../lib/pipeline/pipeline-data.ts';
import { PIPELINE_STATES } from '../../lib/pipeline/state-names.ts';
import { dataset } from '../stacks/fixtures.ts';
import { DATABASE, events, FILE_A, FILE_B, orders, useLoadFixture } from './helpers.ts';
import { evaluateStatesFormat, statesFormatCall } from './states-format.ts';

/** A later version of FILE_A's landing key: a corrected re-delivery. */
const FILE_A2: LoadArguments = { ...FILE_A, fileId: '2222a2a2a2a2a2a2a2a2a2a2', ingestDate: '2026-03-03', ingestedAt: '2026-03-03 08:15:00.250' };

const ordersStep = loadStep(orders, { database: DATABASE });
const eventsStep = loadStep(events, { database: DATABASE });

function stateInput(file: LoadArguments): JsonValue {
  return { validation: { ...file } };
}

describe('the Athena rendering', () => {
  it('is the Load state of the pipeline, reading the file id, source id, ingest date and time from the validation result', () => {
    expect(ordersStep.stateName).toBe(PIPELINE_STATES.load);
    expect(ordersStep.dataset).toBe('sales/orders');
    const paths = [PIPELINE_PATHS.fileId, PIPELINE_PATHS.ingestDate, PIPELINE_PATHS.ingestedAt, PIPELINE_PATHS.sourceId];
    expect(new Set(ordersStep.argumentPaths)).toEqual(new Set(paths));
    expect(new Set(eventsStep.argumentPaths)).toEqual(new Set(paths));
  });

  it('formats, the way AWS evaluates States.Format, into the statement athena() renders', () => {
    for (const step of [ordersStep, eventsStep]) {
      const call = statesFormatCall(step.template, step.argumentPaths);
      expect(evaluateStatesFormat(call, stateInput(FILE_A))).toBe(step.athena(FILE_A));
    }
  });

  it('merges into the silver table from this file of the validated table, partition-pruned and keyed', () => {
    const query = ordersStep.athena(FILE_A);
    expect(query).toMatch(/^MERGE INTO "acme_dev_sales"\."orders" AS t\n/);
    expect(query).toContain(`FROM "acme_dev_sales"."orders_validated" AS v`);
    expect(query).toContain(`WHERE v."ingest_date" = DATE '2026-03-01' AND v."file_id" = '${FILE_A.fileId}'`);
    expect(query).toContain('ON t."order_id" = s."order_id"');
    expect(query).toContain('PARTITION BY v."order_id" ORDER BY v."_row" DESC');
    expect(query).toContain('CAST(v."order_ts" AS timestamp(6))');
    expect(query).toContain(`CAST(TIMESTAMP '2026-03-01 06:00:00.000' AS timestamp(6)) AS "_ingested_at"`);
    expect(query).toContain(`'${FILE_A.sourceId}' AS "_source_id"`);
  });

  it('updates a row only from the same or a later delivery, in the same words as the DuckDB rendering', () => {
    const order = 't."_ingested_at" IS NULL OR s."_ingested_at" > t."_ingested_at" OR';
    expect(ordersStep.athena(FILE_A)).toContain(`WHEN MATCHED AND (${order}`);
    expect(ordersStep.duckdb(FILE_A).statements[0]).toContain(`WHEN MATCHED AND (${order}`);
    expect(eventsStep.athena(FILE_A)).toContain(`NOT EXISTS (SELECT 1 FROM "acme_dev_sales"."events" AS n WHERE n."_source_id" = '${FILE_A.sourceId}'`);
  });

  it('reads its values back out of a formatted query', () => {
    expect(ordersStep.argumentsOf(ordersStep.athena(FILE_B))).toEqual(FILE_B);
    expect(eventsStep.argumentsOf(eventsStep.athena(FILE_A))).toEqual(FILE_A);
  });

  it("refuses a query that is not this step's statement", () => {
    expect(() => ordersStep.argumentsOf(eventsStep.athena(FILE_A))).toThrow(/not this step's statement/);
    expect(() => ordersStep.argumentsOf(`${ordersStep.athena(FILE_A)};`)).toThrow(/not this step's statement/);
  });

  it('refuses a query whose repeated value differs between its places', () => {
    const tampered = eventsStep.athena(FILE_A).replace(`o."file_id" = '${FILE_A.fileId}'`, `o."file_id" = '${FILE_B.fileId}'`);
    expect(() => eventsStep.argumentsOf(tampered)).toThrow(/'fileId' is '.*' in one place of the query and '.*' in another/);
  });

  it('refuses values that could break out of their quotes, naming each', () => {
    expect(() => ordersStep.athena({ ...FILE_A, fileId: "x' OR '1'='1" })).toThrow(/'fileId' must be a file id/);
    expect(() => ordersStep.athena({ ...FILE_A, ingestDate: '01/03/2026' })).toThrow(/'ingestDate' must be an ingest date \(yyyy-mm-dd\)/);
    expect(() => ordersStep.duckdb({ ...FILE_A, fileId: 'ab{}' })).toThrow(/'fileId'/);
    expect(() => ordersStep.athena({ ...FILE_A, ingestedAt: '2026-03-01T06:00:00Z' })).toThrow(/'ingestedAt' must be an ingest time/);
    expect(() => ordersStep.athena({ ...FILE_A, ingestedAt: "2026-03-01 06:00:00.000' OR 1=1 --" })).toThrow(/'ingestedAt'/);
    expect(() => eventsStep.athena({ ...FILE_A, sourceId: 'sales/events/a.csv' })).toThrow(/'sourceId' must be a source id/);
  });

  it('refuses a merge dataset without a primary key', () => {
    const keyless = dataset('sales', 'orders', { primaryKey: [], loadMode: 'merge' });
    expect(() => loadStep(keyless, { database: DATABASE })).toThrow(/'sales\/orders': loadMode merge needs a primary key/);
  });
});

describe('the DuckDB rendering on the local lake', () => {
  const fixture = useLoadFixture();

  it('loads a file, and loading it again leaves the table unchanged', async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(orders);
    await writeValidated(orders, FILE_A, [
      [1, "'ORD-1'", "'placed'", '10.50', '1', "'2026-03-01T10:00:00Z'"],
      [2, "'ORD-2'", "'paid'", '20.00', '2', "'2026-03-01T11:00:00+02:00'"],
    ]);
    const write = ordersStep.duckdb(FILE_A);
    expect(write).toMatchObject({ database: DATABASE, table: 'orders', operation: 'merge' });

    await lake.write(connection, write.database, write.table, write.operation, write.statements);
    const first = await rows(orders, 'order_id');
    await lake.write(connection, write.database, write.table, write.operation, write.statements);
    const second = await rows(orders, 'order_id');

    expect(first).toHaveLength(2);
    expect(second).toEqual(first);
    expect(first[0]).toMatchObject({ order_id: 'ORD-1', status: 'placed', quantity: 1, file_id: FILE_A.fileId, _row: 1n });
    expect(lake.snapshots(DATABASE, 'orders').map((snapshot) => snapshot.summary.totalRows)).toEqual([0, 2, 2]);
  });

  it('keeps the last row of a key repeated inside one file', async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(orders);
    await writeValidated(orders, FILE_A, [
      [1, "'ORD-1'", "'placed'", '10.00', '1', "'2026-03-01T10:00:00Z'"],
      [2, "'ORD-2'", "'placed'", '5.00', '1', "'2026-03-01T10:00:00Z'"],
      [3, "'ORD-1'", "'paid'", '10.00', '1', "'2026-03-01T10:00:00Z'"],
      [4, "'ORD-1'", "'shipped'", '10.00', '1', "'2026-03-01T10:00:00Z'"],
    ]);
    const write = ordersStep.duckdb(FILE_A);
    await lake.write(connection, write.database, write.table, write.operation, write.statements);

    expect((await rows(orders, 'order_id')).map((row) => [row['order_id'], row['status'], row['_row']])).toEqual([
      ['ORD-1', 'shipped', 4n],
      ['ORD-2', 'placed', 2n],
    ]);
  });

  it("takes only this delivery's rows and updates keys a later file repeats", async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(orders);
    await writeValidated(orders, FILE_A, [
      [1, "'ORD-1'", "'placed'", '10.00', '1', "'2026-03-01T10:00:00Z'"],
      [2, "'ORD-2'", "'placed'", '5.00', '1', "'2026-03-01T10:00:00Z'"],
    ]);
    await writeValidated(orders, FILE_B, [
      [1, "'ORD-2'", "'paid'", '5.00', '1', "'2026-03-01T10:00:00Z'"],
      [2, "'ORD-3'", "'placed'", '7.00', '3', "'2026-03-02T10:00:00Z'"],
    ]);

    const loadA = ordersStep.duckdb(FILE_A);
    await lake.write(connection, loadA.database, loadA.table, loadA.operation, loadA.statements);
    expect((await rows(orders, 'order_id')).map((row) => row['order_id'])).toEqual(['ORD-1', 'ORD-2']);

    const loadB = ordersStep.duckdb(FILE_B);
    await lake.write(connection, loadB.database, loadB.table, loadB.operation, loadB.statements);
    expect((await rows(orders, 'order_id')).map((row) => [row['order_id'], row['status'], row['file_id'], (row['ingest_date'] as Date).toISOString().slice(0, 10)])).toEqual([
      ['ORD-1', 'placed', FILE_A.fileId, '2026-03-01'],
      ['ORD-2', 'paid', FILE_B.fileId, '2026-03-02'],
      ['ORD-3', 'placed', FILE_B.fileId, '2026-03-02'],
    ]);
  });

  it('writes timestamps as UTC wall-clock time whatever the session time zone', async () => {
    const { lake, connection, writeValidated, prepareTables } = fixture();
    await prepareTables(orders);
    await writeValidated(orders, FILE_A, [[1, "'ORD-1'", "'placed'", '1.00', '1', "'2026-03-01T23:30:00-02:00'"]]);
    await connection.run("SET TimeZone = 'Asia/Tokyo'");
    const write = ordersStep.duckdb(FILE_A);
    await lake.write(connection, write.database, write.table, write.operation, write.statements);

    const loaded = await connection.runAndReadAll(`SELECT CAST(order_ts AS VARCHAR) AS ts, typeof(order_ts) AS type FROM "${DATABASE}"."orders"`);
    expect(loaded.getRowObjectsJS()).toEqual([{ ts: '2026-03-02 01:30:00', type: 'TIMESTAMP' }]);
  });

  it('appends a keyless file once however often it is loaded, beside other files', async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(events);
    await writeValidated(events, FILE_A, [
      [1, "'view'", '1'],
      [2, "'view'", '1'],
    ]);
    await writeValidated(events, FILE_B, [[1, "'buy'", '3']]);
    for (const file of [FILE_A, FILE_B, FILE_A]) {
      const write = eventsStep.duckdb(file);
      await lake.write(connection, write.database, write.table, write.operation, write.statements);
    }

    expect((await rows(events, 'file_id, _row')).map((row) => [row['file_id'], row['_row'], row['event']])).toEqual([
      [FILE_A.fileId, 1n, 'view'],
      [FILE_A.fileId, 2n, 'view'],
      [FILE_B.fileId, 1n, 'buy'],
    ]);
  });

  it("replaces a keyless file's earlier rows with its current ones, leaving other files alone", async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(events);
    await writeValidated(events, FILE_A, [
      [1, "'view'", '1'],
      [2, "'view'", '2'],
      [3, "'view'", '3'],
    ]);
    await writeValidated(events, FILE_B, [[1, "'buy'", '3']]);
    for (const file of [FILE_A, FILE_B]) {
      const write = eventsStep.duckdb(file);
      await lake.write(connection, write.database, write.table, write.operation, write.statements);
    }
    // The same delivery validated again under a changed contract: row 2 now fails, row 3 changed.
    await writeValidated(events, FILE_A, [
      [1, "'view'", '1'],
      [3, "'cart'", '3'],
    ]);
    const reload = eventsStep.duckdb(FILE_A);
    await lake.write(connection, reload.database, reload.table, reload.operation, reload.statements);

    expect((await rows(events, 'file_id, _row')).map((row) => [row['file_id'], row['_row'], row['event']])).toEqual([
      [FILE_A.fileId, 1n, 'view'],
      [FILE_A.fileId, 3n, 'cart'],
      [FILE_B.fileId, 1n, 'buy'],
    ]);
  });

  it('never lets a replay of an older delivery revert a newer row, and fills the keys only the older one has', async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(orders);
    await writeValidated(orders, FILE_A, [
      [1, "'ORD-1'", "'open'", '10.00', '1', "'2026-03-01T10:00:00Z'"],
      [2, "'ORD-9'", "'open'", '9.00', '1', "'2026-03-01T10:00:00Z'"],
    ]);
    await writeValidated(orders, FILE_B, [[1, "'ORD-1'", "'cancelled'", '10.00', '1', "'2026-03-01T10:00:00Z'"]]);
    for (const file of [FILE_B, FILE_A]) {
      const write = ordersStep.duckdb(file);
      await lake.write(connection, write.database, write.table, write.operation, write.statements);
    }

    expect((await rows(orders, 'order_id')).map((row) => [row['order_id'], row['status'], row['file_id'], row['_ingested_at']])).toEqual([
      ['ORD-1', 'cancelled', FILE_B.fileId, new Date('2026-03-02T06:00:00Z')],
      ['ORD-9', 'open', FILE_A.fileId, new Date('2026-03-01T06:00:00Z')],
    ]);
  });

  it('orders two deliveries landed at the same instant the same way whichever is loaded first', async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    const twin: LoadArguments = { ...FILE_B, ingestDate: FILE_A.ingestDate, ingestedAt: FILE_A.ingestedAt };
    const outcomes: unknown[] = [];
    for (const [name, loads] of [['orders_ab', [FILE_A, twin]], ['orders_ba', [twin, FILE_A]]] as const) {
      const table = dataset('sales', name, { columns: orders.columns, primaryKey: ['order_id'], loadMode: 'merge' });
      const step = loadStep(table, { database: DATABASE });
      await prepareTables(table);
      await writeValidated(table, FILE_A, [[1, "'ORD-1'", "'open'", '10.00', '1', "'2026-03-01T10:00:00Z'"]]);
      await writeValidated(table, twin, [[1, "'ORD-1'", "'paid'", '10.00', '1', "'2026-03-01T10:00:00Z'"]]);
      for (const file of loads) {
        const write = step.duckdb(file);
        await lake.write(connection, write.database, write.table, write.operation, write.statements);
      }
      outcomes.push((await rows(table, 'order_id')).map((row) => [row['status'], row['file_id']]));
    }
    expect(outcomes[0]).toEqual([['paid', twin.fileId]]);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('replaces the rows of every earlier version of a keyless landing key, and a replayed older version changes nothing', async () => {
    const { lake, connection, writeValidated, prepareTables, rows } = fixture();
    await prepareTables(events);
    await writeValidated(events, FILE_A, [
      [1, "'view'", '1'],
      [2, "'view'", '2'],
      [3, "'view'", '3'],
    ]);
    await writeValidated(events, FILE_B, [[1, "'buy'", '3']]);
    await writeValidated(events, FILE_A2, [
      [1, "'view'", '1'],
      [2, "'cart'", '2'],
    ]);
    const load = async (file: LoadArguments): Promise<unknown[]> => {
      const write = eventsStep.duckdb(file);
      await lake.write(connection, write.database, write.table, write.operation, write.statements);
      return (await rows(events, 'file_id, _row')).map((row) => [row['file_id'], row['_row'], row['event']]);
    };
    await load(FILE_A);
    await load(FILE_B);
    const corrected = [
      [FILE_A2.fileId, 1n, 'view'],
      [FILE_A2.fileId, 2n, 'cart'],
      [FILE_B.fileId, 1n, 'buy'],
    ];
    expect(await load(FILE_A2)).toEqual(corrected);
    expect(await load(FILE_A)).toEqual(corrected);
    expect(await load(FILE_A2)).toEqual(corrected);
  });
});

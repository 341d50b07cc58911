/** Validated Parquet files and a local lake holding a silver table, for running the load step on DuckDB. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { silverTableName, validatedPrefix } from '../../lib/config/names.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import type { LoadArguments } from '../../lib/pipeline/load-step.ts';
import { silverLakeColumns } from '../../lib/pipeline/silver-table.ts';
import { validatedViewSql } from '../../lib/pipeline/validated-view.ts';
import { quoteIdentifier, quoteString } from '../../lib/sql/ansi.ts';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { column, dataset } from '../stacks/fixtures.ts';

export const DATABASE = 'acme_dev_sales';

/** Two deliveries of a dataset, a day apart. */
export const FILE_A: LoadArguments = {
  fileId: 'a1b2c3d4e5f6a1b2c3d4e5f6',
  ingestDate: '2026-03-01',
  ingestedAt: '2026-03-01 06:00:00.000',
  sourceId: '0000aaaa0000aaaa0000aaaa',
};
export const FILE_B: LoadArguments = {
  fileId: 'ffffeeeeddddccccbbbbaaaa',
  ingestDate: '2026-03-02',
  ingestedAt: '2026-03-02 06:00:00.000',
  sourceId: '0000bbbb0000bbbb0000bbbb',
};


/** A keyed dataset with the types whose conversion into silver matters (timestamp, decimal, 32-bit integer). */
export const orders: Dataset = dataset('sales', 'orders', {
  columns: [
    column('order_id', { kind: 'string' }),
    column('status', { kind: 'string' }),
    column('amount', { kind: 'decimal', precision: 12, scale: 2 }),
    column('quantity', { kind: 'integer', bits: 32 }),
    column('order_ts', { kind: 'timestamp' }),
  ],
  primaryKey: ['order_id'],
  loadMode: 'merge',
});

/** A keyless dataset loaded by `append`. */
export const events: Dataset = dataset('sales', 'events', {
  columns: [column('event', { kind: 'string' }), column('quantity', { kind: 'integer', bits: 32 })],
  primaryKey: [],
  loadMode: 'append',
});

/** One validated row: `_row` first, then the dataset's columns in order, as SQL literals. */
export type ValidatedRow = readonly [row: number, ...values: string[]];

export interface LoadFixture {
  readonly lake: LocalLake;
  readonly connection: DuckDBConnection;
  /** Writes a validated file as the validator does: typed Parquet under `ingest_date=<date>/<file id>.parquet`. */
  writeValidated(target: Dataset, file: LoadArguments, rows: readonly ValidatedRow[]): Promise<void>;
  /** Creates the dataset's silver table in the lake and its validated view on the connection. */
  prepareTables(target: Dataset): Promise<void>;
  rows(target: Dataset, orderBy: string): Promise<Record<string, unknown>[]>;
}

/** A fresh lake, validated folder and in-memory DuckDB per test, all removed afterwards. */
export function useLoadFixture(database = DATABASE): () => LoadFixture {
  let fixture: LoadFixture | undefined;
  let cleanup = (): void => undefined;

  beforeEach(async () => {
    const root = mkdtempSync(join(tmpdir(), 'pipeline-load-'));
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const lake = new LocalLake(join(root, 'lake'));
    const validatedDirectory = (target: Dataset): string => join(root, 'validated', validatedPrefix(target));
    cleanup = () => {
      connection.closeSync();
      instance.closeSync();
      rmSync(root, { recursive: true, force: true });
    };
    fixture = {
      lake,
      connection,
      async writeValidated(target, file, rows) {
        const folder = join(validatedDirectory(target), `ingest_date=${file.ingestDate}`);
        mkdirSync(folder, { recursive: true });
        const columns = target.columns.map(
          (contractColumn, index) => `CAST(column${index + 1} AS ${duckdb.type(contractColumn.type)}) AS ${quoteIdentifier(contractColumn.name)}`,
        );
        const values = rows.map(([row, ...literals]) => `(${[row, ...literals].join(', ')})`);
        await connection.run(
          `COPY (SELECT ${columns.join(', ')}, ${quoteString(file.fileId)} AS file_id, CAST(column0 AS BIGINT) AS _row ` +
            `FROM (VALUES ${values.join(', ')}) AS v(${['column0', ...target.columns.map((_, index) => `column${index + 1}`)].join(', ')})) ` +
            `TO ${quoteString(join(folder, `${file.fileId}.parquet`))} (FORMAT parquet)`,
        );
        await connection.run(validatedViewSql(target, database, validatedDirectory(target)));
      },
      async prepareTables(target) {
        lake.createTable(database, silverTableName(target), silverLakeColumns(target), { ifNotExists: true });
      },
      async rows(target, orderBy) {
        const relation = `${quoteIdentifier(database)}.${quoteIdentifier(silverTableName(target))}`;
        return (await connection.runAndReadAll(`SELECT * FROM ${relation} ORDER BY ${orderBy}`)).getRowObjectsJS();
      },
    };
  });

  afterEach(() => {
    cleanup();
    fixture = undefined;
  });

  return () => {
    if (fixture === undefined) throw new Error('useLoadFixture() fixtures exist only inside a test');
    return fixture;
  };
}

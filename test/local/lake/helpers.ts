import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { LocalLake, type LocalLakeOptions } from '../../../lib/local/lake/local-lake.ts';
import type { LakeColumn } from '../../../lib/pipeline/lake-write.ts';

export const DATABASE = 'acme_dev_sales';
export const ORDERS: readonly LakeColumn[] = [
  { name: 'id', type: 'INTEGER' },
  { name: 'status', type: 'VARCHAR' },
];

export interface LakeFixture {
  readonly root: string;
  readonly lake: LocalLake;
  readonly connection: DuckDBConnection;
  /** Another DuckDB instance on the same lake: a second writer. */
  otherConnection(): Promise<DuckDBConnection>;
}

/** A lake in a fresh temp folder and an in-memory DuckDB per test, all removed afterwards. */
export function useLake(options: LocalLakeOptions = {}): () => LakeFixture {
  let fixture: LakeFixture | undefined;
  const instances: DuckDBInstance[] = [];
  const connections: DuckDBConnection[] = [];

  async function connect(): Promise<DuckDBConnection> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    instances.push(instance);
    const connection = await instance.connect();
    connections.push(connection);
    return connection;
  }

  beforeEach(async () => {
    const root = mkdtempSync(join(tmpdir(), 'local-lake-'));
    fixture = { root, lake: new LocalLake(root, options), connection: await connect(), otherConnection: connect };
  });

  afterEach(() => {
    for (const connection of connections.splice(0)) connection.closeSync();
    for (const instance of instances.splice(0)) instance.closeSync();
    if (fixture !== undefined) rmSync(fixture.root, { recursive: true, force: true });
    fixture = undefined;
  });

  return () => {
    if (fixture === undefined) throw new Error('useLake() fixtures exist only inside a test');
    return fixture;
  };
}

export async function query(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS();
}

/** `[id, status]` pairs of a relation, sorted by id then status. */
export async function orderRows(connection: DuckDBConnection, relation: string): Promise<[number, string | null][]> {
  const rows = await query(connection, `SELECT id, status FROM ${relation} ORDER BY id, status`);
  return rows.map((row) => [row['id'] as number, row['status'] as string | null]);
}

/** An append statement for `rows`; for no rows, one that inserts nothing. */
export function insertOrders(rows: readonly [number, string][]): string {
  if (rows.length === 0) return 'INSERT INTO {{target}} SELECT NULL, NULL WHERE false';
  return `INSERT INTO {{target}} VALUES ${rows.map(([id, status]) => `(${id}, '${status}')`).join(', ')}`;
}

/** Files under a table's `data/` folder, committed or not. */
export function dataFiles(tableDirectory: string): string[] {
  try {
    return readdirSync(join(tableDirectory, 'data')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { loadContractFile } from '../../../lib/contracts/load.ts';
import type { CsvOptions, Dataset, FileFormat, LogicalType, UnknownColumns } from '../../../lib/contracts/model.ts';

export interface ColumnSpec {
  readonly name: string;
  readonly logicalType?: LogicalType;
  readonly required?: boolean;
  readonly primaryKey?: boolean;
}

export interface DatasetSpec {
  readonly format: FileFormat;
  readonly columns: readonly ColumnSpec[];
  readonly csv?: Partial<CsvOptions>;
  readonly unknownColumns?: UnknownColumns;
}

/** The columns most tests use: a key, a required name and an optional amount. */
export const ORDER_COLUMNS: readonly ColumnSpec[] = [
  { name: 'order_id', primaryKey: true },
  { name: 'customer', required: true },
  { name: 'amount', logicalType: 'number' },
];

const DOMAIN_YAML = stringify({
  domain: 'shop',
  owner: { team: 'shop-data', email: 'shop-data@example.com' },
  alerts: { emails: ['shop-oncall@example.com'] },
});

/** A scratch folder for the test file, removed after its last test. */
export function useScratchFolder(): () => string {
  let folder: string | undefined;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'read-source-'));
  });
  afterAll(() => {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    if (folder === undefined) throw new Error('useScratchFolder() must be called at the top of a test file');
    return folder;
  };
}

let contractCount = 0;

/**
 * A `Dataset` loaded the way the app loads it: an ODCS contract and domain.yaml written to
 * `<folder>/shop/`, read by `loadContractFile`.
 */
export function datasetFor(folder: string, spec: DatasetSpec): Dataset {
  contractCount += 1;
  const name = `orders${contractCount}`;
  const domainFolder = join(folder, 'shop');
  mkdirSync(domainFolder, { recursive: true });
  writeFileSync(join(domainFolder, 'domain.yaml'), DOMAIN_YAML);
  const hasKey = spec.columns.some((column) => column.primaryKey === true);
  const server: Record<string, unknown> = { server: 'landing', type: 's3', location: `s3://landing/shop/${name}/`, format: spec.format };
  if (spec.format === 'json') server['delimiter'] = 'new_line';
  if (spec.csv !== undefined) server['customProperties'] = [{ property: 'csv', value: spec.csv }];
  const contract = {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `urn:datacontract:shop:${name}`,
    name,
    version: '1.0.0',
    status: 'active',
    servers: [server],
    customProperties: [
      { property: 'loadMode', value: hasKey ? 'merge' : 'append' },
      { property: 'unknownColumns', value: spec.unknownColumns ?? 'fail' },
    ],
    schema: [
      {
        name,
        logicalType: 'object',
        properties: spec.columns.map((column) => ({
          name: column.name,
          logicalType: column.logicalType ?? 'string',
          ...(column.required === undefined ? {} : { required: column.required }),
          ...(column.primaryKey === undefined ? {} : { primaryKey: column.primaryKey, primaryKeyPosition: 1 }),
        })),
      },
    ],
  };
  const file = join(domainFolder, `${name}.yaml`);
  writeFileSync(file, stringify(contract));
  return loadContractFile(file).datasets[0]!;
}

/** Writes a data file into the scratch folder and returns its path. */
export function writeData(folder: string, name: string, content: string | Uint8Array): string {
  const file = join(folder, name);
  writeFileSync(file, content);
  return file;
}

/** One DuckDB instance and connection per test file, closed after its last test so vitest can exit. */
export function useDuckDb(): () => DuckDBConnection {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return () => {
    if (connection === undefined) throw new Error('useDuckDb() must be called at the top of a test file');
    return connection;
  };
}

/** Every row of a relation in `_row` order, `_row` as a number; all columns or the given ones. */
export async function rowsOf(connection: DuckDBConnection, relation: string, columns?: readonly string[]): Promise<Record<string, unknown>[]> {
  const selected = columns === undefined ? '*' : columns.map((column) => `"${column}"`).join(', ');
  const reader = await connection.runAndReadAll(`SELECT ${selected} FROM "${relation}" ORDER BY _row`);
  return reader.getRowObjectsJS().map((row) => ({ ...row, _row: Number(row['_row']) }));
}

/** Column names and DuckDB types of a relation, in order. */
export async function columnsOf(connection: DuckDBConnection, relation: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE "${relation}"`);
  return reader.getRowObjectsJS().map((row) => `${String(row['column_name'])} ${String(row['column_type'])}`);
}

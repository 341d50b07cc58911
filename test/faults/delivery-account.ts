/**
 * What one delivery left behind in a workspace, counted from the zones and the lake themselves
 * rather than from what the runtime says it did: every fault scenario ends by checking that rows
 * in = rows loaded + rows quarantined, that the landed original is untouched, and that a replay
 * added no second report, quarantine entry or row.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { FILE_ID_COLUMN, silverTableName } from '../../lib/config/names.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { quarantineDatasetPrefix, reportPrefix } from '../../lib/ingest/layout.ts';
import { attachLake } from '../../lib/local/lake/attach-lake.ts';
import type { LocalPipelineRuntime } from '../../lib/local/runtime/pipeline-runtime.ts';
import { listKeys, readJsonObject } from '../../lib/local/runtime/zone-objects.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';

export interface DeliveryAccount {
  /** Data records in the delivered file, counted from its text. */
  readonly recordsInFile: number;
  /** Audit reports of the delivery. */
  readonly reports: readonly ValidationReport[];
  /** Silver rows carrying the delivery's file id. */
  readonly loaded: number;
  /** Rows the quarantine zone holds for the delivery (its failed rows, or every row of a quarantined file). */
  readonly quarantined: number;
  /** Entries `quarantine list` shows for the delivery. */
  readonly quarantineEntries: number;
  /** The landed object still holds the delivered bytes. */
  readonly landedIntact: boolean;
}

export interface Delivery {
  readonly dataset: Dataset;
  /** The local file that was delivered. */
  readonly file: string;
  /** Its landing key. */
  readonly key: string;
  readonly fileId: string;
}

/** Records of a delivered CSV (after its header) or JSON Lines file, counted from its text. */
function records(file: string, jsonLines: boolean): number {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  return (jsonLines ? lines : lines.slice(1)).filter((line) => line !== '').length;
}

/** Rows of a query over the workspace's lake (its tables named as in Athena). */
export async function lakeRows(runtime: LocalPipelineRuntime, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await attachLake(connection, runtime.lake);
    return (await connection.runAndReadAll(sql)).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function scalar(runtime: LocalPipelineRuntime, sql: string): Promise<number> {
  return Number((await lakeRows(runtime, sql))[0]![0]);
}

/** Rows of the dataset's silver table, and how many distinct primary keys (or file_id, _row pairs) they have. */
export async function silverCounts(runtime: LocalPipelineRuntime, dataset: Dataset): Promise<{ rows: number; keys: number }> {
  if (!runtime.lake.hasTable(runtime.database(dataset), silverTableName(dataset))) return { rows: 0, keys: 0 };
  const relation = `"${runtime.database(dataset)}"."${silverTableName(dataset)}"`;
  const key = dataset.primaryKey.length > 0 ? dataset.primaryKey : [FILE_ID_COLUMN, '_row'];
  const rows = await scalar(runtime, `SELECT count(*) FROM ${relation}`);
  const keys = await scalar(runtime, `SELECT count(*) FROM (SELECT DISTINCT ${key.map((column) => `"${column}"`).join(', ')} FROM ${relation})`);
  return { rows, keys };
}

export async function accountFor(runtime: LocalPipelineRuntime, delivery: Delivery): Promise<DeliveryAccount> {
  const { dataset, fileId } = delivery;
  const jsonLines = delivery.file.endsWith('.jsonl');
  const { s3, buckets } = runtime;
  const reportKeys = (await listKeys(s3.client, buckets.audit, reportPrefix(dataset))).filter((key) => key.endsWith(`-${fileId}.json`));
  const reports = await Promise.all(reportKeys.map((key) => readJsonObject<ValidationReport>(s3.client, buckets.audit, key)));

  const table = silverTableName(dataset);
  const loaded = runtime.lake.hasTable(runtime.database(dataset), table)
    ? await scalar(runtime, `SELECT count(*) FROM "${runtime.database(dataset)}"."${table}" WHERE ${FILE_ID_COLUMN} = '${fileId}'`)
    : 0;

  const quarantineKeys = (await listKeys(s3.client, buckets.quarantine, quarantineDatasetPrefix(dataset))).filter((key) => key.includes(`/${fileId}/`));
  const rowsObject = quarantineKeys.find((key) => key.endsWith('/rows.parquet'));
  const fileObject = quarantineKeys.find((key) => key.includes('/delivered/'));
  let quarantined = 0;
  if (rowsObject !== undefined) {
    const path = s3.objectPath(buckets.quarantine, rowsObject);
    quarantined += await scalar(runtime, `SELECT count(*) FROM read_parquet('${path}')`);
  }
  if (fileObject !== undefined) quarantined += records(s3.objectPath(buckets.quarantine, fileObject), jsonLines);

  const quarantineEntries = (await runtime.quarantined(dataset.names.ref)).filter((entry) => entry.fileId === fileId).length;
  const landed = readFileSync(s3.objectPath(buckets.landing, delivery.key));
  return {
    recordsInFile: records(delivery.file, jsonLines),
    reports,
    loaded,
    quarantined,
    quarantineEntries,
    landedIntact: landed.equals(readFileSync(delivery.file)),
  };
}

/** Every row of the delivery is in exactly one place, once, and its original is untouched. */
export async function expectCountedOnce(runtime: LocalPipelineRuntime, delivery: Delivery): Promise<void> {
  const account = await accountFor(runtime, delivery);
  expect(account.landedIntact).toBe(true);
  expect(account.reports).toHaveLength(1);
  const [report] = account.reports;
  expect(report!.rowCount).toBe(account.recordsInFile);
  expect(account.loaded + account.quarantined).toBe(account.recordsInFile);
  expect([account.loaded, account.quarantined]).toEqual([report!.rowsPassed, report!.rowsQuarantined]);
  expect(account.quarantineEntries).toBe(report!.rowsQuarantined > 0 ? 1 : 0);
  const table = await silverCounts(runtime, delivery.dataset);
  expect(table.rows).toBe(table.keys);
}

/** The alerts published so far, as SNS would have delivered them. */
export function alerts(runtime: LocalPipelineRuntime): { subject?: string; message: unknown }[] {
  let text: string;
  try {
    text = readFileSync(runtime.paths.alertsLog, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { subject?: string; message: unknown });
}

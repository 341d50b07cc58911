import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContractFile } from '../../lib/contracts/load.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { jsonValue } from '../../lib/validation/json-value.ts';
import type { JsonValue, RuleResult } from '../../lib/validation/report.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

/** Every sample README says: validate with this ingest time. */
const ingestTime = new Date('2026-11-21T06:00:00Z');

const outRoot = mkdtempSync(join(tmpdir(), 'validate-file-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));
let outCount = 0;
const freshOutDir = () => join(outRoot, `out-${(outCount += 1)}`);

function dataset(domain: string, name: string): Dataset {
  const found = loadContractFile(`contracts/${domain}/${name}.yaml`).datasets.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no dataset ${name}`);
  return found;
}

const sample = (domain: string, file: string) => `contracts/${domain}/samples/${file}`;

async function parquetRows(file: string): Promise<Record<string, JsonValue>[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}') ORDER BY _row`);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, jsonValue(value)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `rule id -> failing rows` of the failed rules, as the sample READMEs list them. */
function failures(rules: readonly RuleResult[]): Record<string, number[]> {
  return Object.fromEntries(rules.filter((rule) => !rule.passed).map((rule) => [rule.id, rule.samples.map((sampled) => sampled.row)]));
}

describe('the clean samples pass every rule', () => {
  it.each([
    ['sales', 'orders', 'orders.csv', 36],
    ['sales', 'customers', 'customers.csv', 30],
    ['sales', 'order_items', 'order_items.csv', 59],
    ['marketing', 'campaigns', 'campaigns.csv', 20],
    ['marketing', 'web_events', 'web_events.jsonl', 50],
  ])('%s/%s: %s', async (domain, name, file, rows) => {
    const outDir = freshOutDir();
    const { report, outputs } = await validateFile({ dataset: dataset(domain, name), file: sample(domain, file), ingestTime, outDir, fileId: 'f1' });
    expect(report.rules.filter((rule) => !rule.passed)).toEqual([]);
    expect(report).toMatchObject({ passed: true, rowCount: rows, rowsPassed: rows, rowsQuarantined: 0 });
    expect(outputs).toEqual({ validated: join(outDir, 'validated.parquet') });
    const validated = await parquetRows(outputs.validated!);
    expect(validated).toHaveLength(rows);
    expect(validated[0]).toMatchObject({ file_id: 'f1', _row: 1 });
  });
});

describe('sales/orders.broken.csv (quarantine-rows)', () => {
  it('breaks exactly the rules its README lists, on exactly those rows', async () => {
    const { report } = await validateFile({ dataset: dataset('sales', 'orders'), file: sample('sales', 'orders.broken.csv'), ingestTime });
    expect(failures(report.rules)).toEqual({
      'order_id.unique': [3, 8],
      'order_id.pattern': [5],
      'customer_id.required': [11],
      'customer_email.pattern': [14],
      'customer_email.format': [14],
      'amount.exclusiveMinimum': [17],
      'amount.maximum': [20],
      'amount.type': [23],
      currency_known: [26],
      'quantity.type': [29],
      'quantity.minimum': [32],
      channel_present: [35],
      'sales_channel.minLength': [38],
      no_double_submit: [41, 42],
      'payment_id.unique': [43, 45],
      email_mostly_present: [6, 13, 24, 31, 44],
    });
    expect(report.rules.find((rule) => rule.id === 'email_mostly_present')).toMatchObject({ severity: 'warning', failedCount: 5 });
    expect(report.rules.find((rule) => rule.id === 'customer_email.pattern')?.samples).toEqual([{ row: 14, value: '***' }]);
    expect(report).toMatchObject({ passed: false, rowCount: 45, rowsPassed: 28, rowsQuarantined: 17 });
  });

  it('writes the 28 good rows typed and the 17 bad rows as delivered, with their violations', async () => {
    const outDir = freshOutDir();
    const { report, outputs } = await validateFile({
      dataset: dataset('sales', 'orders'),
      file: sample('sales', 'orders.broken.csv'),
      ingestTime,
      outDir,
      fileId: 'abc',
    });
    expect(report).toMatchObject({ rowCount: 45, rowsPassed: 28, rowsQuarantined: 17 });
    expect(outputs).toEqual({ validated: join(outDir, 'validated.parquet'), quarantinedRows: join(outDir, 'quarantine.parquet') });
    const validated = await parquetRows(outputs.validated!);
    expect(validated).toHaveLength(28);
    expect(Object.keys(validated[0]!)).toEqual([...dataset('sales', 'orders').columns.map((column) => column.name), 'file_id', '_row']);
    expect(validated.map((row) => row['_row'])).not.toContain(3);
    expect(typeof validated[0]!['amount']).toBe('number');
    expect(validated[0]!['order_ts']).toMatch(/^2026-11-2\dT\d\d:\d\d:\d\d\.000Z$/);
    const quarantined = await parquetRows(outputs.quarantinedRows!);
    expect(quarantined.map((row) => row['_row'])).toEqual([3, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 42, 43, 45]);
    expect(quarantined.find((row) => row['_row'] === 23)).toMatchObject({ amount: '1.299,00', _violations: ['amount.type'], file_id: 'abc' });
  });
});

describe('a failed error rule that no single row breaks (quarantine-rows)', () => {
  it('passes every row on and leaves no empty quarantine file', async () => {
    const atLeastOneNull = loadDataset({
      properties: [column('id'), column('note', { quality: [{ id: 'some_notes_missing', metric: 'nullValues', mustBeGreaterThan: 0 }] })],
      customProperties: [{ property: 'onViolation', value: 'quarantine-rows' }],
    });
    const file = join(outRoot, 'items.csv');
    writeFileSync(file, 'id,note\na,x\nb,y\n');
    const outDir = freshOutDir();
    const { report, outputs } = await validateFile({ dataset: atLeastOneNull, file, ingestTime, outDir, fileId: 'f' });
    expect(report.rules.find((rule) => rule.id === 'some_notes_missing')).toMatchObject({ passed: false, failedCount: 0 });
    expect(report).toMatchObject({ passed: false, rowCount: 2, rowsPassed: 2, rowsQuarantined: 0 });
    expect(outputs).toEqual({ validated: join(outDir, 'validated.parquet') });
    expect(readdirSync(outDir)).toEqual(['validated.parquet']);
    expect((await parquetRows(outputs.validated!)).map((row) => row['id'])).toEqual(['a', 'b']);
  });
});

describe('the broken samples quarantined whole (quarantine-file)', () => {
  it.each([
    ['sales', 'customers', 'customers.broken.csv', 25, {
      'customer_id.unique': [2, 4],
      'email.required': [6],
      'email.pattern': [9],
      'email.format': [9],
      'email.unique': [11, 12],
      'country_code.pattern': [15],
      'signup_date.type': [18],
      'signup_date.minimum': [20],
      'marketing_opt_in.type': [22],
      tier_known: [24],
      'full_name.required': [25],
    }],
    ['sales', 'order_items', 'order_items.broken.csv', 30, {
      unique: [3, 4],
      'order_id.required': [7],
      'line_no.minimum': [10],
      'sku.pattern': [13],
      'product_name.maxLength': [16],
      'quantity.type': [19],
      'quantity.minimum': [22],
      'unit_price.exclusiveMinimum': [25],
      'unit_price.maximum': [28],
    }],
    ['marketing', 'campaigns', 'campaigns.broken.csv', 20, {
      'campaign_id.unique': [2, 4],
      'campaign_id.required': [8],
      'start_date.type': [12],
      'budget.type': [16],
    }],
    ['marketing', 'web_events', 'web_events.broken.jsonl', 30, {
      'event_id.required': [3],
      'event_id.unique': [5, 6],
      'event_ts.type': [9],
      event_type_known: [12],
      'session_id.minLength': [15],
      'customer_id.pattern': [18],
      'ip_address.pattern': [21],
      'ip_address.format': [21],
      'duration_ms.minimum': [24],
      'duration_ms.maximum': [27],
      'duration_ms.type': [30],
      freshness: [],
    }],
  ])('%s/%s: %s', async (domain, name, file, rows, expected) => {
    const outDir = freshOutDir();
    const { report, outputs } = await validateFile({ dataset: dataset(domain, name), file: sample(domain, file), ingestTime, outDir });
    expect(failures(report.rules)).toEqual(expected);
    expect(report).toMatchObject({ passed: false, rowCount: rows, rowsPassed: 0, rowsQuarantined: rows });
    expect(outputs).toEqual({ quarantinedFile: join(outDir, 'quarantine', file) });
    expect(readFileSync(outputs.quarantinedFile!)).toEqual(readFileSync(sample(domain, file)));
  });

  it('measures the web events freshness lag from the ingest time', async () => {
    const { report } = await validateFile({ dataset: dataset('marketing', 'web_events'), file: sample('marketing', 'web_events.broken.jsonl'), ingestTime });
    expect(report.rules.find((rule) => rule.id === 'freshness')).toMatchObject({
      passed: false,
      observed: 2 * 86400 + 17 * 3600 + 55 * 60 + 3,
      threshold: { operator: 'mustBeLessOrEqualTo', value: 86400, unit: 'seconds' },
    });
  });
});

describe('files that cannot be validated', () => {
  it('reports an unreadable file with a failed readable rule and quarantines it as delivered', async () => {
    const file = join(outRoot, 'orders-bad.csv');
    const header = readFileSync(sample('sales', 'orders.csv'), 'utf8').split('\n')[0];
    writeFileSync(file, `${header}\n"ORD-1,unclosed quote\n`);
    const outDir = freshOutDir();
    const { report, outputs } = await validateFile({ dataset: dataset('sales', 'orders'), file, displayName: 's3://landing/sales/orders/x.csv', ingestTime, outDir });
    expect(report).toMatchObject({ file: 's3://landing/sales/orders/x.csv', passed: false, rowCount: 0, rowsPassed: 0, rowsQuarantined: 0 });
    expect(report.rules).toHaveLength(1);
    expect(report.rules[0]).toMatchObject({ id: 'readable', kind: 'readable', column: null, severity: 'error', passed: false, threshold: null, samples: [] });
    expect(report.rules[0]!.message).toMatch(/line 2/);
    expect(outputs).toEqual({ quarantinedFile: join(outDir, 'quarantine', 'orders-bad.csv') });
  });

  it('reports a file whose columns are not the contract’s with a failed schema rule', async () => {
    const file = join(outRoot, 'orders-columns.csv');
    writeFileSync(file, 'order_id,something_else\nORD-00000001,x\n');
    const { report } = await validateFile({ dataset: dataset('sales', 'orders'), file, ingestTime });
    expect(report.rules.map((rule) => [rule.id, rule.kind, rule.passed])).toEqual([['schema', 'schema', false]]);
    expect(report.rules[0]!.message).toMatch(/\S/);
  });

  it('reports a missing file as unreadable and writes nothing', async () => {
    const outDir = freshOutDir();
    const { report, outputs } = await validateFile({ dataset: dataset('sales', 'orders'), file: join(outRoot, 'nope.csv'), ingestTime, outDir });
    expect(report.rules[0]).toMatchObject({ kind: 'readable', passed: false });
    expect(outputs).toEqual({});
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createValidateHandler } from '../../lambdas/validate/handler.ts';
import { loadContractFile } from '../../lib/contracts/load.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { deliveryFileId, sourceIdOf } from '../../lib/ingest/delivery-file-id.ts';
import type { ValidationOutcome } from '../../lib/ingest/process-landed-file.ts';
import { validatorEnvironmentVariables } from '../../lib/ingest/validator-settings.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, type LocalS3, startLocalS3 } from './helpers/local-s3.ts';
import {
  BUCKETS,
  emfDocuments,
  objectBytes,
  objectTags,
  outputObjects,
  parquetRows,
  putObject,
  SAMPLE_EVENT_TIME,
} from './helpers/zones.ts';

const execFileAsync = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');

function dataset(domain: string, name: string): Dataset {
  const found = loadContractFile(`contracts/${domain}/${name}.yaml`).datasets.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no dataset ${domain}/${name}`);
  return found;
}

const orders = dataset('sales', 'orders');
const customers = dataset('sales', 'customers');
const webEvents = dataset('marketing', 'web_events');

const sample = (domain: string, file: string) => readFile(join(repoRoot, 'contracts', domain, 'samples', file));

let local: LocalS3;
let scratch: string;

beforeAll(async () => {
  local = await startLocalS3(Object.values(BUCKETS));
  scratch = await mkdtemp(join(tmpdir(), 'validator-test-'));
});

afterAll(async () => {
  await local.close();
  await rm(scratch, { recursive: true, force: true });
});

interface Invocation {
  readonly outcome: ValidationOutcome;
  /** What the handler wrote to stdout: JSON log lines and EMF metric documents. */
  readonly stdout: string;
  /** What it wrote to stderr: the logger's warnings and errors. */
  readonly stderr: string;
  /** `bucket/key` of every output object the invocation added. */
  readonly added: string[];
}

async function invoke(target: Dataset, event: unknown): Promise<Invocation> {
  const before = await outputObjects(local.client);
  const written: string[] = [];
  const capture = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const errors: string[] = [];
  const captureErrors = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  });
  try {
    const handler = createValidateHandler({ dataset: target, s3: local.client, buckets: BUCKETS, environment: 'test', scratchDirectory: scratch });
    const outcome = await handler(event);
    const after = await outputObjects(local.client);
    return { outcome, stdout: written.join(''), stderr: errors.join(''), added: after.filter((key) => !before.includes(key)) };
  } finally {
    capture.mockRestore();
    captureErrors.mockRestore();
  }
}

async function land(key: string, body: Buffer): Promise<string> {
  await putObject(local.client, BUCKETS.landing, key, body);
  const head = await local.client.send(new HeadObjectCommand({ Bucket: BUCKETS.landing, Key: key }));
  return deliveryFileId({ bucket: BUCKETS.landing, key, etag: head.ETag! });
}

async function report(key: string, bucket = BUCKETS.audit): Promise<ValidationReport> {
  return JSON.parse((await objectBytes(local.client, bucket, key)).toString('utf8')) as ValidationReport;
}

async function expectTagged(keys: readonly string[], retentionClass: string): Promise<void> {
  for (const path of keys) {
    const [bucket, ...key] = path.split('/');
    expect(await objectTags(local.client, bucket!, key.join('/')), path).toEqual({ 'lakehouse:retention': retentionClass });
  }
}

/** The landed file keeps its bytes and gets its contract's retention class, so it expires like its outputs. */
async function expectOriginalKept(key: string, delivered: Buffer, retentionClass: string): Promise<void> {
  expect((await objectBytes(local.client, BUCKETS.landing, key)).equals(delivered)).toBe(true);
  expect(await objectTags(local.client, BUCKETS.landing, key)).toEqual({ 'lakehouse:retention': retentionClass });
}

describe('sales/orders, clean CSV', () => {
  const key = 'sales/orders/2026/11/21/orders.csv';
  let delivered: Buffer;
  let fileId: string;
  let first: Invocation;

  beforeAll(async () => {
    delivered = await sample('sales', 'orders.csv');
    fileId = await land(key, delivered);
    first = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
  });

  it('returns the outcome the state machine branches on', () => {
    expect(first.outcome).toEqual({
      passed: true,
      fileId,
      sourceId: sourceIdOf({ bucket: BUCKETS.landing, key }),
      ingestDate: '2026-11-21',
      ingestedAt: '2026-11-21 06:00:00.000',
      rowCount: 36,
      rowsPassed: 36,
      rowsQuarantined: 0,
      reportKey: `reports/sales/orders/2026/11/21/orders.csv-${fileId}.json`,
      validatedKey: `sales/orders/ingest_date=2026-11-21/${fileId}.parquet`,
      failedRules: [],
    });
  });

  it('writes the report and the validated Parquet, nothing to quarantine, every object tagged 7y', async () => {
    expect(first.added).toEqual([`audit/${first.outcome.reportKey}`, `validated/${first.outcome.validatedKey!}`]);
    const written = await report(first.outcome.reportKey);
    expect(written).toMatchObject({ dataset: 'sales/orders', file: `s3://landing/${key}`, passed: true, rowCount: 36 });
    expect(written.rowCount).toBe(written.rowsPassed + written.rowsQuarantined);
    await expectTagged(first.added, '7y');
  });

  it('writes typed rows carrying file_id and their 1-based _row', async () => {
    const rows = await parquetRows(local.client, BUCKETS.validated, first.outcome.validatedKey!);
    expect(rows).toHaveLength(36);
    expect(rows.map((row) => row['_row'])).toEqual(Array.from({ length: 36 }, (_, index) => index + 1));
    expect(new Set(rows.map((row) => row['file_id']))).toEqual(new Set([fileId]));
    expect(typeof rows[0]!['amount']).toBe('number');
  });

  it("leaves the landed original byte-identical, tagged with its contract's retention class", async () => {
    await expectOriginalKept(key, delivered, '7y');
  });

  it('emits the file metrics with Environment, Domain and Dataset, freshness included', () => {
    const [metrics] = emfDocuments(first.stdout);
    expect(metrics!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'ContractLakehouse',
        Dimensions: [['Environment', 'Domain', 'Dataset']],
        Metrics: [
          { Name: 'FilesValidated', Unit: 'Count' },
          { Name: 'FilesFailed', Unit: 'Count' },
          { Name: 'RowsValidated', Unit: 'Count' },
          { Name: 'RowsQuarantined', Unit: 'Count' },
          { Name: 'ValidationMs', Unit: 'Milliseconds' },
          { Name: 'FreshnessLagSeconds', Unit: 'Seconds' },
        ],
      },
    ]);
    expect(metrics).toMatchObject({ Environment: 'test', Domain: 'sales', Dataset: 'orders', FilesValidated: 1, FilesFailed: 0, RowsValidated: 36, RowsQuarantined: 0 });
    expect(metrics!['FreshnessLagSeconds']).toBeGreaterThan(0);
  });

  it('emits RuleFailedRows for a passing rule that still has failing rows (a "mostly" rule), and for no other', () => {
    const [, ...rules] = emfDocuments(first.stdout);
    const failing = rules.filter((document) => 'RuleFailedRows' in document);
    expect(failing).toHaveLength(1);
    expect(failing[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Environment', 'Domain', 'Dataset', 'Rule']]);
    expect(failing[0]!._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({ Name: 'RuleFailedRows', Unit: 'Count' });
    expect(failing[0]).toMatchObject({ Environment: 'test', Domain: 'sales', Dataset: 'orders', Rule: 'email_mostly_present', RuleFailedRows: 2 });
    // The other per-rule lines are the trends of missing-value and class-balance rules, nothing else.
    expect(rules.filter((document) => !('RuleFailedRows' in document)).every((document) => 'RuleObservedValue' in document)).toBe(true);
  });

  it('logs structured JSON lines naming the file and the outcome', () => {
    const logs = first.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => 'level' in line);
    expect(logs.map((line) => [line['level'], line['message']])).toEqual([
      ['INFO', 'validating landed file'],
      ['INFO', 'file passed its contract'],
    ]);
    expect(logs[1]).toMatchObject({ dataset: 'sales/orders', environment: 'test', fileId, rowsPassed: 36 });
  });

  it('writes a replay of the same delivery to the same keys, adding nothing', async () => {
    const replay = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    expect(replay.outcome).toEqual(first.outcome);
    expect(replay.added).toEqual([]);
    await expectTagged([`audit/${first.outcome.reportKey}`, `validated/${first.outcome.validatedKey!}`], '7y');
    expect(await parquetRows(local.client, BUCKETS.validated, first.outcome.validatedKey!)).toHaveLength(36);
  });
});

describe('sales/orders, broken CSV (quarantine-rows)', () => {
  const key = 'sales/orders/orders.broken.csv';
  let delivered: Buffer;
  let fileId: string;
  let result: Invocation;

  beforeAll(async () => {
    delivered = await sample('sales', 'orders.broken.csv');
    fileId = await land(key, delivered);
    result = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
  });

  it('passes the good rows on and reports every failed rule, warnings included', () => {
    expect(result.outcome).toMatchObject({ passed: false, rowCount: 45, rowsPassed: 28, rowsQuarantined: 17 });
    expect(result.outcome.validatedKey).toBe(`sales/orders/ingest_date=2026-11-21/${fileId}.parquet`);
    expect(result.outcome.failedRules).toHaveLength(16);
    expect(result.outcome.failedRules).toEqual(
      expect.arrayContaining([
        { id: 'order_id.unique', kind: 'unique', column: 'order_id', failedCount: 2 },
        { id: 'no_double_submit', kind: 'duplicateValues', column: null, failedCount: 2 },
        { id: 'email_mostly_present', kind: 'nullValues', column: 'customer_email', failedCount: 5 },
      ]),
    );
  });

  it('writes the 28 good rows to validated and the 17 bad ones, with their violations, to quarantine', async () => {
    const prefix = `sales/orders/2026/11/21/${fileId}/`;
    expect(result.added).toEqual([
      `audit/${result.outcome.reportKey}`,
      `quarantine/${prefix}report.json`,
      `quarantine/${prefix}rows.parquet`,
      `validated/${result.outcome.validatedKey!}`,
    ]);
    expect(await parquetRows(local.client, BUCKETS.validated, result.outcome.validatedKey!)).toHaveLength(28);
    const quarantined = await parquetRows(local.client, BUCKETS.quarantine, `${prefix}rows.parquet`);
    expect(quarantined.map((row) => row['_row'])).toEqual([3, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 42, 43, 45]);
    expect(quarantined.find((row) => row['_row'] === 23)).toMatchObject({ amount: '1.299,00', _violations: ['amount.type'], file_id: fileId });
    expect(await report(`${prefix}report.json`, BUCKETS.quarantine)).toEqual(await report(result.outcome.reportKey));
    await expectTagged(result.added, '7y');
  });

  it('keeps rows in = rows passed + rows quarantined in the report', async () => {
    const written = await report(result.outcome.reportKey);
    expect(written).toMatchObject({ rowCount: 45, rowsPassed: 28, rowsQuarantined: 17 });
  });

  it('emits FilesFailed and one RuleFailedRows per failed rule with the Rule dimension', () => {
    const [file, ...perRule] = emfDocuments(result.stdout);
    const rules = perRule.filter((document) => 'RuleFailedRows' in document);
    expect(file).toMatchObject({ FilesValidated: 1, FilesFailed: 1, RowsValidated: 45, RowsQuarantined: 17 });
    expect(rules.map((document) => document._aws.CloudWatchMetrics[0]!.Dimensions)).toEqual(
      result.outcome.failedRules.map(() => [['Environment', 'Domain', 'Dataset', 'Rule']]),
    );
    expect(Object.fromEntries(rules.map((document) => [document['Rule'], document['RuleFailedRows']]))).toEqual(
      Object.fromEntries(result.outcome.failedRules.map((rule) => [rule.id, rule.failedCount])),
    );
  });

  it("leaves the landed original byte-identical, tagged with its contract's retention class", async () => {
    await expectOriginalKept(key, delivered, '7y');
  });
});

describe('sales/customers, broken CSV (quarantine-file)', () => {
  const key = 'sales/customers/customers.broken.csv';
  let delivered: Buffer;
  let fileId: string;
  let result: Invocation;

  beforeAll(async () => {
    delivered = await sample('sales', 'customers.broken.csv');
    fileId = await land(key, delivered);
    result = await invoke(customers, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
  });

  it('quarantines every row and loads none', () => {
    expect(result.outcome).toMatchObject({ passed: false, rowCount: 25, rowsPassed: 0, rowsQuarantined: 25, validatedKey: null });
    expect(result.outcome.failedRules.map((rule) => rule.id)).toContain('email.pattern');
  });

  it('copies the delivered file, byte for byte, next to the report, tagged with the class of no retention', async () => {
    const prefix = `sales/customers/2026/11/21/${fileId}/`;
    expect(result.added).toEqual([
      `audit/reports/sales/customers/2026/11/21/customers.broken.csv-${fileId}.json`,
      `quarantine/${prefix}delivered/customers.broken.csv`,
      `quarantine/${prefix}report.json`,
    ]);
    expect((await objectBytes(local.client, BUCKETS.quarantine, `${prefix}delivered/customers.broken.csv`)).equals(delivered)).toBe(true);
    await expectTagged(result.added, 'none');
  });

  it('leaves the landed original byte-identical, tagged with the class of no retention', async () => {
    await expectOriginalKept(key, delivered, 'none');
  });
});

describe('marketing/web_events, clean JSON Lines', () => {
  it('validates, loads all 50 rows and tags them with the 90-day class', async () => {
    const key = 'marketing/web_events/web_events.jsonl';
    const fileId = await land(key, await sample('marketing', 'web_events.jsonl'));
    const { outcome, added, stdout } = await invoke(webEvents, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    expect(outcome).toMatchObject({ passed: true, fileId, rowCount: 50, rowsPassed: 50, failedRules: [] });
    expect(outcome.validatedKey).toBe(`marketing/web_events/ingest_date=2026-11-21/${fileId}.parquet`);
    expect(await parquetRows(local.client, BUCKETS.validated, outcome.validatedKey!)).toHaveLength(50);
    await expectTagged(added, '90d');
    expect(emfDocuments(stdout)[0]).toMatchObject({ Domain: 'marketing', Dataset: 'web_events', RowsValidated: 50 });
  });
});

describe("the landed file's retention tag", () => {
  function warnings(stderr: string): Record<string, unknown>[] {
    return stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['level'] === 'WARN');
  }

  it("keeps the producer's own tags and overrides a retention class the producer chose", async () => {
    const key = 'sales/orders/producer-tagged/orders.csv';
    await local.client.send(
      new PutObjectCommand({ Bucket: BUCKETS.landing, Key: key, Body: await sample('sales', 'orders.csv'), Tagging: 'team=checkout&lakehouse%3Aretention=30d' }),
    );
    const { outcome, stderr } = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    expect(outcome.passed).toBe(true);
    expect(await objectTags(local.client, BUCKETS.landing, key)).toEqual({ team: 'checkout', 'lakehouse:retention': '7y' });
    expect(warnings(stderr)).toEqual([]);
  });

  it('keeps the file, untagged and so never expiring, and warns when the tag cannot be written; the validation stands', async () => {
    const key = 'sales/orders/tagging-denied/orders.csv';
    const delivered = await sample('sales', 'orders.csv');
    await land(key, delivered);
    const denyTagging = 'deny-put-object-tagging';
    local.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectTaggingCommand') throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
        return next(args);
      },
      { step: 'initialize', name: denyTagging },
    );
    let result: Invocation;
    try {
      result = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    } finally {
      local.client.middlewareStack.remove(denyTagging);
    }
    expect(result.outcome).toMatchObject({ passed: true, rowCount: 36, rowsPassed: 36 });
    expect(result.added).toEqual([`audit/${result.outcome.reportKey}`, `validated/${result.outcome.validatedKey!}`]);
    expect((await objectBytes(local.client, BUCKETS.landing, key)).equals(delivered)).toBe(true);
    expect(await objectTags(local.client, BUCKETS.landing, key)).toEqual({});
    expect(warnings(result.stderr)).toEqual([
      expect.objectContaining({
        message: 'landed file not tagged with its retention class: it is kept until deleted by hand',
        bucket: BUCKETS.landing,
        key,
        reason: 'AccessDenied: Access Denied',
      }),
    ]);
  });

  it("keeps a file whose producer used all of S3's 10 tags untagged by us, and says why", async () => {
    const key = 'sales/orders/ten-tags/orders.csv';
    const producerTags = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`tag${index}`, 'x']));
    await local.client.send(
      new PutObjectCommand({ Bucket: BUCKETS.landing, Key: key, Body: await sample('sales', 'orders.csv'), Tagging: new URLSearchParams(producerTags).toString() }),
    );
    const { outcome, stderr } = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    expect(outcome.passed).toBe(true);
    expect(await objectTags(local.client, BUCKETS.landing, key)).toEqual(producerTags);
    expect(warnings(stderr)).toEqual([
      expect.objectContaining({ reason: `Error: s3://landing/${key} carries 10 tags of its producer, S3's maximum, so its retention tag does not fit` }),
    ]);
  });
});

describe('identifying the delivery', () => {
  it('falls back to HeadObject: the ETag names the file, LastModified dates it', async () => {
    // customers declares no freshness, so landing "now" instead of at the samples' time passes too.
    const key = 'sales/customers/no-event-time/customers.csv';
    const fileId = await land(key, await sample('sales', 'customers.csv'));
    const head = await local.client.send(new HeadObjectCommand({ Bucket: BUCKETS.landing, Key: key }));
    const { outcome } = await invoke(customers, { bucket: BUCKETS.landing, key });
    const ingestDate = head.LastModified!.toISOString().slice(0, 10);
    expect(outcome).toMatchObject({ passed: true, fileId, ingestDate, validatedKey: `sales/customers_v2/ingest_date=${ingestDate}/${fileId}.parquet` });
  });

  it('gives a re-delivery with other content another file id and other keys', async () => {
    const key = 'sales/orders/redelivered/orders.csv';
    await land(key, await sample('sales', 'orders.csv'));
    const first = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    await land(key, await sample('sales', 'orders.broken.csv'));
    const second = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    expect(second.outcome.fileId).not.toBe(first.outcome.fileId);
    expect(second.outcome.reportKey).not.toBe(first.outcome.reportKey);
    expect(second.added).toContain(`audit/${second.outcome.reportKey}`);
  });
});

describe('bad input', () => {
  it('quarantines a file it cannot read, with a readable failure and no validated output', async () => {
    const key = 'sales/orders/garbage.csv';
    const delivered = Buffer.from('\u00ff\u00fe\u0000o\u0000r\u0000d', 'latin1');
    const fileId = await land(key, delivered);
    const { outcome, added } = await invoke(orders, { bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME });
    expect(outcome).toMatchObject({ passed: false, rowCount: 0, rowsPassed: 0, rowsQuarantined: 0, validatedKey: null });
    expect(outcome.failedRules).toEqual([{ id: 'readable', kind: 'readable', column: null, failedCount: 0 }]);
    expect(added).toContain(`quarantine/sales/orders/2026/11/21/${fileId}/delivered/garbage.csv`);
    await expectTagged(added, '7y');
    await expectOriginalKept(key, delivered, '7y');
  });

  it.each([
    ['a key outside the landing prefix of its dataset', { bucket: 'landing', key: 'sales/customers/customers.csv' }, /not under 'sales\/orders\/'/],
    ['a key without a file name', { bucket: 'landing', key: 'sales/orders/2026/' }, /does not end in a file name/],
    ['a key whose file name would leave the scratch directory', { bucket: 'landing', key: 'sales/orders/..' }, /does not end in a file name/],
    ['another bucket than the landing bucket', { bucket: 'audit', key: 'sales/orders/orders.csv' }, /not in the landing bucket 'landing'/],
    ['no key', { bucket: 'landing' }, /'key' must be a non-empty string, got nothing/],
    ['an eventTime that is no time', { bucket: 'landing', key: 'sales/orders/orders.csv', eventTime: 'yesterday' }, /'eventTime' must be an ISO-8601 time/],
    ['a payload that is no object', 'sales/orders/orders.csv', /expects \{ bucket, key, versionId\?, eventTime\? \}/],
  ])('refuses %s, writing nothing', async (_case, event, message) => {
    const before = await outputObjects(local.client);
    await expect(invoke(orders, event)).rejects.toThrow(message);
    expect(await outputObjects(local.client)).toEqual(before);
  });

  it('fails, writing nothing, when the landed object does not exist', async () => {
    const before = await outputObjects(local.client);
    await expect(invoke(orders, { bucket: 'landing', key: 'sales/orders/missing.csv', eventTime: SAMPLE_EVENT_TIME })).rejects.toThrow();
    expect(await outputObjects(local.client)).toEqual(before);
  });
});

describe('lambdas/validate/index.ts, unchanged, in its own process', () => {
  it('reaches the local S3 server through the environment alone, with HOME unset as in Lambda', async () => {
    const key = 'marketing/web_events/from-index/web_events.jsonl';
    const fileId = await land(key, await sample('marketing', 'web_events.jsonl'));
    const taskRoot = await mkdtemp(join(tmpdir(), 'validator-task-root-'));
    await writeFile(join(taskRoot, 'dataset.json'), JSON.stringify(webEvents));
    const script = [
      "const { handler } = await import('./lambdas/validate/index.ts');",
      'const outcome = await handler(JSON.parse(process.env.TEST_EVENT));',
      "process.stdout.write(JSON.stringify({ outcome }) + '\\n');",
    ].join('\n');
    try {
      const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
        cwd: repoRoot,
        env: {
          PATH: process.env['PATH'],
          LAMBDA_TASK_ROOT: taskRoot,
          ...validatorEnvironmentVariables({ environment: 'test', buckets: BUCKETS }),
          AWS_ENDPOINT_URL_S3: local.endpoint,
          AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
          AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
          AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
          AWS_REGION: LOCAL_S3_REGION,
          TEST_EVENT: JSON.stringify({ bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME }),
        },
      });
      const lines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const { outcome } = lines.find((line) => 'outcome' in line) as { outcome: ValidationOutcome };
      expect(outcome).toMatchObject({ passed: true, fileId, rowCount: 50, rowsPassed: 50 });
      expect(emfDocuments(stdout)[0]).toMatchObject({ Environment: 'test', Domain: 'marketing', Dataset: 'web_events', FilesValidated: 1 });
      await expectTagged([`validated/${outcome.validatedKey!}`, `audit/${outcome.reportKey}`], '90d');
    } finally {
      await rm(taskRoot, { recursive: true, force: true });
    }
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkTree } from '../../lib/constructs/asset-cache.ts';
import { duckDbLayerAsset } from '../../lib/constructs/duckdb-layer-asset.ts';
import { stagedValidator } from '../../lib/constructs/lambda-code.ts';
import { loadContractFile } from '../../lib/contracts/load.ts';
import { deliveryFileId } from '../../lib/ingest/delivery-file-id.ts';
import type { ValidationOutcome } from '../../lib/ingest/process-landed-file.ts';
import { validatorEnvironmentVariables } from '../../lib/ingest/validator-settings.ts';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, type LocalS3, startLocalS3 } from './helpers/local-s3.ts';
import { BUCKETS, emfDocuments, objectTags, putObject, SAMPLE_EVENT_TIME } from './helpers/zones.ts';

const execFileAsync = promisify(execFile);
const orders = loadContractFile('contracts/sales/orders.yaml').datasets.find((dataset) => dataset.name === 'orders')!;

let local: LocalS3;
/** Stands for Lambda's file system, outside any node_modules: `var/task` (the function's code) and `opt` (its layers). */
let lambdaRoot: string;
let taskRoot: string;
let opt: string;

beforeAll(async () => {
  local = await startLocalS3(Object.values(BUCKETS));
  lambdaRoot = await mkdtemp(join(tmpdir(), 'lambda-root-'));
  taskRoot = join(lambdaRoot, 'var', 'task');
  opt = join(lambdaRoot, 'opt');
  linkTree(stagedValidator(orders).directory, taskRoot);
  linkTree(duckDbLayerAsset().directory, opt);
});

afterAll(async () => {
  await local.close();
  await rm(lambdaRoot, { recursive: true, force: true });
});

function lambdaEnvironment(taskRoot: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    LAMBDA_TASK_ROOT: taskRoot,
    ...validatorEnvironmentVariables({ environment: 'test', buckets: BUCKETS }),
    AWS_ENDPOINT_URL_S3: local.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    AWS_REGION: LOCAL_S3_REGION,
    ...extra,
  };
}

describe('the deployed artifact: the bundled validator with the DuckDB layer', () => {
  it('validates a landed file with nothing but the bundle, its dataset.json and the layer on NODE_PATH', async () => {
    const key = 'sales/orders/bundle/orders.csv';
    await putObject(local.client, BUCKETS.landing, key, await readFile('contracts/sales/samples/orders.csv'));
    const head = await local.client.send(new HeadObjectCommand({ Bucket: BUCKETS.landing, Key: key }));
    const script = [
      `require(${JSON.stringify(join(taskRoot, 'index.js'))}).handler(JSON.parse(process.env.TEST_EVENT))`,
      "  .then((outcome) => process.stdout.write(JSON.stringify({ outcome }) + '\\n'));",
    ].join('\n');
    const { stdout } = await execFileAsync(process.execPath, ['--eval', script], {
      cwd: lambdaRoot,
      env: lambdaEnvironment(taskRoot, {
        NODE_PATH: join(opt, 'nodejs', 'node_modules'),
        TEST_EVENT: JSON.stringify({ bucket: BUCKETS.landing, key, eventTime: SAMPLE_EVENT_TIME }),
      }),
    });
    const lines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const { outcome } = lines.find((line) => 'outcome' in line) as { outcome: ValidationOutcome };
    expect(outcome).toMatchObject({
      passed: true,
      fileId: deliveryFileId({ bucket: BUCKETS.landing, key, etag: head.ETag! }),
      rowCount: 36,
      rowsPassed: 36,
      validatedKey: expect.stringMatching(/^sales\/orders\/ingest_date=2026-11-21\//),
    });
    expect(await objectTags(local.client, BUCKETS.validated, outcome.validatedKey!)).toEqual({ 'lakehouse:retention': '7y' });
    expect(emfDocuments(stdout)[0]).toMatchObject({ Domain: 'sales', Dataset: 'orders', FilesValidated: 1 });
  });

  it('cannot load without the layer (so the run above found DuckDB in the layer, not in the project)', async () => {
    const script = `require(${JSON.stringify(join(taskRoot, 'index.js'))})`;
    await expect(execFileAsync(process.execPath, ['--eval', script], { cwd: lambdaRoot, env: lambdaEnvironment(taskRoot, {}) })).rejects.toThrow(
      /Cannot find module '@duckdb\/node-api'/,
    );
  });
});

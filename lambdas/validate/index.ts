/**
 * The validator Lambda's entry point, bundled next to `dataset.json` (its dataset's compiled
 * contract). Deliberately thin: a default S3 client, so the standard `AWS_ENDPOINT_URL_S3` and
 * checksum variables are all it takes to point the unchanged handler at a local S3 server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Dataset } from '../../lib/contracts/model.ts';
import { DATASET_FILE, readValidatorSettings } from '../../lib/ingest/validator-settings.ts';
import { createValidateHandler } from './handler.ts';

/** The only writable path in Lambda; DuckDB crashes without a home directory it can write. */
const LAMBDA_SCRATCH = '/tmp';

function bundleDirectory(): string {
  const root = process.env['LAMBDA_TASK_ROOT'];
  if (!root) throw new Error(`LAMBDA_TASK_ROOT is not set: it names the directory holding ${DATASET_FILE}`);
  return root;
}

const dataset = JSON.parse(readFileSync(join(bundleDirectory(), DATASET_FILE), 'utf8')) as Dataset;
const settings = readValidatorSettings(process.env);

export const handler = createValidateHandler({
  dataset,
  s3: new S3Client({}),
  buckets: settings.buckets,
  environment: settings.environment,
  scratchDirectory: LAMBDA_SCRATCH,
});

/**
 * SageMaker's `createTransformJob.sync` offline: a batch transform by the local model. As the job
 * does, it reads every object under the input prefix (gunzipped when `CompressionType` is Gzip),
 * one CSV record per line (`SplitType: Line`), applies the job's `DataProcessing`, has the model
 * named by `ModelName` (a `CreateModel` of this workspace) score the filtered fields, and writes
 * each input object's output records as `<S3OutputPath><object's name under the prefix>.out`, one
 * per line. It answers with `DescribeTransformJob`'s shape once the job Completed; a job that
 * cannot run (its model's artifact unreadable, a record it cannot score) fails the Task as a failed
 * job does, `States.TaskFailed` with the Failed description.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { csvFilter, type DataProcessing, processRecords } from '../ml/csv-data-processing.ts';
import { LocalModelError, readLocalModel, score, type LocalModel } from '../ml/local-model.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import type { LocalSageMakerModels } from './local-sagemaker-models.ts';
import { SAGEMAKER_VALIDATION } from './local-sagemaker-models.ts';
import { RequestReader } from './request-fields.ts';
import { parseS3Uri } from './s3-uri.ts';
import { listKeys } from './zone-objects.ts';

export interface TransformJobTaskOptions {
  readonly s3: S3Client;
  readonly models: LocalSageMakerModels;
  /** Where the model's artifact is copied to be read. */
  readonly scratch: string;
  readonly environment: { readonly account: string; readonly region: string };
  /** @default the system clock */
  readonly now?: () => Date;
}

async function objectBytes(s3: S3Client, uri: string): Promise<Uint8Array> {
  const location = parseS3Uri(uri);
  if (location === undefined) throw new Error(`'${uri}' is not an s3:// URI`);
  const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  return response.Body!.transformToByteArray();
}

/** The model's probabilities for records of its features in its order; an empty field is a missing value. */
function scorer(model: LocalModel, object: string): (inputs: readonly string[][]) => string[][] {
  return (inputs) => {
    const rows = inputs.map((fields, index) => {
      if (fields.length !== model.features.length) {
        throw new Error(`${object} record ${index + 1}: ${fields.length} features, the model reads ${model.features.length}`);
      }
      return Object.fromEntries(
        model.features.map((feature, position) => {
          const text = fields[position]!;
          const value = text === '' ? null : Number(text);
          if (value !== null && !Number.isFinite(value)) throw new Error(`${object} record ${index + 1}: feature '${feature.name}' is '${text}', not a number`);
          return [feature.name, value];
        }),
      );
    });
    return score(model, rows, (index) => `${object} record ${index + 1}`).map((probability) => [String(probability)]);
  };
}

export function transformJobTask(options: TransformJobTaskOptions): (request: JsonValue) => Promise<JsonObject> {
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const reader = new RequestReader(SAGEMAKER_VALIDATION, 'CreateTransformJob');
    const jobName = reader.string(request, 'TransformJobName');
    const modelName = reader.string(request, 'ModelName');
    const inputUri = reader.string(request, 'TransformInput.DataSource.S3DataSource.S3Uri');
    const outputUri = reader.string(request, 'TransformOutput.S3OutputPath');
    const compression = reader.optionalString(request, 'TransformInput.CompressionType') ?? 'None';
    const split = reader.optionalString(request, 'TransformInput.SplitType') ?? 'None';
    const processing = (reader.optionalObject(request, 'DataProcessing') ?? {}) as DataProcessing;
    if (split !== 'Line') throw reader.invalid(`SplitType '${split}': offline a transform reads CSV records line by line`);
    for (const filter of [processing.InputFilter, processing.OutputFilter]) {
      if (filter !== undefined) csvFilterChecked(reader, filter);
    }
    const model = options.models.model(modelName);
    if (model === undefined) throw reader.invalid(`Could not find model "${modelName}".`);
    const input = parseS3Uri(inputUri);
    const output = parseS3Uri(outputUri);
    if (input === undefined || output === undefined) throw reader.invalid(`S3Uri '${inputUri}' and S3OutputPath '${outputUri}' must be s3:// URIs`);
    const started = now();
    const described = (status: JsonObject): JsonObject => ({
      TransformJobName: jobName,
      TransformJobArn: `arn:aws:sagemaker:${options.environment.region}:${options.environment.account}:transform-job/${jobName.toLowerCase()}`,
      ModelName: modelName,
      TransformInput: reader.object(request, 'TransformInput'),
      TransformOutput: reader.object(request, 'TransformOutput'),
      ...(Object.keys(processing).length === 0 ? {} : { DataProcessing: { ...processing } }),
      CreationTime: started.toISOString(),
      TransformStartTime: started.toISOString(),
      TransformEndTime: now().toISOString(),
      ...status,
    });
    const scratch = mkdtempSync(join(options.scratch, 'transform-job-'));
    try {
      const artifact = join(scratch, 'model.json');
      writeFileSync(artifact, await objectBytes(options.s3, model.ModelDataUrl));
      const local = modelAt(artifact, model.ModelDataUrl);
      const keys = await listKeys(options.s3, input.bucket, input.key);
      for (const key of keys) {
        const bytes = await objectBytes(options.s3, `s3://${input.bucket}/${key}`);
        const text = Buffer.from(compression === 'Gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
        const records = text.split(/\r?\n/).filter((line) => line !== '').map((line) => line.split(','));
        const lines = records.length === 0 ? [] : processRecords(processing, records, scorer(local, `s3://${input.bucket}/${key}`));
        const name = `${output.key.replace(/\/?$/, '/')}${key.slice(input.key.length).replace(/^\//, '')}.out`;
        await options.s3.send(new PutObjectCommand({ Bucket: output.bucket, Key: name, Body: lines.map((fields) => `${fields.join(',')}\n`).join('') }));
      }
      return described({ TransformJobStatus: 'Completed' });
    } catch (error) {
      if (error instanceof TaskError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new TaskError('States.TaskFailed', JSON.stringify(described({ TransformJobStatus: 'Failed', FailureReason: reason })));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };
}

/** The local model in `file`, a copy of `uri`; a failure names the artifact as the job knows it, not the copy. */
function modelAt(file: string, uri: string): LocalModel {
  try {
    return readLocalModel(file);
  } catch (error) {
    if (!(error instanceof LocalModelError)) throw error;
    throw new Error(`the model artifact ${uri} cannot be read: ${error.message.replace(`${file}: `, '')}`);
  }
}

/** A filter the offline transform cannot apply is refused when the job is created, as SageMaker refuses an invalid one. */
function csvFilterChecked(reader: RequestReader, filter: string): void {
  try {
    csvFilter(filter);
  } catch (error) {
    throw reader.invalid((error as Error).message);
  }
}

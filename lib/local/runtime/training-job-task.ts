/**
 * SageMaker's `createTrainingJob.sync` offline: the local trainer (lib/local/ml) stands in for the
 * built-in XGBoost image. As the image does, it reads every Parquet object under the `train` and
 * `validation` channels' prefixes, the first column the label and the others the features, and
 * writes the model under `<S3OutputPath><job name>/output/`. It answers with what the `.sync`
 * integration returns, `DescribeTrainingJob`'s shape once the job Completed; a job that cannot
 * train fails the Task as a failed job does, `States.TaskFailed` with the Failed description.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from '../../sql/ansi.ts';
import type { HyperparameterValue } from '../ml/forest-hyperparameters.ts';
import { trainOnSplit } from '../ml/local-trainer.ts';
import type { Row } from '../ml/feature-encoding.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';
import { parseS3Uri } from './s3-uri.ts';
import { listKeys } from './zone-objects.ts';

export interface TrainingJobTaskOptions {
  readonly s3: S3Client;
  /** Reads the channels' Parquet; any connection allowed to read `scratch`. */
  readonly connection: DuckDBConnection;
  /** Where the channels' objects are copied to be read. */
  readonly scratch: string;
  /** @default the system clock */
  readonly now?: () => Date;
}

/** The model file inside the job's output folder; SageMaker's own is `model.tar.gz`. */
export const LOCAL_MODEL_ARTIFACT = 'model.json';

const CHANNELS = ['train', 'validation'] as const;

/** SageMaker hands every hyperparameter to the image as text; numbers are read back as numbers. */
function hyperparametersOf(values: JsonObject): Record<string, HyperparameterValue> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const text = String(value);
      return [name, text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text];
    }),
  );
}

async function channelRows(options: TrainingJobTaskOptions, uri: string, folder: string): Promise<{ columns: string[]; rows: Row[] }> {
  const location = parseS3Uri(uri);
  if (location === undefined) throw new Error(`channel S3Uri '${uri}' is not an s3:// URI`);
  const keys = await listKeys(options.s3, location.bucket, location.key);
  if (keys.length === 0) throw new Error(`no training data under ${uri}`);
  mkdirSync(folder, { recursive: true });
  const files = await Promise.all(
    keys.map(async (key, index) => {
      const response = await options.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
      const file = join(folder, `${index}.parquet`);
      writeFileSync(file, await response.Body!.transformToByteArray());
      return file;
    }),
  );
  const reader = await options.connection.runAndReadAll(`SELECT * FROM read_parquet([${files.map(quoteString).join(', ')}])`);
  const columns = reader.columnNames();
  return { columns, rows: reader.getRows().map((row) => Object.fromEntries(columns.map((name, index) => [name, row[index] ?? null]))) };
}

export function trainingJobTask(options: TrainingJobTaskOptions): (request: JsonValue) => Promise<JsonObject> {
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const reader = new RequestReader('SageMaker.ValidationException', 'CreateTrainingJob');
    const jobName = reader.string(request, 'TrainingJobName');
    const output = reader.string(request, 'OutputDataConfig.S3OutputPath');
    const channels = new Map(
      reader.array(request, 'InputDataConfig').map((channel) => [reader.string(channel, 'ChannelName'), reader.string(channel, 'DataSource.S3DataSource.S3Uri')]),
    );
    const hyperparameters = hyperparametersOf(reader.optionalObject(request, 'HyperParameters') ?? {});
    const started = now();
    const described = (status: JsonObject): JsonObject => ({
      TrainingJobName: jobName,
      TrainingStartTime: started.toISOString(),
      TrainingEndTime: now().toISOString(),
      HyperParameters: (reader.optionalObject(request, 'HyperParameters') ?? {}) as JsonObject,
      ...status,
    });
    const scratch = mkdtempSync(join(options.scratch, 'training-job-'));
    try {
      // One channel after the other, in CHANNELS order: a job missing both reports the train
      // channel every time (read concurrently, whichever failed first won), and the channels
      // never share the DuckDB connection at once.
      const read: { columns: string[]; rows: Row[] }[] = [];
      for (const channel of CHANNELS) {
        const uri = channels.get(channel);
        if (uri === undefined) throw reader.invalid(`InputDataConfig has no '${channel}' channel`);
        read.push(await channelRows(options, uri, join(scratch, channel)));
      }
      const [train, validation] = read;
      const [label, ...features] = train!.columns;
      if (label === undefined || features.length === 0) throw new Error('the train channel needs a label column and at least one feature column');
      const result = trainOnSplit({
        training: train!.rows,
        validation: validation!.rows,
        label,
        features: features.map((name) => ({ name, kind: 'numeric' as const })),
        hyperparameters,
      });
      const outputLocation = parseS3Uri(output);
      if (outputLocation === undefined) throw reader.invalid(`OutputDataConfig.S3OutputPath '${output}' is not an s3:// URI`);
      const key = `${outputLocation.key.replace(/\/?$/, '/')}${jobName}/output/${LOCAL_MODEL_ARTIFACT}`;
      await options.s3.send(
        new PutObjectCommand({ Bucket: outputLocation.bucket, Key: key, Body: JSON.stringify(result.model), ContentType: 'application/json' }),
      );
      const timestamp = now().toISOString();
      return described({
        TrainingJobStatus: 'Completed',
        SecondaryStatus: 'Completed',
        ModelArtifacts: { S3ModelArtifacts: `s3://${outputLocation.bucket}/${key}` },
        FinalMetricDataList: Object.entries(result.metrics).map(([MetricName, Value]) => ({ MetricName, Value, Timestamp: timestamp })),
      });
    } catch (error) {
      if (error instanceof TaskError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new TaskError('States.TaskFailed', JSON.stringify(described({ TrainingJobStatus: 'Failed', SecondaryStatus: 'Failed', FailureReason: reason })));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };
}

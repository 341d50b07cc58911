/**
 * The pipeline's Validate Task offline: the validator Lambda's own handler module, its S3 client
 * pointed at the local server, answering as the Lambda integration does. With `lambda:invoke`
 * the response is `{StatusCode, ExecutedVersion, Payload}` (the pipeline reads `$.Payload`); a
 * Task naming the function ARN itself gets the payload alone. A function error fails the Task
 * with the error's name and Lambda's `{errorType, errorMessage}` cause.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createValidateHandler } from '../../../lambdas/validate/handler.ts';
import type { Dataset } from '../../contracts/model.ts';
import type { ValidationOutcome, ZoneBuckets } from '../../ingest/process-landed-file.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { withStdoutTo } from './function-log.ts';
import { RequestReader } from './request-fields.ts';

export interface ValidatorTaskOptions {
  readonly dataset: Dataset;
  /** The dataset's validator function: a request naming another function fails as Lambda would. */
  readonly functionName: string;
  readonly s3: S3Client;
  readonly buckets: ZoneBuckets;
  readonly environment: string;
  readonly scratchDirectory: string;
  /** Where the function's stdout goes (its log lines and EMF metrics). */
  readonly logFile: string;
  /** Told every outcome the function returns. */
  readonly onOutcome?: (outcome: ValidationOutcome) => void;
}

export type ValidatorResponse = 'lambda-invoke' | 'payload';

function namesFunction(requested: string, functionName: string): boolean {
  return requested === functionName || requested.endsWith(`:function:${functionName}`);
}

export function validatorTask(options: ValidatorTaskOptions, response: ValidatorResponse): (request: JsonValue) => Promise<JsonValue> {
  const { dataset, environment } = options;
  const handler = createValidateHandler({
    dataset,
    s3: options.s3,
    buckets: options.buckets,
    environment,
    scratchDirectory: options.scratchDirectory,
  });
  const invoke = async (payload: JsonValue): Promise<ValidationOutcome> => {
    try {
      return await withStdoutTo(options.logFile, () => handler(payload));
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      throw new TaskError(name, JSON.stringify({ errorType: name, errorMessage: message }));
    }
  };
  return async (request) => {
    let payload = request;
    if (response === 'lambda-invoke') {
      const reader = new RequestReader('Lambda.ResourceNotFoundException', 'Invoke');
      const requested = reader.string(request, 'FunctionName');
      if (!namesFunction(requested, options.functionName)) throw reader.invalid(`Function not found: ${requested}`);
      payload = (request as { Payload?: JsonValue }).Payload ?? {};
    }
    const outcome = await invoke(payload);
    options.onOutcome?.(outcome);
    const result = JSON.parse(JSON.stringify(outcome)) as JsonValue;
    return response === 'lambda-invoke' ? { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: result } : result;
  };
}

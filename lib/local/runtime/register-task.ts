/**
 * The training machine's Register Task offline: the register function's own handler
 * (lambdas/register-model) with the workspace's local model registry in place of SageMaker's, and
 * the settings the synthesized function carries in its environment. Answers as the Lambda
 * integration does (`{StatusCode, ExecutedVersion, Payload}`); a function error fails the Task
 * with the error's name and Lambda's `{errorType, errorMessage}` cause.
 */
import { createRegisterHandler } from '../../../lambdas/register-model/handler.ts';
import type { RegisterSettings } from '../../ml/register-request.ts';
import type { ModelRegistry } from '../../ml/model-registry.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';

export interface RegisterTaskOptions {
  readonly registry: ModelRegistry;
  readonly settings: RegisterSettings;
  /** The model's register function: a request naming another function fails as Lambda would. */
  readonly functionName: string;
}

export function registerTask(options: RegisterTaskOptions): (request: JsonValue) => Promise<JsonValue> {
  const handler = createRegisterHandler(options.registry, options.settings);
  return async (request) => {
    const reader = new RequestReader('Lambda.ResourceNotFoundException', 'Invoke');
    const requested = reader.string(request, 'FunctionName');
    if (requested !== options.functionName && !requested.endsWith(`:function:${options.functionName}`)) throw reader.invalid(`Function not found: ${requested}`);
    try {
      const version = await handler((request as { Payload?: JsonValue }).Payload ?? {});
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { ...version } };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      throw new TaskError(name, JSON.stringify({ errorType: name, errorMessage: message }));
    }
  };
}

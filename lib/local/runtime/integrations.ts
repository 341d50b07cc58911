/**
 * Which local service stands in for a Task state, decided by the state's `Resource` as Step
 * Functions decides which API to call. Every Task of a definition gets its handler before the
 * execution starts; a Task whose integration has no local stand-in is an error naming it, never a
 * call to AWS.
 */
import { listStates, type AslDefinition, type DefinitionState } from '../stepfunctions/states.ts';
import type { TaskHandler, TaskHandlers } from '../stepfunctions/task-handlers.ts';

export const INTEGRATIONS = [
  'lambda:invoke',
  'lambda:function',
  'athena:startQueryExecution.sync',
  'athena:getQueryResults',
  'dynamodb:putItem',
  'dynamodb:getItem',
  'dynamodb:deleteItem',
  'sns:publish',
  'events:putEvents',
  'cloudwatch:putMetricData',
  'sfn:describeExecution',
  'sagemaker:createTrainingJob.sync',
  'sagemaker:describeModelPackage',
  'sagemaker:createModel',
  'sagemaker:createTransformJob.sync',
  'ssm:getParameter',
  'ssm:putParameter',
  's3:putObject',
] as const;

export type Integration = (typeof INTEGRATIONS)[number];

const SERVICE_INTEGRATION = /^arn:[^:]+:states:::(?:aws-sdk:)?([a-z0-9]+:[A-Za-z0-9.]+)$/;
const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+$/;

export function integrationOf(resource: string): Integration | undefined {
  if (FUNCTION_ARN.test(resource)) return 'lambda:function';
  const name = SERVICE_INTEGRATION.exec(resource)?.[1];
  return INTEGRATIONS.find((integration) => integration === name);
}

/** Builds the handler of one Task state; the state tells which step or function it stands for. */
export type IntegrationHandler = (state: DefinitionState) => TaskHandler;

export type LocalIntegrations = Partial<Record<Integration, IntegrationHandler>>;

export class UnsupportedTaskError extends Error {
  constructor(readonly states: readonly DefinitionState[]) {
    super(
      `no local stand-in for Task state${states.length === 1 ? '' : 's'} ` +
        `${states.map((state) => `'${state.name}' (${state.resource ?? 'no resource'})`).join(', ')}: ` +
        `offline the runtime supports ${INTEGRATIONS.join(', ')}`,
    );
    this.name = 'UnsupportedTaskError';
  }
}

/**
 * A handler for every Task of `definition`, nested ones included. `wrap` sees each one last
 * (tests use it to inject service errors into one state).
 */
export function taskHandlersFor(
  definition: AslDefinition,
  integrations: LocalIntegrations,
  wrap: (state: string, handler: TaskHandler) => TaskHandler = (_state, handler) => handler,
): TaskHandlers {
  const tasks = listStates(definition).filter((state) => state.type === 'Task');
  const unsupported = tasks.filter((state) => {
    const integration = state.resource === undefined ? undefined : integrationOf(state.resource);
    return integration === undefined || integrations[integration] === undefined;
  });
  if (unsupported.length > 0) throw new UnsupportedTaskError(unsupported);
  return Object.fromEntries(
    tasks.map((state) => [state.name, wrap(state.name, integrations[integrationOf(state.resource!)!]!(state))]),
  );
}

import { join } from 'node:path';
import type { Workspace } from '../workspace.ts';

/**
 * Where the offline runtime keeps what the cloud services would hold, under the workspace
 * (`.lake/`, git-ignored): one place, so the runtime, the CLI and the tests agree.
 */
export interface RuntimePaths extends Workspace {
  /** Items of the lock tables (the DynamoDB stand-in), one folder per table. */
  readonly locks: string;
  /** One record per execution, by state machine: what DescribeExecution answers from. */
  readonly executions: string;
  /** One JSON line per event put on EventBridge (`DatasetLoaded`); the domains' builds read it. */
  readonly eventsLog: string;
  /** One JSON line per PutMetricData call. */
  readonly metricsLog: string;
  /** What each Lambda function wrote to stdout, one file per function, as CloudWatch Logs would keep it. */
  readonly functionLogs: string;
  /** One file per SSM parameter (the Parameter Store stand-in). */
  readonly parameters: string;
  /** One file per SageMaker model created for batch inference. */
  readonly sageMakerModels: string;
}

export function runtimePaths(workspace: Workspace): RuntimePaths {
  return {
    ...workspace,
    locks: join(workspace.root, 'locks'),
    executions: join(workspace.root, 'executions'),
    eventsLog: join(workspace.root, 'events.log'),
    metricsLog: join(workspace.root, 'metrics.log'),
    functionLogs: join(workspace.root, 'logs'),
    parameters: join(workspace.root, 'ssm', 'parameters'),
    sageMakerModels: join(workspace.root, 'ml', 'models'),
  };
}

import type { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { RETAINED } from './retained.ts';

/** How a state machine's execution log group is kept. */
export interface ExecutionLogProps {
  /** The key of the execution log group (see `PipelineLogKey`); its policy must let CloudWatch Logs use it for that group. */
  readonly logKey: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RETAINED (kept, except when its first create rolls back) */
  readonly removalPolicy?: RemovalPolicy;
}

/** The encrypted log group `Logs` under `scope`, which receives every execution's full history. */
export function executionLogGroup(scope: Construct, logGroupName: string, props: ExecutionLogProps): logs.LogGroup {
  return new logs.LogGroup(scope, 'Logs', {
    logGroupName,
    encryptionKey: props.logKey,
    retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    removalPolicy: props.removalPolicy ?? RETAINED,
  });
}

/** A Standard state machine's props that log every event with its data to `logGroup` and trace with X-Ray. */
export function loggedAndTraced(logGroup: logs.ILogGroup): Pick<sfn.StateMachineProps, 'stateMachineType' | 'tracingEnabled' | 'logs'> {
  return {
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  };
}

/** What Step Functions calls with the role's credentials to deliver execution logs (vended log delivery). */
export const EXECUTION_LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/** What Step Functions calls with the role's credentials to send X-Ray traces. */
export const EXECUTION_TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'] as const;

/**
 * What a role written out in full needs for `loggedAndTraced`: the log delivery actions and X-Ray
 * support no resource-level permissions, so both are on `*`.
 */
export function executionTelemetryStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DeliverExecutionLogs',
      actions: [...EXECUTION_LOG_DELIVERY_ACTIONS],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'TraceExecutions',
      actions: [...EXECUTION_TRACING_ACTIONS],
      resources: ['*'],
    }),
  ];
}

/**
 * The grants around a SageMaker job of an ML model's machine, the same for its training jobs and
 * its transform jobs but for the kind's name: what SageMaker's own role needs besides the job's
 * data (the zone key, its volume, logs and metrics), and what the state machine needs to start the
 * job (the key it encrypts with, passing the role, following the job with `.sync`).
 */
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/** How SageMaker names the kind in log groups, metric namespaces and the `.sync` rule. */
export type SageMakerJobKind = 'Training' | 'Transform';

/** SageMaker's role running jobs of `kind`: the statements besides the job's data, and the log groups' ARN they grant. */
export function sageMakerJobRoleStatements(stack: Stack, key: kms.IKey, kind: SageMakerJobKind): { statements: iam.PolicyStatement[]; jobLogs: string } {
  const jobLogs = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/sagemaker/${kind}Jobs:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const statements = [
    new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: [key.keyArn] }),
    new iam.PolicyStatement({
      sid: `Encrypt${kind}Volume`,
      actions: ['kms:CreateGrant'],
      resources: [key.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: `Write${kind}Logs`,
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [jobLogs],
    }),
    new iam.PolicyStatement({
      sid: `Publish${kind}Metrics`,
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': `/aws/sagemaker/${kind}Jobs` } },
    }),
  ];
  return { statements, jobLogs };
}

/** The state machine's use of the zone key for jobs of `kind`: its data, and grants SageMaker takes for the job's volume. */
export function jobKeyStatements(key: kms.IKey, kind: SageMakerJobKind): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    new iam.PolicyStatement({
      sid: `Encrypt${kind}Volume`,
      actions: ['kms:CreateGrant', 'kms:DescribeKey'],
      resources: [key.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

/** Passing `role` to SageMaker only, under `sid`. */
export function passRoleToSageMaker(sid: string, role: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['iam:PassRole'],
    resources: [role.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  });
}

/** The EventBridge rule Step Functions manages to learn that a `.sync` job of `kind` ended. */
export function followJobsStatement(stack: Stack, kind: SageMakerJobKind): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `Follow${kind}Jobs`,
    actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: `StepFunctionsGetEventsForSageMaker${kind}JobsRule` })],
  });
}

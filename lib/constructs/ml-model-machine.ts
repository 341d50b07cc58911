/**
 * The Standard state machine of an ML model's training or promotion, set up alike: its own role,
 * trusted only by this machine and holding its whole grant inline (the tasks' generated statements
 * would be broader), alerting the domain's topic, and an encrypted execution log group with
 * tracing on. The constructs are made under the caller's scope with the ids it had before.
 */
import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { EnvironmentIdentity } from '../config/names.ts';
import type { MlModel } from '../ml/model.ts';
import { executionLogGroup, type ExecutionLogProps, executionTelemetryStatements, loggedAndTraced } from './execution-logs.ts';
import { stateMachineArns, stateMachinePrincipal } from './state-machine-arns.ts';

/** What an ML model's training and promotion both take from their domain and the platform. */
export interface MlModelDomainProps extends ExecutionLogProps {
  readonly identity: EnvironmentIdentity;
  readonly model: MlModel;
  /** The domain's pipeline workgroup every statement runs in. */
  readonly workGroupName: string;
  /** The environment's key: zone buckets, Athena results and SageMaker volumes and outputs are encrypted with it. */
  readonly key: kms.IKey;
  /** The domain's topic: a failed run alerts its owner there. */
  readonly alertTopic: sns.ITopic;
  readonly auditBucketName: string;
  readonly goldBucketName: string;
  readonly athenaResultsBucketName: string;
}

export interface MlModelMachineProps {
  readonly stateMachineName: string;
  readonly logGroupName: string;
  readonly logs: ExecutionLogProps;
  /** What the role is for, as its description says. */
  readonly roleDescription: string;
  /** The inline policy's name. */
  readonly policyName: string;
  /** The machine's grants but alerting and telemetry, which are added after them. */
  readonly statements: readonly iam.PolicyStatement[];
  /** The domain's topic: a failed run alerts its owner there. */
  readonly alertTopic: sns.ITopic;
  readonly comment: string;
  readonly definition: sfn.IChainable;
  /** Longest execution. */
  readonly timeout: Duration;
}

export interface MlModelMachine {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly stateMachine: sfn.StateMachine;
}

export function mlModelMachine(scope: Construct, props: MlModelMachineProps): MlModelMachine {
  const statements = [
    ...props.statements,
    new iam.PolicyStatement({ sid: 'AlertOwners', actions: ['sns:Publish'], resources: [props.alertTopic.topicArn] }),
    ...executionTelemetryStatements(),
  ];
  const role = new iam.Role(scope, 'Role', {
    assumedBy: stateMachinePrincipal(scope, stateMachineArns(scope, props.stateMachineName)),
    description: props.roleDescription,
    inlinePolicies: { [props.policyName]: new iam.PolicyDocument({ statements }) },
  });
  const logGroup = executionLogGroup(scope, props.logGroupName, props.logs);
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: props.stateMachineName,
    ...loggedAndTraced(logGroup),
    comment: props.comment,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    role: role.withoutPolicyUpdates(),
  });
  return { role, logGroup, stateMachine };
}

import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The ARNs of a state machine named before it exists, so its role's policy can name them. */
export interface StateMachineArns {
  readonly stateMachine: string;
  /** Every execution of it, `...:execution:<name>:*`. */
  readonly executions: string;
}

export function stateMachineArns(scope: Construct, stateMachineName: string): StateMachineArns {
  const stack = Stack.of(scope);
  const arn = (resource: string, resourceName: string): string =>
    stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return { stateMachine: arn('stateMachine', stateMachineName), executions: arn('execution', `${stateMachineName}:*`) };
}

/** Step Functions, only on behalf of the state machine `arns` names in this account (no confused deputy). */
export function stateMachinePrincipal(scope: Construct, arns: StateMachineArns): iam.ServicePrincipal {
  return new iam.ServicePrincipal('states.amazonaws.com', {
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account }, ArnLike: { 'aws:SourceArn': arns.stateMachine } },
  });
}

/**
 * The status of the stack a custom resource belongs to. During a rollback CloudFormation sends an
 * Update back to the old properties, which for an Iceberg table whose columns were just added
 * asks for a narrower table than the one Athena now holds: the handler must tell that apart from
 * a deployment.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** The part of a `CloudFormationClient` the status lookup uses, so tests can stand in for the network. */
export type CloudFormationSend = Pick<CloudFormationClient, 'send'>;

/** The stack's current status, such as `UPDATE_ROLLBACK_IN_PROGRESS`. */
export async function stackStatus(cloudFormation: CloudFormationSend, stackId: string): Promise<string> {
  const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
  const status = answer.Stacks?.[0]?.StackStatus;
  if (status === undefined) throw new Error(`CloudFormation DescribeStacks answered without a status for ${stackId}`);
  return status;
}

/**
 * `ROLLBACK_IN_PROGRESS`, `UPDATE_ROLLBACK_IN_PROGRESS` (also after `continue-update-rollback`)
 * and `IMPORT_ROLLBACK_IN_PROGRESS`: the statuses in which CloudFormation sends a rollback's Updates.
 */
export function isRollbackInProgress(status: string): boolean {
  return /(^|_)ROLLBACK_IN_PROGRESS$/.test(status);
}

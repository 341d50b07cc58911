/**
 * The grant a state machine needs to run Athena statements and read their results: the actions on
 * its workgroup, and the Glue catalog Athena resolves table names in. Shared by the build and the
 * ML machines; the dataset pipeline's load reads no results and writes its own.
 */
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** The workgroup statement under `sid`, then `ReadDataCatalog`. */
export function athenaQueryStatements(stack: Stack, sid: string, workGroupName: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid,
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
      resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroupName })],
    }),
    new iam.PolicyStatement({
      sid: 'ReadDataCatalog',
      actions: ['athena:GetDataCatalog'],
      resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
    }),
  ];
}

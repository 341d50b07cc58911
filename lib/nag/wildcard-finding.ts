import { Stack } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Construct } from 'constructs';

/**
 * The id acknowledging one IAM5 finding: cdk-nag reports each wildcard resource of a policy as its
 * own finding, named by the resource as cdk-nag flattens it. Acknowledging the finding, not the
 * whole rule, keeps any other wildcard added to the policy later a finding.
 */
export function wildcardFinding(scope: Construct, resource: string): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config/settings.ts';
import { RETAINED } from '../constructs/retained.ts';

/**
 * The CDK removal policy for an environment's stateful resources: `retain` keeps them on update
 * and delete but not when their first create rolls back (`RETAINED`), so a failed first
 * deployment can simply be retried. `destroy` is allowed (for throwaway environments) but warned
 * about on every stack it applies to, so nobody meets it by surprise.
 */
export function environmentRemovalPolicy(scope: Construct, environment: EnvironmentSettings): RemovalPolicy {
  if (environment.removalPolicy === 'retain') return RETAINED;
  Annotations.of(scope).addWarningV2(
    'lakehouse:removal-policy-destroy',
    `Environment '${environment.name}' has removalPolicy 'destroy' in cdk.json: deleting this stack deletes its ` +
      'data stores (buckets must be emptied first; objects are never auto-deleted).',
  );
  return RemovalPolicy.DESTROY;
}

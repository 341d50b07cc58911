/**
 * Decides a call as IAM would, with `@cloud-copilot/iam-simulate`: the role's identity policies
 * as synthesized and, for a KMS key, the key's own policy (which trusts the account's IAM
 * policies through its root statement, or not).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Call } from './call.ts';
import type { PolicyDocument, SynthesizedApp, SynthesizedRole } from './synthesized-app.ts';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Principal {
  /** A role ARN, or a service principal such as `events.amazonaws.com`. */
  readonly arn: string;
  readonly policies: readonly { readonly name: string; readonly document: PolicyDocument }[];
}

export function rolePrincipal(role: SynthesizedRole): Principal {
  return { arn: role.arn, policies: role.policies };
}

export async function decide(app: SynthesizedApp, principal: Principal, call: Call): Promise<Decision> {
  const keyPolicy = call.action.startsWith('kms:') ? app.keyPolicies.get(call.resource) : undefined;
  const result = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: call.action,
        resource: { resource: call.resource, accountId: app.account },
        contextVariables: Object.fromEntries(Object.entries(call.context ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : [...value]])),
      },
      identityPolicies: principal.policies.map((policy) => ({ name: policy.name, policy: { Version: '2012-10-17', ...policy.document } })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(keyPolicy === undefined ? {} : { resourcePolicy: { Version: '2012-10-17', ...keyPolicy } }),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`${call.action} on ${call.resource} (${call.why}) could not be evaluated: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

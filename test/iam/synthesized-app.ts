/**
 * What an IAM evaluation needs from a synthesized Stage, with every CloudFormation intrinsic
 * resolved to the concrete value it has in the Stage's account, region and partition (the same
 * resolver the offline runtime uses): each role with the policies attached to it, each KMS key
 * policy, and the resources whose properties say what a role's code will call.
 */
import type { Stage } from 'aws-cdk-lib';
import { type AssemblyStack, readCloudAssembly } from '../../lib/local/stepfunctions/cloud-assembly.ts';
import { AssemblyScopes } from '../../lib/local/stepfunctions/definitions.ts';
import { type CfnResource, resolveIntrinsics, type TemplateScope } from '../../lib/local/stepfunctions/intrinsics.ts';
import type { JsonObject, JsonValue } from '../../lib/local/stepfunctions/json.ts';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly JsonObject[];
}

export interface AttachedPolicy {
  /** `<role logical id>/<policy name>` for inline policies, the logical id for policy resources. */
  readonly name: string;
  readonly kind: 'inline' | 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy';
  readonly document: PolicyDocument;
}

export interface SynthesizedRole {
  readonly stackName: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly policies: readonly AttachedPolicy[];
}

/** One resource of the Stage, its properties resolved on demand (some hold SSM parameters). */
export interface SynthesizedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly raw: CfnResource;
  resolve(value: unknown): JsonValue;
}

export interface SynthesizedApp {
  readonly account: string;
  readonly roles: readonly SynthesizedRole[];
  readonly resources: readonly SynthesizedResource[];
  /** Key policies by key ARN. */
  readonly keyPolicies: ReadonlyMap<string, PolicyDocument>;
  /** The role a resource runs as (`Role` of a function, `RoleArn` of a state machine). */
  roleOf(resource: SynthesizedResource): SynthesizedRole;
}

const ATTACHABLE = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'] as const;

function asDocument(value: JsonValue, where: string): PolicyDocument {
  const statements = (value as { Statement?: unknown } | null)?.Statement;
  if (!Array.isArray(statements)) throw new Error(`${where}: no Statement list in ${JSON.stringify(value)}`);
  return { Statement: statements as JsonObject[] };
}

export function readSynthesizedApp(stage: Stage): SynthesizedApp {
  const stacks = readCloudAssembly(stage.synth().directory);
  const { scopes } = new AssemblyScopes(stacks);
  const resources: SynthesizedResource[] = [];
  for (const [stack, scope] of scopes) resources.push(...resourcesOf(stack, scope));

  const roles = resources
    .filter((resource) => resource.type === 'AWS::IAM::Role')
    .map((role): SynthesizedRole => {
      const roleName = role.resolve({ Ref: role.logicalId });
      const inline = ((role.raw.Properties?.['Policies'] as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []).map(
        (policy): AttachedPolicy => ({
          name: `${role.logicalId}/${policy.PolicyName}`,
          kind: 'inline',
          document: asDocument(role.resolve(policy.PolicyDocument), `${role.logicalId} ${policy.PolicyName}`),
        }),
      );
      const attached = resources
        .filter((policy) => policy.stackName === role.stackName && (ATTACHABLE as readonly string[]).includes(policy.type))
        .filter((policy) => {
          const attachedTo = policy.raw.Properties?.['Roles'];
          return Array.isArray(attachedTo) && (policy.resolve(attachedTo) as JsonValue[]).includes(roleName);
        })
        .map(
          (policy): AttachedPolicy => ({
            name: policy.logicalId,
            kind: policy.type as AttachedPolicy['kind'],
            document: asDocument(policy.resolve(policy.raw.Properties?.['PolicyDocument']), policy.logicalId),
          }),
        );
      const managedArns = role.raw.Properties?.['ManagedPolicyArns'];
      const managed = Array.isArray(managedArns) ? (role.resolve(managedArns) as string[]) : [];
      const unknownManaged = managed.filter(
        (arn) => !resources.some((policy) => policy.type === 'AWS::IAM::ManagedPolicy' && policy.resolve({ Ref: policy.logicalId }) === arn),
      );
      if (unknownManaged.length > 0) {
        throw new Error(`role ${role.logicalId} in ${role.stackName} has managed policies this app does not define: ${unknownManaged.join(', ')}`);
      }
      return {
        stackName: role.stackName,
        logicalId: role.logicalId,
        arn: role.resolve({ 'Fn::GetAtt': [role.logicalId, 'Arn'] }) as string,
        policies: [...inline, ...attached],
      };
    });

  const keyPolicies = new Map(
    resources
      .filter((resource) => resource.type === 'AWS::KMS::Key')
      .map((key) => [
        key.resolve({ 'Fn::GetAtt': [key.logicalId, 'Arn'] }) as string,
        asDocument(key.resolve(key.raw.Properties?.['KeyPolicy']), `key ${key.logicalId}`),
      ]),
  );

  const [firstStack] = stacks;
  if (firstStack === undefined) throw new Error(`stage ${stage.stageName} has no stacks`);
  return {
    account: firstStack.environment.account,
    roles,
    resources,
    keyPolicies,
    roleOf(resource) {
      const reference = resource.raw.Properties?.['Role'] ?? resource.raw.Properties?.['RoleArn'];
      const arn = resource.resolve(reference);
      // Roles without a RoleName resolve to `local-<logicalId>`, the same in every stack that reuses the id.
      const role = roles.find((candidate) => candidate.stackName === resource.stackName && candidate.arn === arn);
      if (role === undefined) throw new Error(`${resource.logicalId} in ${resource.stackName} runs as ${JSON.stringify(arn)}, no role of this app`);
      return role;
    },
  };
}

/**
 * `AWS::StackId` has no local value in the offline resolver (no state machine needs it); a policy
 * scoped to its own stack does, so it gets the stack's ARN with a fixed id.
 */
function withStackId(value: unknown, stackArn: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withStackId(item, stackArn));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'Ref' && entries[0]![1] === 'AWS::StackId') return stackArn;
  return Object.fromEntries(entries.map(([key, item]) => [key, withStackId(item, stackArn)]));
}

function resourcesOf(stack: AssemblyStack, scope: TemplateScope): SynthesizedResource[] {
  const { partition, region, account } = scope.environment();
  const stackArn = `arn:${partition}:cloudformation:${region}:${account}:stack/${stack.stackName}/00000000-0000-0000-0000-000000000000`;
  return Object.entries(scope.template.Resources ?? {}).map(([logicalId, raw]) => ({
    stackName: stack.stackName,
    logicalId,
    type: raw.Type,
    raw,
    resolve: (value: unknown) => resolveIntrinsics(withStackId(value, stackArn), scope),
  }));
}

/**
 * The state machine definitions an app synthesizes, read from its cloud assembly (never a second,
 * hand-written copy) with every intrinsic resolved to a local value, ready for the interpreter.
 */
import { awsEnvironment } from './aws-environment.ts';
import type { AssemblyStack } from './cloud-assembly.ts';
import { type CfnResource, resolveIntrinsics, type TemplateScope } from './intrinsics.ts';
import type { JsonValue } from './json.ts';
import type { AslDefinition } from './states.ts';

const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

export interface SynthesizedStateMachine {
  readonly stackName: string;
  readonly logicalId: string;
  /** Construct path of the `CfnStateMachine`, e.g. `Dev/Pipeline/Machine/Resource`. */
  readonly path: string;
  /** `StateMachineName`, or `local-<logicalId>` where CloudFormation would generate one. */
  readonly name: string;
  /** A plausible ARN built from the name and the stack's account and region. */
  readonly arn: string;
  readonly definition: AslDefinition;
}

/** Names the state machine whose definition could not be resolved, and why. */
export class DefinitionResolutionError extends Error {
  constructor(
    readonly stackName: string,
    readonly logicalId: string,
    readonly path: string,
    reason: string,
  ) {
    super(`state machine ${logicalId} (${path}) in stack ${stackName}: ${reason}`);
    this.name = 'DefinitionResolutionError';
  }
}

interface StackExport {
  readonly scope: TemplateScope;
  readonly value: unknown;
}

function constructPath(stack: AssemblyStack, logicalId: string, resource: CfnResource): string {
  const fromManifest = stack.constructPaths.get(logicalId);
  if (fromManifest !== undefined) return fromManifest.replace(/^\//, '');
  const fromTemplate = resource.Metadata?.['aws:cdk:path'];
  if (typeof fromTemplate === 'string') return fromTemplate;
  throw new DefinitionResolutionError(stack.stackName, logicalId, '?', 'neither the manifest nor the template records its construct path');
}

/** Step Functions replaces `${key}` with each `DefinitionSubstitutions` value before parsing. */
function substitute(text: string, substitutions: Readonly<Record<string, string>>): string {
  return Object.entries(substitutions).reduce((result, [key, value]) => result.replaceAll(`\${${key}}`, value), text);
}

function substituteStrings(value: JsonValue, substitutions: Readonly<Record<string, string>>): JsonValue {
  if (typeof value === 'string') return substitute(value, substitutions);
  if (Array.isArray(value)) return value.map((item) => substituteStrings(item, substitutions));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteStrings(item, substitutions)]));
  }
  return value;
}

function substitutionsOf(resource: CfnResource, scope: TemplateScope): Record<string, string> {
  const declared = resource.Properties?.['DefinitionSubstitutions'];
  if (declared === undefined) return {};
  const resolved = resolveIntrinsics(declared, scope);
  if (resolved === null || typeof resolved !== 'object' || Array.isArray(resolved)) {
    throw new Error(`DefinitionSubstitutions is not an object: ${JSON.stringify(resolved)}`);
  }
  return Object.fromEntries(
    Object.entries(resolved).map(([key, value]) => {
      if (typeof value === 'object') throw new Error(`DefinitionSubstitutions ${key} is not a scalar: ${JSON.stringify(value)}`);
      return [key, String(value)];
    }),
  );
}

function parsedDefinition(resource: CfnResource, scope: TemplateScope): JsonValue {
  const properties = resource.Properties ?? {};
  const substitutions = substitutionsOf(resource, scope);
  if (properties['DefinitionString'] !== undefined) {
    const text = resolveIntrinsics(properties['DefinitionString'], scope);
    if (typeof text !== 'string') throw new Error(`DefinitionString resolved to ${JSON.stringify(text)}, not a string`);
    try {
      return JSON.parse(substitute(text, substitutions)) as JsonValue;
    } catch (error) {
      throw new Error(`DefinitionString is not JSON: ${(error as Error).message}`);
    }
  }
  if (properties['Definition'] !== undefined) {
    return substituteStrings(resolveIntrinsics(properties['Definition'], scope), substitutions);
  }
  if (properties['DefinitionS3Location'] !== undefined) {
    throw new Error('its definition is in S3 (DefinitionS3Location), which cannot be read offline');
  }
  throw new Error('it has no DefinitionString or Definition');
}

function asDefinition(value: JsonValue): AslDefinition {
  const isGraph =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof value['StartAt'] === 'string' &&
    value['States'] !== null &&
    typeof value['States'] === 'object' &&
    !Array.isArray(value['States']);
  if (!isGraph) throw new Error('the definition has no StartAt and States');
  return value as unknown as AslDefinition;
}

/** Every stack of an assembly as a resolver scope, `Fn::ImportValue` answered from the other stacks' exports. */
export class AssemblyScopes {
  readonly scopes: ReadonlyMap<AssemblyStack, TemplateScope>;
  private exports?: ReadonlyMap<string, StackExport>;

  constructor(stacks: readonly AssemblyStack[]) {
    this.scopes = new Map(
      stacks.map((stack) => [
        stack,
        {
          stackName: stack.stackName,
          template: stack.template,
          environment: () => awsEnvironment(stack.stackName, stack.environment),
          importValue: (name: string) => this.importValue(name),
        },
      ]),
    );
  }

  private importValue(name: string): JsonValue {
    this.exports ??= this.exportIndex();
    const found = this.exports.get(name);
    if (found === undefined) {
      const known = [...this.exports.keys()].join(', ') || 'none';
      throw new Error(`Fn::ImportValue ${name}: no stack in this assembly exports it (exports: ${known})`);
    }
    return resolveIntrinsics(found.value, found.scope);
  }

  private exportIndex(): ReadonlyMap<string, StackExport> {
    const index = new Map<string, StackExport>();
    for (const scope of this.scopes.values()) {
      for (const [outputId, output] of Object.entries(scope.template.Outputs ?? {})) {
        if (output.Export === undefined) continue;
        const name = resolveIntrinsics(output.Export.Name, scope);
        if (typeof name !== 'string') throw new Error(`export name of output ${outputId} in ${scope.stackName} is not a string`);
        const other = index.get(name);
        if (other !== undefined) throw new Error(`export ${name} is declared by both ${other.scope.stackName} and ${scope.stackName}`);
        index.set(name, { scope, value: output.Value });
      }
    }
    return index;
  }
}

function readStateMachine(stack: AssemblyStack, scope: TemplateScope, logicalId: string, resource: CfnResource): SynthesizedStateMachine {
  const path = constructPath(stack, logicalId, resource);
  try {
    const name = resolveIntrinsics({ 'Fn::GetAtt': [logicalId, 'Name'] }, scope) as string;
    const arn = resolveIntrinsics({ Ref: logicalId }, scope) as string;
    const definition = asDefinition(parsedDefinition(resource, scope));
    return { stackName: stack.stackName, logicalId, path, name, arn, definition };
  } catch (error) {
    throw new DefinitionResolutionError(stack.stackName, logicalId, path, (error as Error).message);
  }
}

/**
 * Every `AWS::StepFunctions::StateMachine` in the stacks of a cloud assembly (`readCloudAssembly`),
 * in stack order. `Fn::ImportValue` resolves against the other stacks' exports.
 */
export function synthesizedStateMachines(stacks: readonly AssemblyStack[]): SynthesizedStateMachine[] {
  const { scopes } = new AssemblyScopes(stacks);
  return [...scopes].flatMap(([stack, scope]) =>
    Object.entries(scope.template.Resources ?? {})
      .filter(([, resource]) => resource.Type === STATE_MACHINE_TYPE)
      .map(([logicalId, resource]) => readStateMachine(stack, scope, logicalId, resource)),
  );
}

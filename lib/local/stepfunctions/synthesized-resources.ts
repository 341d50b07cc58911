/**
 * The resources of one CloudFormation type in a synthesized app, each with its properties resolved
 * like a state machine's definition (DESIGN.md "Definitions from the app"), so an offline stand-in
 * (an EventBridge rule's delivery, the Iceberg table custom resource) acts on what the deployment
 * holds, never on a second copy of it.
 */
import type { AssemblyStack } from './cloud-assembly.ts';
import { AssemblyScopes } from './definitions.ts';
import { resolveIntrinsics } from './intrinsics.ts';
import type { JsonValue } from './json.ts';

export interface SynthesizedResource {
  readonly stackName: string;
  readonly logicalId: string;
  /** One property, resolved; undefined when the resource does not set it. */
  readonly property: (name: string) => JsonValue | undefined;
}

/** Every resource of `type` in the stacks, in stack order; properties resolve when asked for. */
export function synthesizedResources(stacks: readonly AssemblyStack[], type: string): SynthesizedResource[] {
  const { scopes } = new AssemblyScopes(stacks);
  return [...scopes].flatMap(([stack, scope]) =>
    Object.entries(scope.template.Resources ?? {})
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({
        stackName: stack.stackName,
        logicalId,
        property: (name: string) => {
          const value = resource.Properties?.[name];
          if (value === undefined) return undefined;
          try {
            return resolveIntrinsics(value, scope);
          } catch (error) {
            throw new Error(`${type} ${logicalId} in stack ${stack.stackName}: property ${name}: ${(error as Error).message}`);
          }
        },
      })),
  );
}

/**
 * A Lambda function of a synthesized app as the offline runtime needs it: its environment
 * variables, resolved like a state machine's definition (DESIGN.md "Definitions from the app"), so
 * a local stand-in runs with the settings the deployed function has, never a second copy of them.
 */
import type { AssemblyStack } from './cloud-assembly.ts';
import { AssemblyScopes } from './definitions.ts';
import { resolveIntrinsics } from './intrinsics.ts';

const FUNCTION_TYPE = 'AWS::Lambda::Function';

/** The environment variables of the function whose `FunctionName` is `name`; undefined when the app has none such. */
export function synthesizedFunctionEnvironment(stacks: readonly AssemblyStack[], name: string): Record<string, string> | undefined {
  const { scopes } = new AssemblyScopes(stacks);
  for (const [stack, scope] of scopes) {
    for (const [logicalId, resource] of Object.entries(scope.template.Resources ?? {})) {
      if (resource.Type !== FUNCTION_TYPE || resource.Properties?.['FunctionName'] === undefined) continue;
      if (resolveIntrinsics(resource.Properties['FunctionName'], scope) !== name) continue;
      const variables = resolveIntrinsics((resource.Properties['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {}, scope);
      if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
        throw new Error(`function ${logicalId} in stack ${stack.stackName}: its environment does not resolve to an object`);
      }
      return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    }
  }
  return undefined;
}

/**
 * What EventBridge does with an event offline, read from the synthesized `AWS::Events::Rule`
 * resources: each enabled rule whose `EventPattern` matches it delivers it to each of its targets,
 * the whole event unless the target's `Input`, `InputPath` or `InputTransformer` says otherwise.
 * An event no rule matches reaches nobody.
 */
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import type { SynthesizedResource } from '../stepfunctions/synthesized-resources.ts';
import { eventMatches } from './event-pattern.ts';
import { isJsonObject } from './request-fields.ts';

export const EVENT_RULE_TYPE = 'AWS::Events::Rule';

/** One target's copy of a matched event. */
export interface RuleDelivery {
  /** The rule's logical id. */
  readonly rule: string;
  readonly targetArn: string;
  readonly input: JsonValue;
}

/** The value at a JSONPath of the form EventBridge's input paths take (`$`, `$.detail.ModelPackageArn`). */
function valueAt(event: JsonValue, path: string): JsonValue | undefined {
  if (path !== '$' && !path.startsWith('$.')) throw new Error(`input path '${path}' is not $ or $.<field>...`);
  return path === '$' ? event : path.slice(2).split('.').reduce<JsonValue | undefined>((value, key) => (isJsonObject(value) ? value[key] : undefined), event);
}

/**
 * A JSON `InputTemplate` with each `<name>` replaced by its path's value, as EventBridge fills one:
 * inside a string the value's text (escaped), elsewhere the value as JSON, a string quoted.
 */
function transformed(transformer: JsonObject, event: JsonValue): JsonValue {
  const paths = (transformer['InputPathsMap'] ?? {}) as Record<string, string>;
  const valueOf = (name: string): JsonValue | undefined => {
    const path = name === 'aws.events.event' ? '$' : paths[name];
    return path === undefined ? undefined : (valueAt(event, path) ?? null);
  };
  const template = String(transformer['InputTemplate']);
  // One pass over string literals and bare placeholders: a value put in is never read again.
  const text = template.replaceAll(/"(?:[^"\\]|\\.)*"|<([A-Za-z0-9_.-]+)>/g, (token, bare: string | undefined) => {
    if (bare !== undefined) {
      const value = valueOf(bare);
      return value === undefined ? token : JSON.stringify(value);
    }
    return token.replaceAll(/<([A-Za-z0-9_.-]+)>/g, (whole, name: string) => {
      const value = valueOf(name);
      return value === undefined ? whole : JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value)).slice(1, -1);
    });
  });
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new Error(`InputTemplate ${template} does not give JSON offline: ${text}`);
  }
}

function targetInput(target: JsonObject, event: JsonValue): JsonValue {
  if (typeof target['Input'] === 'string') return JSON.parse(target['Input']) as JsonValue;
  if (typeof target['InputPath'] === 'string') return valueAt(event, target['InputPath']) ?? null;
  if (isJsonObject(target['InputTransformer'])) return transformed(target['InputTransformer'], event);
  return event;
}

/** Every delivery of `event` to the target `targetArn` by the rules that match it. */
export function deliveriesTo(rules: readonly SynthesizedResource[], targetArn: string, event: JsonValue): RuleDelivery[] {
  return rules.flatMap((rule) => {
    const pattern = rule.property('EventPattern');
    if (pattern === undefined || (rule.property('State') ?? 'ENABLED') !== 'ENABLED' || !eventMatches(pattern, event)) return [];
    const targets = (rule.property('Targets') ?? []) as JsonObject[];
    return targets.filter((target) => target['Arn'] === targetArn).map((target) => ({ rule: rule.logicalId, targetArn, input: targetInput(target, event) }));
  });
}

/**
 * Resolves CloudFormation intrinsics in a synthesized template to local values, so a state
 * machine definition CDK wrote for AWS can run offline unchanged. Anything it cannot resolve is an
 * error: passing an unresolved `{"Ref": ...}` through would surface later as a confusing
 * JSONPath or ARN failure inside the interpreter.
 */
import type { AwsEnvironment } from './aws-environment.ts';
import type { JsonObject, JsonValue } from './json.ts';
import { attributeValue, physicalNameProperty, refValue } from './resource-values.ts';

/** The parts of a synthesized CloudFormation template the resolver reads. */
export interface CfnTemplate {
  readonly Parameters?: Readonly<Record<string, { readonly Type?: string; readonly Default?: unknown }>>;
  readonly Resources?: Readonly<Record<string, CfnResource>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value: unknown; readonly Export?: { readonly Name: unknown } }>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** One stack as the resolver sees it. */
export interface TemplateScope {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Asked only when a value needs the account or region; throws for an environment-agnostic stack. */
  readonly environment: () => AwsEnvironment;
  /** The value another stack exports under `name`, resolved in that stack. */
  readonly importValue: (name: string) => JsonValue;
}

const PSEUDO_PARAMETERS: Readonly<Record<string, (scope: TemplateScope) => string>> = {
  'AWS::Region': (scope) => scope.environment().region,
  'AWS::AccountId': (scope) => scope.environment().account,
  'AWS::Partition': (scope) => scope.environment().partition,
  'AWS::URLSuffix': (scope) => scope.environment().urlSuffix,
  'AWS::StackName': (scope) => scope.stackName,
};

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Join, Sub and Split work on text; CloudFormation also accepts numbers and booleans there. */
function asText(value: JsonValue, where: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a string, got ${describe(value)}`);
}

function asList(value: JsonValue, where: string): JsonValue[] {
  if (Array.isArray(value)) return value;
  throw new Error(`${where}: expected a list, got ${describe(value)}`);
}

function argumentList(argument: unknown, intrinsic: string, length: number): readonly unknown[] {
  if (Array.isArray(argument) && argument.length === length) return argument;
  throw new Error(`${intrinsic} takes a list of ${length} arguments, got ${describe(argument)}`);
}

class Resolver {
  /** Resources whose physical names are being resolved, to report a cycle instead of overflowing the stack. */
  private readonly naming = new Set<string>();

  constructor(private readonly scope: TemplateScope) {}

  resolve(value: unknown): JsonValue {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return value;
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (!isObject(value)) throw new Error(`unexpected ${typeof value} in template`);
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      return this.intrinsic(first[0], first[1]);
    }
    const resolved: JsonObject = {};
    for (const [key, item] of entries) resolved[key] = this.resolve(item);
    return resolved;
  }

  private intrinsic(name: string, argument: unknown): JsonValue {
    switch (name) {
      case 'Ref':
        return this.ref(asText(this.resolve(argument), 'Ref'));
      case 'Fn::GetAtt':
        return this.getAtt(argument);
      case 'Fn::Join': {
        const [delimiter, items] = argumentList(argument, name, 2);
        const separator = asText(this.resolve(delimiter), name);
        return asList(this.resolve(items), name)
          .map((item) => asText(item, name))
          .join(separator);
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Select': {
        const [index, items] = argumentList(argument, name, 2);
        const list = asList(this.resolve(items), name);
        const position = Number(asText(this.resolve(index), name));
        const selected = Number.isInteger(position) ? list[position] : undefined;
        if (selected === undefined) throw new Error(`${name}: index ${describe(index)} is outside a list of ${list.length}`);
        return selected;
      }
      case 'Fn::Split': {
        const [delimiter, source] = argumentList(argument, name, 2);
        return asText(this.resolve(source), name).split(asText(this.resolve(delimiter), name));
      }
      case 'Fn::ImportValue':
        return this.scope.importValue(asText(this.resolve(argument), name));
      default:
        throw new Error(`unsupported intrinsic ${name} ${describe(argument)}`);
    }
  }

  private ref(target: string): JsonValue {
    const pseudo = PSEUDO_PARAMETERS[target];
    if (pseudo !== undefined) return pseudo(this.scope);
    const parameter = this.scope.template.Parameters?.[target];
    if (parameter !== undefined) return this.parameterDefault(target, parameter);
    const resource = this.resource(target, `Ref ${target}`);
    return refValue(resource.Type, this.physicalName(target, resource), this.scope.environment);
  }

  private parameterDefault(name: string, parameter: { readonly Type?: string; readonly Default?: unknown }): JsonValue {
    if (parameter.Type?.startsWith('AWS::SSM::Parameter::') === true) {
      throw new Error(`Ref ${name}: the parameter's value is read from SSM at deploy time and has no local value`);
    }
    if (parameter.Default === undefined) throw new Error(`Ref ${name}: the parameter has no Default to use offline`);
    const value = this.resolve(parameter.Default);
    const isList = parameter.Type === 'CommaDelimitedList' || parameter.Type?.startsWith('List<') === true;
    return isList ? asText(value, `Ref ${name}`).split(',') : value;
  }

  private getAtt(argument: unknown): JsonValue {
    const [logicalId, attribute] = this.getAttParts(argument);
    const where = `Fn::GetAtt ${logicalId}.${attribute}`;
    const resource = this.resource(logicalId, where);
    const value = attributeValue(resource.Type, attribute, this.physicalName(logicalId, resource), this.scope.environment);
    if (value === undefined) throw new Error(`${where}: no local value for attribute ${attribute} of ${resource.Type}`);
    return value;
  }

  /** `["Id", "Attr"]` in templates, `"Id.Attr"` in templates and in `Fn::Sub` references. */
  private getAttParts(argument: unknown): [string, string] {
    if (typeof argument === 'string' && argument.indexOf('.') > 0) {
      const dot = argument.indexOf('.');
      return [argument.slice(0, dot), argument.slice(dot + 1)];
    }
    if (Array.isArray(argument) && argument.length === 2) {
      return [asText(this.resolve(argument[0]), 'Fn::GetAtt'), asText(this.resolve(argument[1]), 'Fn::GetAtt')];
    }
    throw new Error(`Fn::GetAtt takes [logicalId, attribute] or "logicalId.attribute", got ${describe(argument)}`);
  }

  private sub(argument: unknown): string {
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : argumentList(argument, 'Fn::Sub', 2);
    if (typeof text !== 'string' || !isObject(variables)) {
      throw new Error(`Fn::Sub takes a string or [string, {variables}], got ${describe(argument)}`);
    }
    return text.replace(/\$\{([^}]*)\}/g, (_match, reference: string) => {
      if (reference.startsWith('!')) return `\${${reference.slice(1)}}`;
      if (Object.hasOwn(variables, reference)) return asText(this.resolve(variables[reference]), `Fn::Sub \${${reference}}`);
      const value = reference.includes('.') ? this.getAtt(reference) : this.ref(reference);
      return asText(value, `Fn::Sub \${${reference}}`);
    });
  }

  private resource(logicalId: string, where: string): CfnResource {
    const resource = this.scope.template.Resources?.[logicalId];
    if (resource === undefined) throw new Error(`${where}: no parameter or resource ${logicalId} in stack ${this.scope.stackName}`);
    return resource;
  }

  private physicalName(logicalId: string, resource: CfnResource): string {
    const path = physicalNameProperty(resource.Type);
    let declared: unknown = path.length === 0 ? undefined : resource.Properties;
    for (const key of path) declared = isObject(declared) ? declared[key] : undefined;
    if (declared === undefined) return `local-${logicalId}`;
    if (this.naming.has(logicalId)) throw new Error(`the physical name of ${logicalId} refers to itself`);
    this.naming.add(logicalId);
    try {
      return asText(this.resolve(declared), `${path.join('.')} of ${logicalId}`);
    } finally {
      this.naming.delete(logicalId);
    }
  }
}

/** Resolves every intrinsic in `value` within `scope`; throws on any it cannot resolve. */
export function resolveIntrinsics(value: unknown, scope: TemplateScope): JsonValue {
  return new Resolver(scope).resolve(value);
}

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { didYouMean } from './did-you-mean.ts';
import { atField, formatFieldPath, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import type { JsonSchema } from './schema-parts.ts';
import type { YamlSource } from './yaml-source.ts';

// strictTypes off: several fields accept either a string or a list, which strict typing rejects.
const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
const validators = new WeakMap<JsonSchema, ValidateFunction>();

/** The compiled validator of one of this project's own schemas, compiled once. */
export function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * Check a parsed file against a JSON Schema and describe each mistake once, in the user's
 * terms, at the place to edit. A field of the wrong type gets one problem, not one per
 * keyword that also fails because of it.
 */
export function checkStructure(source: YamlSource, schema: JsonSchema): ContractProblem[] {
  return structuralProblems(source, validatorFor(schema)).map(({ problem }) => problem);
}

/** A structural problem and the field it is about, for a caller that sets that field aside. */
export interface StructuralProblem {
  readonly field: FieldPath;
  readonly problem: ContractProblem;
}

/**
 * `checkStructure` with any compiled validator (the lint also runs the ODCS standard's own schema).
 * `ownDescriptions`: a `description` says what a value must be, as in this project's schemas; the
 * standard's descriptions are prose about the field, which cannot finish "must be ...".
 */
export function structuralProblems(source: YamlSource, validate: ValidateFunction, ownDescriptions = true): StructuralProblem[] {
  if (validate(source.data)) return [];
  const all = validate.errors ?? [];
  const alternatives = all.filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf');
  // A failed oneOf also reports every alternative's missing field (the standard's quality rule:
  // one per operator); its own problem at that field says it, once.
  const unexplained = all.filter(
    (error) =>
      error.keyword !== 'if' &&
      !(error.keyword === 'required' && alternatives.some((alternative) => alternative.instancePath === error.instancePath && error.schemaPath.startsWith(`${alternative.schemaPath}/`))),
  );
  const errors = withoutOtherFormsOfAMatchedType(withoutEchoesOfAFailedBranch(unexplained, validate.schema), alternatives);
  const paths = errors.map((error) => instancePathOf(error, source.data));
  const patternsAt = patternsByPlace(errors);
  const wrongType = paths.filter((_, index) => errors[index]!.keyword === 'type');
  const problems = new Map<string, StructuralProblem>();
  errors.forEach((error, index) => {
    const path = paths[index]!;
    const shadowed = error.keyword !== 'type' && wrongType.some((typePath) => isWithin(path, typePath));
    if (shadowed) return;
    const described = describe(error, path, source, ownDescriptions, patternsAt.get(error.instancePath) ?? []);
    problems.set(`${described.problem.line}:${described.problem.column}:${described.problem.message}`, described);
  });
  return [...problems.values()];
}

/**
 * A branch of a schema that fails (the standard's rule with no operator, a logicalType its version
 * lacks) evaluates none of its object's fields, so unevaluatedProperties then calls valid ones
 * unknown. Such an unknown field is an echo when the schema defines that name somewhere and the
 * object has a problem of its own at or below it, which is the cause; a name the schema never
 * defines (a typo) is still reported.
 */
function withoutEchoesOfAFailedBranch(errors: readonly ErrorObject[], schema: unknown): ErrorObject[] {
  const causes = errors.filter((error) => error.keyword !== 'unevaluatedProperties');
  const defined = definedFieldNames(schema);
  return errors.filter(
    (error) =>
      !(
        error.keyword === 'unevaluatedProperties' &&
        defined.has(String((error.params as { unevaluatedProperty?: unknown }).unevaluatedProperty)) &&
        causes.some((cause) => cause.instancePath === error.instancePath || cause.instancePath.startsWith(`${error.instancePath}/`))
      ),
  );
}

const definedNames = new WeakMap<object, ReadonlySet<string>>();

/** Every field name some `properties` of a schema defines, at any depth. */
function definedFieldNames(schema: unknown): ReadonlySet<string> {
  if (typeof schema !== 'object' || schema === null) return new Set();
  let names = definedNames.get(schema);
  if (names === undefined) {
    const found = new Set<string>();
    const visit = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const { properties } = node as { properties?: unknown };
      if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
        for (const name of Object.keys(properties)) found.add(name);
      }
      for (const child of Object.values(node)) visit(child);
    };
    visit(schema);
    names = found;
    definedNames.set(schema, names);
  }
  return names;
}

/** Keywords that test a value of the right type (a string's pattern), so the type itself matched. */
const VALUE_KEYWORDS: readonly string[] = ['pattern', 'format', 'enum', 'const', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

/**
 * Where a value may take several forms (a string or a list) and it has the type of one of them
 * but fails that form's own test (the standard's pattern of a relationship's `to`), that test is
 * the cause: the other forms' type mismatch ("must be a list") and the summary that no form
 * matched are dropped at that place.
 */
function withoutOtherFormsOfAMatchedType(errors: readonly ErrorObject[], alternatives: readonly ErrorObject[]): ErrorObject[] {
  const matchedType = new Set(
    errors
      .filter((error) => VALUE_KEYWORDS.includes(error.keyword) && alternatives.some((alternative) => alternative.instancePath === error.instancePath))
      .map((error) => error.instancePath),
  );
  return errors.filter((error) => !(matchedType.has(error.instancePath) && ['type', 'oneOf', 'anyOf'].includes(error.keyword)));
}

/** The patterns a value fails, by place: one problem names them all (each form of a reference has its own). */
function patternsByPlace(errors: readonly ErrorObject[]): Map<string, string[]> {
  const patterns = new Map<string, string[]>();
  for (const error of errors.filter(({ keyword }) => keyword === 'pattern')) {
    const pattern = String((error.params as { pattern?: unknown }).pattern);
    const here = patterns.get(error.instancePath) ?? [];
    if (!here.includes(pattern)) patterns.set(error.instancePath, [...here, pattern]);
  }
  return patterns;
}

function describe(error: ErrorObject, path: FieldPath, source: YamlSource, ownDescriptions: boolean, patterns: readonly string[]): StructuralProblem {
  const at = (field: FieldPath, message: string, anchor?: 'key') => ({ field, problem: source.problem(field, message, anchor) });
  const params = error.params as Record<string, unknown>;
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const got = ` (got ${shown(source, path, error.data)})`;
  switch (error.keyword) {
    case 'required': {
      return at(path, inside(path, `missing required field '${String(params.missingProperty)}'`));
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = Object.keys((parentSchema.properties ?? {}) as object);
      return at([...path, key], inside(path, `unknown field '${key}'${didYouMean(key, known)}`), 'key');
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';
      return at(path, atField(path, `must be one of ${allowed.join(', ')}${got}${hint}`));
    }
    case 'const':
      return at(path, atField(path, `must be ${String(params.allowedValue)}${got}`));
    case 'type':
    case 'pattern': {
      if (ownDescriptions && typeof parentSchema.description === 'string') return at(path, atField(path, `must be ${parentSchema.description}${got}`));
      if (error.keyword === 'pattern') return at(path, atField(path, `must match ${patterns.map((pattern) => `/${pattern}/`).join(' or ')}${got}`));
      return at(path, atField(path, `must be ${typeNames(params.type)}${got}`));
    }
    case 'not':
      // A field ODCS defines that the lakehouse refuses (`unsupported` in schema-parts.ts).
      return at(path, atField(path, ownDescriptions && typeof parentSchema.description === 'string' ? parentSchema.description : `is not allowed${got}`));
    case 'uniqueItems':
      return at([...path, Number(params.i)], atField(path, `must not list the same value twice`));
    case 'minItems':
    case 'maxItems':
    case 'minProperties': {
      const limit = Number(params.limit);
      const bound = error.keyword === 'maxItems' ? 'at most' : 'at least';
      return at(path, atField(path, `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`));
    }
    case 'minLength':
    case 'maxLength': {
      const limit = Number(params.limit);
      const bound = error.keyword === 'maxLength' ? 'at most' : 'at least';
      return at(path, atField(path, `must be ${bound} ${limit} character${limit === 1 ? '' : 's'} long${got}`));
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(path, atField(path, `must be ${String(params.comparison)} ${String(params.limit)}${got}`));
    case 'oneOf':
      return at(path, atField(path, `must take exactly one of the forms allowed here${got}`));
    default:
      return at(path, atField(path, `${error.message ?? 'is not valid'}${got}`));
  }
}

/** A message about the fields of the mapping at `path`; top-level fields need no prefix. */
function inside(path: FieldPath, message: string): string {
  return path.length === 0 ? message : `${formatFieldPath(path)}: ${message}`;
}

/** Turn ajv's JSON Pointer into a path, with numbers where the data holds a list. */
function instancePathOf(error: ErrorObject, data: unknown): FieldPath {
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of error.instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node = (node as Record<string, unknown> | undefined)?.[segment];
    }
  }
  return path;
}

function isWithin(path: FieldPath, ancestor: FieldPath): boolean {
  return ancestor.length <= path.length && ancestor.every((segment, index) => path[index] === segment);
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function typeNames(types: unknown): string {
  return String(types)
    .split(',')
    .map((type) => TYPE_NAMES[type] ?? type)
    .join(' or ');
}

/** The value as the user wrote it, or what kind of thing it is when it is not a scalar. */
function shown(source: YamlSource, path: FieldPath, value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  return source.writtenText(path) ?? String(value);
}

/**
 * Which rule of a Choice state its input matched. `aws-local-stepfunctions` neither reports the
 * rule it took nor exports its evaluator, and two rules may lead to the same state, so coverage
 * evaluates the rules again, in order, on the input the execution events recorded, by the Amazon
 * States Language's semantics: an operand of another type than the operator compares false, a
 * missing `Variable` is an error except for `IsPresent`, `And`/`Or` stop at their first decisive rule.
 */
import type { JsonValue } from '../stepfunctions/json.ts';
import type { AslState } from '../stepfunctions/states.ts';
import { readReferencePath } from './reference-path.ts';

type ChoiceState = Extract<AslState, { Type: 'Choice' }>;

/** A rule seen as the record it is in JSON, so one table can serve every operator. */
type Rule = Readonly<Record<string, unknown>>;

export class ChoiceEvaluationError extends Error {
  constructor(choice: string, reason: string) {
    super(`Choice state ${choice}: ${reason}`);
    this.name = 'ChoiceEvaluationError';
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

interface OperandType {
  readonly accepts: (value: unknown) => boolean;
  /** Negative, zero or positive as `left` sorts before, with or after `right`. */
  readonly compare: (left: never, right: never) => number;
}

const OPERAND_TYPES = {
  String: { accepts: (value) => typeof value === 'string', compare: (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0) },
  Numeric: { accepts: (value) => typeof value === 'number', compare: (left: number, right: number) => left - right },
  Boolean: { accepts: (value) => typeof value === 'boolean', compare: (left: boolean, right: boolean) => (left === right ? 0 : 1) },
  Timestamp: { accepts: isTimestamp, compare: (left: string, right: string) => Date.parse(left) - Date.parse(right) },
} satisfies Record<string, OperandType>;

const RELATIONS: Readonly<Record<string, (order: number) => boolean>> = {
  Equals: (order) => order === 0,
  LessThan: (order) => order < 0,
  GreaterThan: (order) => order > 0,
  LessThanEquals: (order) => order <= 0,
  GreaterThanEquals: (order) => order >= 0,
};

/** `StringEquals`, `NumericLessThanEquals`, ... and `BooleanEquals` (booleans have no order). */
const COMPARISONS: ReadonlyMap<string, { readonly type: OperandType; readonly holds: (order: number) => boolean }> = new Map(
  Object.entries(OPERAND_TYPES).flatMap(([typeName, type]) =>
    Object.entries(RELATIONS)
      .filter(([relation]) => typeName !== 'Boolean' || relation === 'Equals')
      .map(([relation, holds]) => [`${typeName}${relation}`, { type, holds }] as const),
  ),
);

const TYPE_TESTS: Readonly<Record<string, (value: JsonValue) => boolean>> = {
  IsNull: (value) => value === null,
  IsNumeric: (value) => typeof value === 'number',
  IsString: (value) => typeof value === 'string',
  IsBoolean: (value) => typeof value === 'boolean',
  IsTimestamp: isTimestamp,
};

/** `StringMatches`: `*` stands for any characters, `\*` and `\\` for a literal star and backslash. */
function wildcardMatches(value: string, pattern: string): boolean {
  const source = pattern.replace(/\\([*\\])|\*|[.+?^${}()|[\]\\]/g, (token, escaped: string | undefined) => {
    if (escaped !== undefined) return `\\${escaped}`;
    return token === '*' ? '.*' : `\\${token}`;
  });
  return new RegExp(`^${source}$`, 's').test(value);
}

class RuleEvaluator {
  constructor(
    private readonly choice: string,
    private readonly input: JsonValue,
  ) {}

  private read(path: unknown): { present: true; value: JsonValue } | { present: false } {
    if (typeof path !== 'string') throw new ChoiceEvaluationError(this.choice, `a path must be a string, not ${JSON.stringify(path)}`);
    try {
      return readReferencePath(path, this.input);
    } catch (error) {
      throw new ChoiceEvaluationError(this.choice, (error as Error).message);
    }
  }

  private variable(rule: Rule): JsonValue {
    const read = this.read(rule['Variable']);
    if (!read.present) throw new ChoiceEvaluationError(this.choice, `Variable ${String(rule['Variable'])} is not in the input (a runtime error in Step Functions)`);
    return read.value;
  }

  private operand(rule: Rule, operator: string): unknown {
    if (operator in rule) return rule[operator];
    const read = this.read(rule[`${operator}Path`]);
    if (!read.present) throw new ChoiceEvaluationError(this.choice, `${operator}Path ${String(rule[`${operator}Path`])} is not in the input`);
    return read.value;
  }

  matches(rule: Rule): boolean {
    if (Array.isArray(rule['And'])) return (rule['And'] as Rule[]).every((nested) => this.matches(nested));
    if (Array.isArray(rule['Or'])) return (rule['Or'] as Rule[]).some((nested) => this.matches(nested));
    if (rule['Not'] !== undefined) return !this.matches(rule['Not'] as Rule);
    if ('IsPresent' in rule) return this.read(rule['Variable']).present === rule['IsPresent'];
    const operator = Object.keys(rule)
      .map((key) => key.replace(/Path$/, ''))
      .find((key) => key in TYPE_TESTS || COMPARISONS.has(key) || key === 'StringMatches');
    if (operator === undefined) throw new ChoiceEvaluationError(this.choice, `no comparison operator in rule ${JSON.stringify(rule)}`);
    const value = this.variable(rule);
    const typeTest = TYPE_TESTS[operator];
    if (typeTest !== undefined) return typeTest(value) === rule[operator];
    const expected = this.operand(rule, operator);
    if (operator === 'StringMatches') return typeof value === 'string' && typeof expected === 'string' && wildcardMatches(value, expected);
    const { type, holds } = COMPARISONS.get(operator)!;
    return type.accepts(value) && type.accepts(expected) && holds(type.compare(value as never, expected as never));
  }
}

function choiceInput(choice: string, state: ChoiceState, input: JsonValue): JsonValue {
  if (state.InputPath === undefined) return input;
  if (state.InputPath === null) return {};
  const read = readReferencePath(state.InputPath, input);
  if (!read.present) throw new ChoiceEvaluationError(choice, `InputPath ${state.InputPath} is not in the input`);
  return read.value;
}

/** The 1-based number of the first rule the input matches, `'Default'` when none does and there is one, else `undefined`. */
export function matchingChoice(choice: string, state: ChoiceState, input: JsonValue): number | 'Default' | undefined {
  const evaluator = new RuleEvaluator(choice, choiceInput(choice, state, input));
  const index = state.Choices.findIndex((rule) => evaluator.matches(rule as Rule));
  if (index >= 0) return index + 1;
  return state.Default === undefined ? undefined : 'Default';
}

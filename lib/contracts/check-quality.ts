import { BETWEEN_OPERATORS, OPERATORS } from './contract-schema.ts';
import { boundProblems } from './bound-problems.ts';
import { nestedMetricProblem } from './check-nested-columns.ts';
import { logicalTypeOf, typedColumnOf, typeOfColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Bound } from './exclusive-bounds.ts';
import { isGreatExpectations, translateExpectation, type TranslatedRule } from './great-expectations.ts';
import { atField, type FieldPath } from './field-path.ts';
import { singleSelectProblem } from '../sql/single-select.ts';
import { nestedScalarFields } from './nested-fields.ts';
import { unknownNestedFieldNames } from './sql-column-names.ts';
import { patternProblem } from './patterns.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty, RawQualityRule, RawSchemaObject } from './raw-contract.ts';
import { KNOWN_PLACEHOLDERS, placeholdersAsIdentifiers, placeholdersIn } from './sql-placeholders.ts';
import { inV31Form } from './v30-quality.ts';
import { describeType, isValueOfType, showValue } from './values.ts';

type Report = (path: FieldPath, message: string, anchor?: 'key') => void;

/** Which metric each library argument belongs to. */
const ARGUMENT_METRIC: Readonly<Record<string, string>> = {
  validValues: 'invalidValues',
  pattern: 'invalidValues',
  missingValues: 'missingValues',
  properties: 'duplicateValues',
};

/** Metrics that count values of one column, so they need one. */
const COLUMN_METRICS = ['nullValues', 'missingValues', 'invalidValues'];

/** Checks on the `quality[]` rules of one dataset and of its columns. */
export function checkQuality(under: ContractUnderCheck, datasetIndex: number): ContractProblem[] {
  const dataset = under.contract.schema[datasetIndex]!;
  const datasetPath: FieldPath = ['schema', datasetIndex];
  const problems: ContractProblem[] = [];
  const report: Report = (path, message, anchor) =>
    problems.push(under.source.problem(path, atField(path, message), anchor));

  dataset.quality?.forEach((rule, index) => checkRule(rule, [...datasetPath, 'quality', index], dataset, undefined, report));
  dataset.properties.forEach((property, propertyIndex) => {
    property.quality?.forEach((rule, index) =>
      checkRule(rule, [...datasetPath, 'properties', propertyIndex, 'quality', index], dataset, property, report),
    );
    for (const { field, path } of nestedScalarFields(property, [...datasetPath, 'properties', propertyIndex])) {
      // A sql, text or custom rule on a nested field is refused whole (check-nested-columns.ts): one message, none more for its body.
      field.quality?.forEach((rule, index) => {
        if ((inV31Form(rule).type ?? 'library') === 'library') checkRule(rule, [...path, 'quality', index], dataset, field, report);
      });
    }
  });
  return problems;
}

function checkRule(
  asWritten: RawQualityRule,
  path: FieldPath,
  dataset: RawSchemaObject,
  column: RawProperty | undefined,
  report: Report,
): void {
  const rule = inV31Form(asWritten);
  const type = rule.type ?? 'library';
  if (type === 'custom') {
    checkExpectation(rule, path, dataset, column, report);
    return;
  }
  if (type === 'text') return;
  checkThreshold(rule, path, report);
  if (type === 'sql') {
    checkPlaceholders(rule.query!, [...path, 'query'], dataset, column, report);
    const problem = sqlRuleProblem(rule.query!);
    if (problem !== undefined) report([...path, 'query'], problem);
    for (const unknown of unknownNestedFieldNames(rule.query!, dataset.properties)) report([...path, 'query'], unknown);
    return;
  }
  const metric = rule.metric!;
  if (metric === 'rowCount') {
    if (column !== undefined) {
      report([...path, 'metric'], `rowCount is a dataset-level metric: move this rule to schema[].quality of '${dataset.name}'`);
    }
    if (rule.unit === 'percent') report([...path, 'unit'], 'rowCount counts rows: unit percent does not apply');
  }
  if (column === undefined && COLUMN_METRICS.includes(metric)) {
    report([...path, 'metric'], `${metric} counts values of one column: move this rule to that property's quality`);
  }
  checkArguments(rule, path, dataset, column, report);
}

/**
 * A Great Expectations rule that contradicts the contract (a column it does not have) is refused
 * at its implementation, and so is one whose translated rules fail the checks a written rule gets
 * (a value set of the column's type, bounds its type has, a metric a nested column supports).
 */
function checkExpectation(rule: RawQualityRule, path: FieldPath, dataset: RawSchemaObject, column: RawProperty | undefined, report: Report): void {
  if (!isGreatExpectations(rule.engine)) return;
  const translation = translateExpectation(rule, column ?? null, dataset.properties);
  const at = [...path, 'implementation'];
  if ('problem' in translation) report(at, `great-expectations rule: ${translation.problem}`);
  if (!('rules' in translation)) return;
  for (const translated of translation.rules) {
    const property = dataset.properties.find((candidate) => candidate.name === translated.column);
    if (property === undefined) continue;
    translatedRuleProblems(translated, property).forEach((problem) => report(at, `great-expectations rule: ${problem}`));
  }
}

/** Which kwarg of an expectation holds each bound of its translation. */
const BOUND_KWARG: Readonly<Record<Bound, string>> = {
  minimum: 'min_value',
  exclusiveMinimum: 'min_value',
  maximum: 'max_value',
  exclusiveMaximum: 'max_value',
};

function translatedRuleProblems({ metric, validValues, bounds }: TranslatedRule, property: RawProperty): string[] {
  const nested = nestedMetricProblem(metric, property);
  if (nested !== undefined) return [nested];
  const typed = typedColumnOf(property);
  if (typed === undefined) return [];
  const written = Object.fromEntries(Object.entries(bounds ?? {}).map(([bound, value]) => [bound, { value, field: bound as Bound }]));
  return [
    ...validValueProblems(validValues ?? [], property).map(({ index, message }) => `kwargs.value_set[${index}]: ${message}`),
    ...boundProblems(written, { name: property.name, logicalType: typed.logicalType, type: typed.type }).map(
      ({ field, message }) => `kwargs.${BOUND_KWARG[field]}: ${message}`,
    ),
  ];
}

/** Every placeholder is one the validator fills, `{property}` only where there is a column, and the dataset is read. */
function checkPlaceholders(query: string, path: FieldPath, dataset: RawSchemaObject, column: RawProperty | undefined, report: Report): void {
  const uses = placeholdersIn(query);
  for (const { written, offset, meaning } of uses) {
    const where = `column ${offset + 1} of the query`;
    if (meaning === undefined) {
      report(path, `unknown placeholder ${written} (${where}): a sql rule may use ${KNOWN_PLACEHOLDERS.join(', ')}`);
    } else if (meaning === 'property' && column === undefined) {
      report(
        path,
        `{property} (${where}) is the column a rule is attached to, and this rule is on dataset '${dataset.name}': ` +
          'move it to that property\'s quality, or write the column\'s name',
      );
    }
  }
  if (!uses.some((use) => use.meaning === 'object')) report(path, 'a sql rule must read its dataset as {object} (or ${model})');
}

/**
 * A SQL rule runs on DuckDB in the validator and on Athena for big files: it must be exactly one
 * SELECT, or it could write files or read what it was not given (DESIGN.md, "User-written SQL is
 * sandboxed"). Placeholders are parsed as identifiers of the same length, so columns in the
 * message are those of the query as written.
 */
function sqlRuleProblem(query: string): string | undefined {
  const problem = singleSelectProblem(placeholdersAsIdentifiers(query));
  if (problem === undefined) return undefined;
  const where = query.includes('\n') ? `line ${problem.line}, column ${problem.column}` : `column ${problem.column}`;
  return `a sql rule must be exactly one SELECT (${where} of the query): ${problem.message}`;
}

function checkThreshold(rule: RawQualityRule, path: FieldPath, report: Report): void {
  const operators = OPERATORS.filter((operator) => rule[operator] !== undefined);
  if (operators.length === 0) {
    report(path, `a rule needs exactly one operator (${OPERATORS.join(', ')})`);
    return;
  }
  if (operators.length > 1) {
    report([...path, operators[1]!], `a rule takes exactly one operator, but this one has ${operators.join(' and ')}`, 'key');
    return;
  }
  const operator = operators[0]!;
  const value = rule[operator] as number | readonly [number, number];
  const operatorPath = [...path, operator];
  if (BETWEEN_OPERATORS.includes(operator)) {
    const [low, high] = value as readonly [number, number];
    if (!(low < high)) report(operatorPath, `${operator} needs [low, high] with low < high (got [${low}, ${high}])`);
  }
  if (rule.unit === 'percent') {
    const outside = (Array.isArray(value) ? value : [value]).filter((number) => number < 0 || number > 100);
    if (outside.length > 0) report(operatorPath, `a percent threshold must be within 0..100 (got ${outside.join(', ')})`);
  }
}

function checkArguments(
  rule: RawQualityRule,
  path: FieldPath,
  dataset: RawSchemaObject,
  column: RawProperty | undefined,
  report: Report,
): void {
  const metric = rule.metric!;
  const args = rule.arguments ?? {};
  const argumentsPath = [...path, 'arguments'];
  for (const name of Object.keys(args)) {
    if (ARGUMENT_METRIC[name] !== metric) {
      report([...argumentsPath, name], `arguments.${name} does not apply to metric ${metric}`, 'key');
    } else if (name === 'properties' && column !== undefined) {
      report([...argumentsPath, name], `arguments.properties is for dataset-level duplicateValues; this rule checks column '${column.name}'`, 'key');
    }
  }
  if (metric === 'invalidValues') {
    if (args.validValues === undefined && args.pattern === undefined) {
      report(path, 'invalidValues needs arguments.validValues (a list) or arguments.pattern');
    }
    if (args.validValues !== undefined && args.validValues.every((value) => value === null)) {
      report([...argumentsPath, 'validValues'], 'validValues lists only null, which allows no value: list the values a row may hold');
    }
    if (args.pattern !== undefined) {
      const problem = patternProblem(args.pattern);
      if (problem !== undefined) report([...argumentsPath, 'pattern'], problem);
    }
    if (column !== undefined) {
      validValueProblems(args.validValues ?? [], column).forEach(({ index, message }) => report([...argumentsPath, 'validValues', index], message));
    }
  }
  if (metric === 'duplicateValues' && column === undefined) {
    if (args.properties === undefined) {
      report(path, 'a dataset-level duplicateValues rule needs arguments.properties: the columns that together must be unique');
    }
    const names = dataset.properties.map((property) => property.name);
    args.properties?.forEach((name, index) => {
      if (!names.includes(name)) {
        report([...argumentsPath, 'properties', index], `dataset '${dataset.name}' has no column '${name}'${didYouMean(name, names)}`);
      }
    });
  }
}

/**
 * Each valid value but null must be a value of the column's type: the validator writes each as a
 * literal of that type, and one that does not parse is NULL, which makes `NOT IN` never true.
 */
function validValueProblems(values: readonly unknown[], column: RawProperty): { index: number; message: string }[] {
  const type = typeOfColumn(column);
  if (type === undefined) return [];
  return values.flatMap((value, index) =>
    value === null || isValueOfType(value, type)
      ? []
      : [{ index, message: `valid values of ${logicalTypeOf(column)} column '${column.name}' must be ${describeType(type)} (got ${showValue(value)})` }],
  );
}

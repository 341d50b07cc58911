import { basename } from 'node:path';
import { didYouMean } from '../contracts/did-you-mean.ts';
import type { FieldPath } from '../contracts/field-path.ts';
import type { Owner, Severity } from '../contracts/model.ts';
import type { ContractProblem } from '../contracts/problems.ts';
import { parseYaml, type YamlSource } from '../contracts/yaml-source.ts';
import { splitFrontMatter } from './front-matter.ts';
import { MATERIALIZATIONS, type Materialization, type ModelColumn, type ModelSource, type ModelTest, type RefCall } from './model.ts';
import { findRefCalls } from './ref-calls.ts';
import { templateProblemsAt } from './template-allow-list.ts';

const FRONT_MATTER_KEYS = ['materialized', 'unique_key', 'description', 'owner', 'columns', 'tests'];
const COLUMN_KEYS = ['name', 'description', 'tests'];
const COLUMN_TESTS = ['not_null', 'unique', 'accepted_values', 'relationships'];
const CUSTOM_TEST_KEYS = ['sql', 'name', 'severity'];
const TEST_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  not_null: ['severity'],
  unique: ['severity'],
  accepted_values: ['values', 'severity'],
  relationships: ['to', 'field', 'severity'],
};
/** Model names become Athena table names; `__staging` is reserved for write-audit-publish. */
const MODEL_NAME = /^[a-z][a-z0-9_]*$/;
const RELATIONSHIP_TARGET = /^\s*ref\(\s*(['"])([^'"]+)\1\s*\)\s*$/;

export type ParsedModel = { readonly model: ModelSource; readonly problems: readonly [] } | { readonly problems: readonly ContractProblem[] };

/** Parses one model file of `domain`; every problem is collected, none thrown. */
export function parseModelFile(file: string, text: string, domain: string, domainOwner: Owner): ParsedModel {
  const at1 = { file, line: 1, column: 1 };
  const name = basename(file, '.sql');
  const problems: ContractProblem[] = [];
  if (!MODEL_NAME.test(name) || name.endsWith('__staging')) {
    problems.push({ ...at1, message: `model name '${name}' must be lower snake case (it names an Athena table) and not end in __staging` });
  }
  const split = splitFrontMatter(text);
  if ('error' in split) return { problems: [...problems, { ...at1, message: split.error }] };
  const parsed = parseYaml(file, split.yaml);
  if ('problems' in parsed) return { problems: [...problems, ...parsed.problems] };

  const reader = new FrontMatterReader(parsed.source, problems);
  const data = parsed.source.data ?? {};
  if (!isRecord(data)) return { problems: [...problems, parsed.source.problem([], 'front matter must be a mapping of settings')] };
  reader.checkKeys([], data, FRONT_MATTER_KEYS, 'front matter key');

  const materialized = reader.materialization(data['materialized']);
  const uniqueKey = reader.uniqueKey(data['unique_key'], materialized);
  const owner = reader.owner(data['owner'], domainOwner);
  const columns: ModelColumn[] = [];
  const tests: ModelTest[] = [];
  reader.columns(data['columns'], columns, tests);
  reader.customTests(data['tests'], tests);

  const at = { file, line: split.templateLine, column: 1 };
  if (split.template.trim() === '') problems.push({ ...at, message: 'a model needs one SELECT after its front matter' });
  // Before anything renders them: rendering a template runs whatever JavaScript it holds.
  problems.push(...templateProblemsAt(at, split.template));
  for (const test of tests) if (test.sql !== undefined) problems.push(...templateProblemsAt(test.position, test.sql));
  if (problems.length > 0) return { problems };

  const refs: RefCall[] = [
    ...findRefCalls(split.template, at),
    ...tests.flatMap((test) => (test.to === undefined ? (test.sql === undefined ? [] : findRefCalls(test.sql, test.position)) : [test.to])),
  ];
  return {
    model: {
      id: `${domain}/${name}`,
      domain,
      name,
      file,
      materialized,
      uniqueKey,
      ...(typeof data['description'] === 'string' ? { description: data['description'] } : {}),
      owner,
      columns,
      tests: uniqueTestNames(tests),
      template: split.template,
      templateLine: split.templateLine,
      refs,
      position: at1,
    },
    problems: [],
  };
}

function uniqueTestNames(tests: readonly ModelTest[]): ModelTest[] {
  const seen = new Map<string, number>();
  return tests.map((test) => {
    const count = (seen.get(test.name) ?? 0) + 1;
    seen.set(test.name, count);
    return count === 1 ? test : { ...test, name: `${test.name}#${count}` };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads front matter fields, recording a positioned problem for each wrong one. */
class FrontMatterReader {
  constructor(
    private readonly source: YamlSource,
    private readonly problems: ContractProblem[],
  ) {}

  private fail(path: FieldPath, message: string, anchor: 'key' | 'value' = 'value'): void {
    this.problems.push(this.source.problem(path, message, anchor));
  }

  checkKeys(path: FieldPath, data: Record<string, unknown>, known: readonly string[], what: string): void {
    for (const key of Object.keys(data)) {
      if (!known.includes(key)) this.fail([...path, key], `unknown ${what} '${key}'${didYouMean(key, known)}`, 'key');
    }
  }

  materialization(value: unknown): Materialization {
    if (value === undefined) return 'view';
    if (typeof value === 'string' && (MATERIALIZATIONS as readonly string[]).includes(value)) return value as Materialization;
    this.fail(['materialized'], `materialized must be one of ${MATERIALIZATIONS.join(', ')}${didYouMean(String(value), MATERIALIZATIONS)}`);
    return 'view';
  }

  uniqueKey(value: unknown, materialized: Materialization): string[] {
    const keys = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((k) => typeof k === 'string') ? (value as string[]) : undefined;
    if (value !== undefined && (keys === undefined || keys.length === 0)) {
      this.fail(['unique_key'], 'unique_key must be a column name or a list of column names');
      return [];
    }
    if (materialized === 'incremental' && keys === undefined) {
      this.fail(['materialized'], 'an incremental model needs unique_key: the columns its MERGE matches on');
    }
    if (materialized !== 'incremental' && keys !== undefined) {
      this.fail(['unique_key'], `unique_key is only read for materialized: incremental, not ${materialized}`, 'key');
    }
    return materialized === 'incremental' ? (keys ?? []) : [];
  }

  owner(value: unknown, domainOwner: Owner): Owner {
    if (value === undefined) return domainOwner;
    if (typeof value === 'string' && value.trim() !== '') return { team: value, email: domainOwner.email };
    if (isRecord(value) && typeof value['team'] === 'string' && typeof value['email'] === 'string') {
      this.checkKeys(['owner'], value, ['team', 'email'], 'owner key');
      return { team: value['team'], email: value['email'] };
    }
    this.fail(['owner'], 'owner must be a team name or {team, email}');
    return domainOwner;
  }

  columns(value: unknown, columns: ModelColumn[], tests: ModelTest[]): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) return this.fail(['columns'], 'columns must be a list of {name, description, tests}');
    value.forEach((entry: unknown, index) => {
      const path = ['columns', index];
      if (!isRecord(entry) || typeof entry['name'] !== 'string') return this.fail(path, 'each column needs a name');
      this.checkKeys(path, entry, COLUMN_KEYS, 'column key');
      const name = entry['name'];
      if (columns.some((column) => column.name === name)) this.fail([...path, 'name'], `column '${name}' is listed twice`);
      columns.push({
        name,
        ...(typeof entry['description'] === 'string' ? { description: entry['description'] } : {}),
        position: this.source.positionOf([...path, 'name']),
      });
      const columnTests = entry['tests'] ?? [];
      if (!Array.isArray(columnTests)) return this.fail([...path, 'tests'], 'tests must be a list');
      columnTests.forEach((test: unknown, testIndex) => this.columnTest([...path, 'tests', testIndex], name, test, tests));
    });
  }

  private columnTest(path: FieldPath, column: string, value: unknown, tests: ModelTest[]): void {
    const named = typeof value === 'string' ? { kind: value, args: {} as Record<string, unknown> } : singleKey(value);
    if (named === undefined) return this.fail(path, `a column test is one of ${COLUMN_TESTS.join(', ')}, or a mapping of one of them to its arguments`);
    const { kind, args } = named;
    const argsPath = typeof value === 'string' ? path : [...path, kind];
    if (!COLUMN_TESTS.includes(kind)) return this.fail(argsPath, `unknown test '${kind}'${didYouMean(kind, COLUMN_TESTS)}`, typeof value === 'string' ? 'value' : 'key');
    if (!isRecord(args)) return this.fail(argsPath, `the arguments of ${kind} must be a mapping`);
    this.checkKeys(argsPath, args, TEST_ARGUMENTS[kind]!, `${kind} argument`);
    const base = { name: `${column}.${kind}`, column, severity: this.severity([...argsPath, 'severity'], args['severity']), position: this.source.positionOf(argsPath, 'key') };
    if (kind === 'accepted_values') {
      const values = args['values'];
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
        return this.fail([...argsPath, 'values'], 'accepted_values needs values: a non-empty list of strings, numbers or booleans');
      }
      tests.push({ ...base, kind, values });
      return;
    }
    if (kind === 'relationships') {
      const to = typeof args['to'] === 'string' ? RELATIONSHIP_TARGET.exec(args['to']) : null;
      if (to === null) return this.fail([...argsPath, 'to'], `relationships needs to: "ref('<dataset or model>')"`);
      if (typeof args['field'] !== 'string') return this.fail([...argsPath, 'field'], 'relationships needs field: the parent column');
      tests.push({ ...base, kind, to: { name: to[2]!, position: this.source.positionOf([...argsPath, 'to']) }, field: args['field'] });
      return;
    }
    tests.push({ ...base, kind: kind as 'not_null' | 'unique' });
  }

  customTests(value: unknown, tests: ModelTest[]): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) return this.fail(['tests'], 'tests must be a list of {sql, name, severity}');
    value.forEach((entry: unknown, index) => {
      const path = ['tests', index];
      if (!isRecord(entry) || typeof entry['sql'] !== 'string' || entry['sql'].trim() === '') {
        return this.fail(path, 'a custom test needs sql: a SELECT returning the failing rows');
      }
      this.checkKeys(path, entry, CUSTOM_TEST_KEYS, 'test key');
      if (entry['name'] !== undefined && typeof entry['name'] !== 'string') this.fail([...path, 'name'], 'a test name must be a string');
      tests.push({
        name: typeof entry['name'] === 'string' ? entry['name'] : 'sql',
        kind: 'sql',
        column: null,
        severity: this.severity([...path, 'severity'], entry['severity']),
        sql: entry['sql'],
        position: this.source.positionOf([...path, 'sql']),
      });
    });
  }

  /** dbt writes `warn`; contracts write `warning`: both mean the same. */
  private severity(path: FieldPath, value: unknown): Severity {
    if (value === undefined || value === 'error') return 'error';
    if (value === 'warn' || value === 'warning') return 'warning';
    this.fail(path, `severity must be error or warn${didYouMean(String(value), ['error', 'warn', 'warning'])}`);
    return 'error';
  }
}

function singleKey(value: unknown): { kind: string; args: unknown } | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 ? { kind: keys[0]!, args: value[keys[0]!] ?? {} } : undefined;
}

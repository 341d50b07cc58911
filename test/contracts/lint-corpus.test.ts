import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintContract, type LintProblem } from '../../lib/contracts/lint.ts';
import { standardValidator } from '../../lib/contracts/lint-standard.ts';
import { parseYaml } from '../../lib/contracts/yaml-source.ts';

/**
 * `contracts lint` over the shared corpus (corpus/README.md). Every case: the lint finds each
 * refusal the loader makes, at the same place (it runs the same checks, and more where a part is
 * set aside), and where the loader accepts a contract the lakehouse refuses nothing in it (the
 * standard may: the lakehouse reads some files the standard's schema does not accept). A case may also hold `lint.json`,
 * `{"lint": ["contract.yaml:<line>:<column> [<odcs|lakehouse|yaml>] <error|warning> <fragment>", ...]}`:
 * every problem the lint reports, in order.
 *
 * Every case is also a contract another ODCS tool could have written: valid against the standard's
 * own JSON Schema for its apiVersion (the one the lint compiles, once per version), unless its
 * expected.json says `"schemaInvalid": "<why>"` because being invalid is the case's point.
 */

const CORPUS = join(import.meta.dirname, 'corpus');
const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Expected {
  /** Why the contract is not valid against the standard's schema; absent when it is. */
  readonly schemaInvalid?: string;
  readonly refused?: readonly string[];
  readonly warnings?: readonly string[];
}

/** What the standard's schema for the contract's apiVersion says of it: [] when valid. */
function standardErrors(name: string): string[] {
  const file = join(CORPUS, name, 'contract.yaml');
  const parsed = parseYaml(file, readFileSync(file, 'utf8'));
  if ('problems' in parsed) return parsed.problems.map((problem) => problem.message);
  const data = parsed.source.data as { apiVersion?: unknown } | null;
  const validate = standardValidator(data?.apiVersion);
  if (validate === undefined) return [`no schema of the standard is vendored for apiVersion ${String(data?.apiVersion)}`];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

function lintCase(name: string): readonly LintProblem[] {
  const file = join(CORPUS, name, 'contract.yaml');
  return lintContract(file, readFileSync(file, 'utf8')).problems;
}

/** `contract.yaml:12:7 [lakehouse] error message`: a problem as lint.json lists it. */
function shown(problem: LintProblem): string {
  return `${basename(problem.file)}:${problem.line}:${problem.column} [${problem.source}] ${problem.severity} ${problem.message}`;
}

/** Each `<place> <fragment>` matches a line starting with that place and holding the fragment. */
function matching(expected: string, between = ' '): unknown {
  const parsed = /^(\S+?:\d+:\d+) (.+)$/s.exec(expected);
  if (parsed === null) throw new Error(`'${expected}' is not '<file>:<line>:<column> <fragment>'`);
  const [, place, fragment] = parsed;
  return expect.stringMatching(new RegExp(`^${escaped(place!)}${between}.*${escaped(fragment!)}`, 's'));
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('contracts lint over the contract corpus', () => {
  it('has at least four lint cases, each with what the lint reports', () => {
    const lintCases = cases.filter((name) => name.startsWith('lint-'));
    expect(lintCases.length).toBeGreaterThanOrEqual(4);
    for (const name of lintCases) expect(existsSync(join(CORPUS, name, 'lint.json')), `${name}/lint.json`).toBe(true);
  });

  it.each(cases)('%s', (name) => {
    const expected = JSON.parse(readFileSync(join(CORPUS, name, 'expected.json'), 'utf8')) as Expected;
    const errorsOfStandard = standardErrors(name);
    if (expected.schemaInvalid === undefined) expect(errorsOfStandard, `${name}: valid against the standard's schema (else say why in schemaInvalid)`).toEqual([]);
    else expect(errorsOfStandard, `${name}: schemaInvalid, yet valid against the standard's schema`).not.toEqual([]);
    const problems = lintCase(name);
    const errors = problems.filter((problem) => problem.severity === 'error').map(shown);
    // "<place> [source] error <fragment>": the loader's refusal, whoever the lint says refuses it.
    for (const refusal of expected.refused ?? []) expect(errors).toContainEqual(matching(refusal, ' \\[\\w+\\] error '));
    if (expected.refused === undefined) expect(errors.filter((error) => error.includes(' [lakehouse] '))).toEqual([]);
    const lintFile = join(CORPUS, name, 'lint.json');
    if (existsSync(lintFile)) {
      const { lint } = JSON.parse(readFileSync(lintFile, 'utf8')) as { lint: readonly string[] };
      expect(problems.map(shown)).toEqual(lint.map((line) => matching(line)));
    }
  });
});

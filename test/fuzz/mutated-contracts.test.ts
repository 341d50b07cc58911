import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCatalog, loadContractFile } from '../../lib/contracts/load.ts';
import { ContractError, type ContractProblem } from '../../lib/contracts/problems.ts';
import { checkTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import { modelSteps } from '../../lib/transforms/model-steps.ts';
import { renderModel } from '../../lib/transforms/render.ts';
import { runs } from './runs.ts';
import { pathsOf, replaceAt, replacements } from './document-mutations.ts';
import { applyMutation, textMutation, type TextMutation } from './text-mutations.ts';

/**
 * The shipped contracts, domain files and models, each mutated the way careless edits and broken
 * tools do, load to a model or to problems that each name a file, a line and a column, never to
 * any other exception: what `contracts check`, `compile` and `cdk synth` print.
 */

const SHIPPED = 'contracts';
const workspace = mkdtempSync(join(tmpdir(), 'fuzz-contracts-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'samples' ? [] : filesUnder(path);
    return path.endsWith('.yaml') || path.endsWith('.sql') ? [relative(SHIPPED, path)] : [];
  });
}
const contractFiles = filesUnder(SHIPPED).filter((file) => file.endsWith('.yaml'));
const modelFiles = filesUnder(SHIPPED).filter((file) => file.endsWith('.sql'));

/** A copy of the shipped tree (samples left out) with `file` rewritten by `edit`. */
function editedTree(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(join(workspace, 'tree-'));
  cpSync(SHIPPED, root, { recursive: true, filter: (source) => !source.split('/').includes('samples') });
  writeFileSync(join(root, file), edit(readFileSync(join(SHIPPED, file), 'utf8')));
  return root;
}

const mutatedTree = (file: string, mutations: readonly TextMutation[]) => editedTree(file, (text) => mutations.reduce(applyMutation, text));

/** Problems of a step that may only fail with a `ContractError`; any other exception fails the property. */
async function contractProblems(step: () => unknown): Promise<readonly ContractProblem[]> {
  try {
    await step();
    return [];
  } catch (error) {
    if (error instanceof ContractError) return error.problems;
    throw error;
  }
}

/**
 * What the app does with a contracts folder before it deploys or builds: load and check every
 * contract, compile the models into their DAG, render each model's steps in both engines, and
 * infer the models' columns on DuckDB (what synth does to create the gold tables).
 */
async function loadEverything(root: string, mutated: string): Promise<ContractProblem[]> {
  const problems: ContractProblem[] = [];
  if (mutated.endsWith('.yaml') && !mutated.endsWith('domain.yaml')) {
    problems.push(...(await contractProblems(() => loadContractFile(join(root, mutated)))));
  }
  const checked = checkCatalog(root);
  problems.push(...checked.problems);
  if (checked.catalog === undefined) return problems;
  const transforms = checkTransforms(checked.catalog);
  problems.push(...transforms.problems);
  const { dag } = transforms;
  if (dag === undefined) return problems;
  const placement = { database: (domain: string) => `lakehouse_${domain}` };
  for (const model of dag.models) {
    problems.push(
      ...(await contractProblems(() => {
        for (const dialect of ['athena', 'duckdb'] as const) renderModel(model, { dialect, placement, incremental: false });
        modelSteps(model, model.columns.map((column) => column.name), placement);
      })),
    );
  }
  problems.push(...(await contractProblems(() => inferModelColumns(dag))));
  return problems;
}

function expectPositioned(problems: readonly ContractProblem[]): void {
  for (const problem of problems) {
    expect(problem.file, problem.message).toEqual(expect.any(String));
    expect(problem.file.length).toBeGreaterThan(0);
    expect(Number.isInteger(problem.line) && problem.line >= 1, `line of ${JSON.stringify(problem)}`).toBe(true);
    expect(Number.isInteger(problem.column) && problem.column >= 1, `column of ${JSON.stringify(problem)}`).toBe(true);
    expect(problem.message.trim()).not.toBe('');
    if (statSync(problem.file, { throwIfNoEntry: false })?.isFile()) {
      const lines = readFileSync(problem.file, 'utf8').split('\n').length;
      expect(problem.line, `line of ${JSON.stringify(problem)} in a file of ${lines} lines`).toBeLessThanOrEqual(lines + 1);
    }
  }
}

const mutations = fc.array(textMutation, { minLength: 1, maxLength: 3 });

describe('mutated contracts and models load to a model or file:line:column problems', () => {
  it('contract and domain files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...contractFiles), mutations, async (file, edits) => {
        const root = mutatedTree(file, edits);
        try {
          expectPositioned(await loadEverything(root, file));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: runs(20) },
    );
  });

  it('contract and domain files with any value replaced by one of another type, or removed', async () => {
    const edits = fc.constantFrom(...contractFiles).chain((file) => {
      const paths = pathsOf(parse(readFileSync(join(SHIPPED, file), 'utf8')));
      return fc.record({ file: fc.constant(file), path: fc.constantFrom(...paths), replacement: replacements });
    });
    await fc.assert(
      fc.asyncProperty(edits, async ({ file, path, replacement }) => {
        const root = editedTree(file, (text) => stringify(replaceAt(parse(text), path, replacement)));
        try {
          expectPositioned(await loadEverything(root, file));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: runs(20) },
    );
  });

  it('model files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...modelFiles), mutations, async (file, edits) => {
        const root = mutatedTree(file, edits);
        try {
          expectPositioned(await loadEverything(root, file));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: runs(15) },
    );
  });
});

import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CODE } from '../../../lib/cli/app-code.ts';
import { readCdkJsonContext } from '../../../lib/config/cdk-json.ts';
import { readSettings } from '../../../lib/config/settings.ts';
import { type AssemblyInputs, assemblyKey, assemblyVariables } from '../../../lib/local/assembly-cache/assembly-key.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A copy of the project (contracts and what APP_CODE names), so bytes can be changed without touching the repository. */
let project: string;
let inputs: AssemblyInputs;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'assembly-key-'));
  for (const path of ['contracts', ...APP_CODE]) cpSync(join(repoRoot, path), join(project, path), { recursive: true });
  inputs = {
    contractsRoot: join(project, 'contracts'),
    context: readCdkJsonContext(join(repoRoot, 'cdk.json')),
    environment: 'dev',
    variables: { CDK_DEFAULT_ACCOUNT: '111111111111', CDK_DEFAULT_REGION: 'eu-west-1' },
    codeRoot: project,
    code: APP_CODE,
  };
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

/** The key after `change`, which is then undone, checking the key is the original one again. */
function keyAfter(change: () => () => void): string {
  const before = assemblyKey(inputs);
  const undo = change();
  try {
    return assemblyKey(inputs);
  } finally {
    undo();
    expect(assemblyKey(inputs)).toBe(before);
  }
}

function appendByte(path: string): () => () => void {
  return () => {
    const file = join(project, path);
    const original = readFileSync(file);
    appendFileSync(file, ' ');
    return () => writeFileSync(file, original);
  };
}

describe('assemblyKey', () => {
  it('is the same for the same inputs, a 64-digit hex SHA-256', () => {
    expect(assemblyKey(inputs)).toMatch(/^[0-9a-f]{64}$/);
    expect(assemblyKey({ ...inputs, context: structuredClone(inputs.context) })).toBe(assemblyKey(inputs));
  });

  it.each([
    ['one byte of a contract', 'contracts/sales/orders.yaml'],
    ["one byte of a model's SQL", 'contracts/sales/transforms/daily_revenue.sql'],
    ['one byte of a lib source', 'lib/constructs/lock-states.ts'],
    ['one byte of a Lambda handler', 'lambdas/validate/index.ts'],
    ['one byte of the lock file', 'package-lock.json'],
  ])('changes with %s', (_, path) => {
    expect(keyAfter(appendByte(path))).not.toBe(assemblyKey(inputs));
  });

  it('changes when a file is added under the contracts root or a code folder, or renamed', () => {
    const added = (path: string) => () => {
      writeFileSync(join(project, path), '');
      return () => rmSync(join(project, path));
    };
    expect(keyAfter(added('contracts/sales/extra.yaml'))).not.toBe(assemblyKey(inputs));
    expect(keyAfter(added('lib/extra.ts'))).not.toBe(assemblyKey(inputs));
    const renamed = () => {
      renameSync(join(project, 'contracts/sales/orders.yaml'), join(project, 'contracts/sales/orders2.yaml'));
      return () => renameSync(join(project, 'contracts/sales/orders2.yaml'), join(project, 'contracts/sales/orders.yaml'));
    };
    expect(keyAfter(renamed)).not.toBe(assemblyKey(inputs));
  });

  it('changes with one context value, the environment, a CDK variable, or where the contracts or the code are', () => {
    const key = assemblyKey(inputs);
    const environments = inputs.context['environments'] as Record<string, Record<string, unknown>>;
    const changedContext = { ...inputs.context, environments: { ...environments, dev: { ...environments['dev'], modelApproval: 'manual' } } };
    expect(assemblyKey({ ...inputs, context: changedContext })).not.toBe(key);
    expect(assemblyKey({ ...inputs, environment: 'prod' })).not.toBe(key);
    expect(assemblyKey({ ...inputs, variables: { ...inputs.variables, CDK_DEFAULT_REGION: 'eu-central-1' } })).not.toBe(key);
    expect(assemblyKey({ ...inputs, variables: { CDK_DEFAULT_ACCOUNT: '111111111111' } })).not.toBe(key);
    // A validator's compiled contract names a contract outside the project by its absolute path.
    const elsewhere = mkdtempSync(join(tmpdir(), 'assembly-key-contracts-'));
    try {
      cpSync(inputs.contractsRoot, elsewhere, { recursive: true });
      expect(assemblyKey({ ...inputs, contractsRoot: elsewhere })).not.toBe(key);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(assemblyKey({ ...inputs, codeRoot: repoRoot })).not.toBe(key);
  });

  it('tells an absent code path from an empty one', () => {
    expect(assemblyKey({ ...inputs, code: [...APP_CODE, 'absent.json'] })).not.toBe(assemblyKey(inputs));
  });
});

describe('assemblyVariables', () => {
  it('takes every CDK_ variable and nothing else', () => {
    expect(assemblyVariables({ CDK_DEFAULT_REGION: 'eu-west-1', CDK_CONTEXT_JSON: '{}', HOME: '/root', PATH: '/bin' })).toEqual({
      CDK_CONTEXT_JSON: '{}',
      CDK_DEFAULT_REGION: 'eu-west-1',
    });
  });

  it("covers every variable readSettings falls back to", () => {
    const read = new Set<string>();
    const recording = new Proxy({}, { get: (_, name) => (read.add(String(name)), undefined) });
    // An environment with no account and no region makes readSettings ask for both fallbacks.
    const context = { organization: 'acme', datasetStacksPerDomain: 1, environments: { dev: { athenaBytesScannedCutoffPerQuery: 10_000_000 } } };
    expect(() => readSettings(context, recording)).toThrow(/CDK_DEFAULT_ACCOUNT is not set/);
    expect(read.size).toBeGreaterThan(0);
    const variables = Object.fromEntries([...read].map((name) => [name, 'set']));
    expect(assemblyVariables(variables)).toEqual(variables);
  });
});

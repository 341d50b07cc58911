/**
 * The coverage run's copy of the contracts stays put between runs, so an unchanged project finds
 * the scenarios' assembly in the cache: same folder, same bytes, no file rewritten.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectAssemblyInputs } from '../../lib/cli/offline-environment.ts';
import { writeScenarioContracts } from '../../lib/cli/state-coverage-run.ts';
import { assemblyKey } from '../../lib/local/assembly-cache/assembly-key.ts';
import { repoRoot } from '../local/runtime/helpers.ts';

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'coverage-contracts-'));
  cpSync(join(repoRoot, 'contracts'), join(project, 'contracts'), { recursive: true });
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

const keyOf = (contractsRoot: string): string => assemblyKey(projectAssemblyInputs({ contractsRoot, context: {}, environment: 'dev' }));

/** Every file of the folder with its inode and modification time: what a rewrite changes. */
function fileStamps(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((entry) => statSync(join(folder, entry)).isFile())
      .map((entry) => {
        const stats = statSync(join(folder, entry), { bigint: true });
        return [entry, `${stats.ino}:${stats.mtimeNs}`];
      }),
  );
}

describe('the coverage scenarios’ contracts', () => {
  it('are written to one folder of the workspace, every contract edited to quarantine rows', () => {
    const folder = writeScenarioContracts(project);
    expect(folder).toBe(join(project, '.lake', 'coverage', 'contracts'));
    expect(readFileSync(join(folder, 'sales', 'orders.yaml'), 'utf8')).toContain('quarantine-rows');
    expect(readFileSync(join(folder, 'sales', 'domain.yaml'))).toEqual(readFileSync(join(project, 'contracts', 'sales', 'domain.yaml')));
    expect(readFileSync(join(folder, 'sales', 'samples', 'orders.csv'))).toEqual(readFileSync(join(project, 'contracts', 'sales', 'samples', 'orders.csv')));
  });

  it('of an unchanged project are not written again, so its assembly keeps its cache key', () => {
    const first = writeScenarioContracts(project);
    const stamps = fileStamps(first);
    const key = keyOf(first);
    const second = writeScenarioContracts(project);
    expect(second).toBe(first);
    expect(fileStamps(second)).toEqual(stamps);
    expect(keyOf(second)).toBe(key);
  });

  it('follow a change: only the changed file is rewritten, and a file gone from the contracts goes from the copy', () => {
    const folder = writeScenarioContracts(project);
    const stamps = fileStamps(folder);
    const sample = join('sales', 'samples', 'orders.csv');
    writeFileSync(join(project, 'contracts', sample), `${readFileSync(join(project, 'contracts', sample), 'utf8')}\n`);
    rmSync(join(project, 'contracts', 'marketing', 'samples', 'README.md'));
    writeScenarioContracts(project);
    const after = fileStamps(folder);
    expect(readFileSync(join(folder, sample))).toEqual(readFileSync(join(project, 'contracts', sample)));
    expect(after[join('marketing', 'samples', 'README.md')]).toBeUndefined();
    const { [sample]: changed, [join('marketing', 'samples', 'README.md')]: removed, ...unchanged } = stamps;
    expect([changed, removed].every((stamp) => stamp !== undefined)).toBe(true);
    expect(after[sample]).not.toBe(changed);
    expect(Object.fromEntries(Object.keys(unchanged).map((entry) => [entry, after[entry]]))).toEqual(unchanged);
  });
});

/**
 * What makes `npm run coverage:states` exit 1 (a shortfall) or 2 (arguments): the in-process
 * coverage test only ever sees a full report, so the paths below 100% are checked here.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { coverageShortfalls } from '../../lib/cli/state-coverage-shortfalls.ts';
import { repoRoot } from './run-cli.ts';

describe('coverageShortfalls', () => {
  it('names every state never entered and every transition never taken, by machine', () => {
    const lines = coverageShortfalls({
      machines: [
        { name: 'acme-dev-sales-build', states: { total: 3, visited: 2, missing: ['Built'] }, transitions: { total: 4, taken: 2, missing: ['A -> B (Next)', 'B (End)'] } },
        { name: 'acme-dev-sales-maintenance', states: { total: 1, visited: 1, missing: [] }, transitions: { total: 1, taken: 1, missing: [] } },
      ],
    });
    expect(lines).toEqual([
      'acme-dev-sales-build: state never entered: Built',
      'acme-dev-sales-build: transition never taken: A -> B (Next)',
      'acme-dev-sales-build: transition never taken: B (End)',
    ]);
  });

  it('finds nothing in a report at 100%, and a machine that never ran is a shortfall of each of its states', () => {
    expect(coverageShortfalls({ machines: [{ name: 'm', states: { total: 1, visited: 1, missing: [] }, transitions: { total: 0, taken: 0, missing: [] } }] })).toEqual([]);
    expect(coverageShortfalls({ machines: [{ name: 'm', states: { total: 2, visited: 0, missing: ['A', 'B'] }, transitions: { total: 0, taken: 0, missing: [] } }] })).toHaveLength(2);
  });
});

describe('npm run coverage:states', () => {
  it('refuses arguments with exit 2 before running anything', () => {
    const tsxLoader = new URL('node_modules/tsx/dist/loader.mjs', `file://${repoRoot}`).href;
    const result = spawnSync(process.execPath, ['--import', tsxLoader, `${repoRoot}bin/state-coverage.ts`, '--machine', 'x'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('coverage:states takes no arguments (got: --machine x)');
    expect(result.stdout).toBe('');
  });
});

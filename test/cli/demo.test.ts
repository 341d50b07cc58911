import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './run-cli.ts';

describe('npm run demo', () => {
  it('checks the contracts and prints, per environment and domain, what would be deployed', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/demo.ts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/sales: customers, order_items, orders/);
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(result.stdout).toMatch(new RegExp(`^${environment}  account \\d{12}, region [a-z0-9-]+$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`platform  ${environment}/${environment}-Platform \\(\\d+ resources: .*8 S3 Bucket`));
    }
    expect(result.stdout).toMatch(/^ {4}dev\/dev-Sales \(\d+ resources: 1 Glue Database, 1 Athena WorkGroup/m);
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './run-cli.ts';

describe('npm run demo', () => {
  it('checks the contracts, prints per environment and domain what would be deployed, and validates the samples', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/demo.ts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/sales: customers, order_items, orders/);
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(result.stdout).toMatch(new RegExp(`^${environment}  account \\d{12}, region [a-z0-9-]+$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`platform  ${environment}/${environment}-Platform \\(\\d+ resources: .*8 S3 Bucket`));
    }
    expect(result.stdout).toMatch(/^ {4}dev\/dev-Sales \(\d+ resources: .*1 Glue Database/m);
    expect(result.stdout).toMatch(/^sales\/orders\s+contracts\/sales\/samples\/orders\.csv\s+passed\s+36\s+36\s+0\s*$/m);
    expect(result.stdout).toMatch(/^sales\/orders\s+contracts\/sales\/samples\/orders\.broken\.csv\s+FAILED\s+45\s+28\s+17\s+order_id\.unique/m);
    expect(result.stdout.match(/ passed +\d+ /g)).toHaveLength(5);
    expect(result.stdout.match(/ FAILED +\d+ /g)).toHaveLength(5);
  });
});

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

function copyOfShippedContracts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakehouse-cli-'));
  cpSync(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true });
  return dir;
}

describe('lakehouse contracts check', () => {
  it('exits 0 on the shipped contracts and says how many datasets it checked', async () => {
    const result = await runLakehouseInProcess(['contracts', 'check', 'contracts']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/2 domains, 5 datasets, 1 ML model, no problems/);
  });

  it('exits 1 and prints file:line:column for every problem in a broken contract', () => {
    const dir = copyOfShippedContracts();
    const file = join(dir, 'contracts/marketing/campaigns.yaml');
    const original = readFileSync(file, 'utf8');
    const broken = original.replace(/logicalType: string/, 'logicalType: text');
    expect(broken).not.toBe(original);
    writeFileSync(file, broken);
    const brokenLine = broken.split('\n').findIndex((line) => line.includes('logicalType: text')) + 1;

    const result = runLakehouse(['contracts', 'check'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^contracts/marketing/campaigns\\.yaml:${brokenLine}:\\d+: .*logicalType.*'text'`, 'm'),
    );
    expect(result.stderr).toMatch(/^\d+ problems? in \d+ files?$/m);
  });

  it('reports YAML syntax errors with their position and exit 1', async () => {
    const dir = copyOfShippedContracts();
    writeFileSync(join(dir, 'contracts/sales/broken.yaml'), 'apiVersion: v3.1.0\nschema: [unclosed\n');
    const result = await runLakehouseInProcess(['contracts', 'check', '--json'], { cwd: dir });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; problems: { file: string; line: number }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.some((problem) => problem.file === 'contracts/sales/broken.yaml' && problem.line >= 2)).toBe(true);
  });

  it('exits 2 on a directory that does not exist or an unknown flag', async () => {
    expect((await runLakehouseInProcess(['contracts', 'check', 'no-such-dir'])).status).toBe(2);
    const unknownFlag = await runLakehouseInProcess(['contracts', 'check', '--bogus']);
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toMatch(/usage: lakehouse contracts check/);
  });
});

describe('lakehouse contracts list', () => {
  it('prints exactly one JSON document with the public listing shape', async () => {
    const result = runLakehouse(['contracts', 'list', '--json']);
    expect(result.status).toBe(0);
    // The in-process runner the other cases use gives what the process gives, and leaves the
    // working directory and environment as it found them.
    const cwd = process.cwd();
    const env = { ...process.env };
    expect(await runLakehouseInProcess(['contracts', 'list', '--json'], { cwd: repoRoot, env: { LAKEHOUSE_TEST_MARKER: '1' } })).toEqual(result);
    expect(process.cwd()).toBe(cwd);
    expect(process.env).toEqual(env);
    const listing = JSON.parse(result.stdout) as Record<string, string>[];
    expect(listing.map((row) => `${row.domain}/${row.dataset}`)).toEqual([
      'marketing/campaigns',
      'marketing/web_events',
      'sales/customers',
      'sales/order_items',
      'sales/orders',
    ]);
    for (const row of listing) {
      expect(Object.keys(row).sort()).toEqual(
        ['columns', 'contractId', 'dataset', 'domain', 'file', 'format', 'nameRule', 'owner', 'status', 'table', 'version'].sort(),
      );
    }
    expect(listing.find((row) => row.dataset === 'web_events')).toMatchObject({
      format: 'json',
      file: 'contracts/marketing/web_events.yaml',
      owner: 'marketing-analytics',
    });
  });

  it('prints a table for people', async () => {
    const result = await runLakehouseInProcess(['contracts', 'list']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^DATASET\s+VERSION\s+STATUS\s+OWNER\s+FORMAT\s+CONTRACT$/);
    expect(result.stdout).toMatch(/sales\/customers\s+2\.0\.0\s+active/);
  });

  it('exits 2 when the contracts do not load, naming the problems on stderr', async () => {
    const dir = copyOfShippedContracts();
    writeFileSync(join(dir, 'contracts/sales/broken.yaml'), 'apiVersion: v3.1.0\n');
    const result = await runLakehouseInProcess(['contracts', 'list', '--json'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/contracts\/sales\/broken\.yaml:1:1: /);
  });

  it('exits 2 on an unknown command, with the usage', async () => {
    const result = await runLakehouseInProcess(['contracts', 'frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: lakehouse <command>/);
  });
});

import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { repoRoot, runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

/** The samples' delivery time (contracts/<domain>/samples/README.md): freshness is measured against it. */
const DELIVERY = ['--ingest-time', '2026-11-21T06:00:00Z'];

const shippedDatasets = loadCatalog(join(repoRoot, 'contracts')).domains.flatMap((domain) =>
  domain.datasets.map((dataset) => {
    const extension = dataset.format === 'json' ? 'jsonl' : dataset.format;
    const samples = `contracts/${domain.name}/samples`;
    return {
      ref: dataset.names.ref,
      contract: dataset.contract.file.slice(repoRoot.length),
      clean: `${samples}/${dataset.name}.${extension}`,
      broken: `${samples}/${dataset.name}.broken.${extension}`,
    };
  }),
);

describe('lakehouse validate on the shipped samples', () => {
  it.each(shippedDatasets)('$ref: the clean sample passes with exit 0', async ({ contract, clean }) => {
    const result = await runLakehouseInProcess(['validate', '--contract', contract, clean, ...DELIVERY]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^PASSED {2}/);
  });

  it.each(shippedDatasets)('$ref: the broken sample fails with exit 1 and a readable table', async ({ contract, broken }) => {
    const result = await runLakehouseInProcess(['validate', '--contract', contract, broken, ...DELIVERY]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^FAILED {2}/);
    expect(result.stdout).toMatch(/^RESULT\s+RULE\s+KIND\s+SEVERITY\s+FAILED ROWS\s+OBSERVED\s+THRESHOLD$/m);
    const firstRule = result.stdout.split('\n').find((line) => /^(FAIL|warn|pass) /.test(line));
    expect(firstRule).toMatch(/^FAIL /);
  });
});

describe('lakehouse validate --json', () => {
  it('prints exactly the report of DESIGN.md on stdout', () => {
    const result = runLakehouse([
      'validate', '--contract', 'contracts/sales/orders.yaml', 'contracts/sales/samples/orders.broken.csv', '--json', ...DELIVERY,
    ]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as ValidationReport;
    expect(Object.keys(report).sort()).toEqual(
      ['contractId', 'contractVersion', 'dataset', 'durationMs', 'file', 'passed', 'reportVersion', 'rowCount', 'rowsPassed', 'rowsQuarantined', 'rules', 'startedAt'].sort(),
    );
    expect(report).toMatchObject({ reportVersion: 1, dataset: 'sales/orders', file: 'contracts/sales/samples/orders.broken.csv', passed: false });
    expect(report.rowCount).toBe(report.rowsPassed + report.rowsQuarantined);
    expect(report.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const email = report.rules.find((rule) => rule.id === 'customer_email.pattern');
    expect(email?.samples.every((sample) => sample.value === '***')).toBe(true);
  });
});

describe('lakehouse validate --out', () => {
  it('writes the typed passing rows and the quarantined rows to the folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'validate-out-'));
    const result = await runLakehouseInProcess([
      'validate', '--contract', 'contracts/sales/orders.yaml', 'contracts/sales/samples/orders.broken.csv', '--out', out, ...DELIVERY,
    ]);
    expect(result.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['quarantine.parquet', 'validated.parquet']);
    expect(result.stderr).toMatch(/wrote .*validated\.parquet/);
  });
});

describe('lakehouse validate, called wrongly', () => {
  it('exits 2 when the contract does not load, listing its problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-bad-contract-'));
    writeFileSync(join(dir, 'domain.yaml'), 'domain: x\n');
    writeFileSync(join(dir, 'data.csv'), 'a\n1\n');
    const result = await runLakehouseInProcess(['validate', '--contract', join(dir, 'domain.yaml'), join(dir, 'data.csv')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/domain\.yaml:\d+:\d+: /);
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a missing data file, a missing --contract or a bad --ingest-time', async () => {
    expect((await runLakehouseInProcess(['validate', '--contract', 'contracts/sales/orders.yaml', 'nope.csv'])).status).toBe(2);
    expect((await runLakehouseInProcess(['validate', 'contracts/sales/samples/orders.csv'])).status).toBe(2);
    const badTime = await runLakehouseInProcess(['validate', '--contract', 'contracts/sales/orders.yaml', 'contracts/sales/samples/orders.csv', '--ingest-time', 'yesterday']);
    expect(badTime.status).toBe(2);
    expect(badTime.stderr).toMatch(/--ingest-time must be an ISO-8601 timestamp/);
  });

  it('exits 2 for an unknown --dataset, with a did-you-mean', async () => {
    const result = await runLakehouseInProcess(['validate', '--contract', 'contracts/sales/orders.yaml', 'contracts/sales/samples/orders.csv', '--dataset', 'order']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/has no dataset 'order'; did you mean 'orders'\?/);
  });

  it('exits 1 with a readable rule when the data file is not in the declared format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-format-'));
    const file = join(dir, 'orders.parquet');
    writeFileSync(file, 'not parquet');
    const result = await runLakehouseInProcess(['validate', '--contract', 'contracts/sales/orders.yaml', file, '--json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as ValidationReport;
    expect(report.rules).toEqual([expect.objectContaining({ kind: 'readable', passed: false })]);
    expect(report.rules[0]?.message).toMatch(/not what the contract declares/);
    expect(existsSync(file)).toBe(true);
  });
});

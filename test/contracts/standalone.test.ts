import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalog, checkContractFile, loadContractFile } from '../../lib/contracts/load.ts';
import { ContractError, formatProblem } from '../../lib/contracts/problems.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { runLakehouseInProcess } from '../cli/run-cli-in-process.ts';
import { SALES_DOMAIN, writeTree, yaml } from './helpers/contract-tree.ts';

/**
 * `lakehouse validate --contract <file>` on a contract anywhere (issue 13 item 9): no domain.yaml,
 * servers of any type or none. `contracts check` (and so synth) still asks for what deploying
 * needs, saying what to add.
 */

/** A contract as a producer writes it: its data lives in Postgres and behind HTTPS, not in the lakehouse's landing zone. */
const INVOICES = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: billing-invoices
  version: 1.0.0
  status: active
  domain: billing
  team:
    name: billing-platform
    members:
      - username: ops@billing.example.com
        role: owner
  servers:
    - server: billing-db
      type: postgres
      host: db.billing.internal
      port: 5432
      database: billing
      schema: public
    - server: exports
      type: https
      location: https://exports.example.com/billing/invoices.csv
  schema:
    - name: invoices
      properties:
        - name: invoice_no
          logicalType: string
          required: true
        - name: total
          logicalType: number
          logicalTypeOptions:
            minimum: 0
`;

/** Row 3 has no invoice number, row 4 a negative total, row 5 a total that is not a number. */
const INVOICES_CSV = 'invoice_no,total\nINV-1,10.50\nINV-2,0\n,3.00\nINV-4,-2\nINV-5,ten\n';

const INGEST_TIME = new Date('2026-01-15T12:00:00Z');

describe('validating with a contract that has no domain.yaml beside it', () => {
  it('reads a csv by its extension when the servers are postgres and https, with the domain and owner from the contract', async () => {
    const root = writeTree({ 'anywhere/invoices.yaml': INVOICES, 'anywhere/invoices.csv': INVOICES_CSV });
    const { domain, datasets } = loadContractFile(join(root, 'anywhere/invoices.yaml'), { fileFormat: 'csv' });
    expect(domain.name).toBe('billing');
    expect(domain.owner).toEqual({ team: 'billing-platform', email: 'ops@billing.example.com' });
    expect(datasets.map((dataset) => [dataset.names.ref, dataset.format])).toEqual([['billing/invoices', 'csv']]);

    const { report } = await validateFile({ dataset: datasets[0]!, file: join(root, 'anywhere/invoices.csv'), ingestTime: INGEST_TIME });
    expect(report).toMatchObject({ dataset: 'billing/invoices', passed: false, rowCount: 5 });
    expect(report.rules.map((rule) => [rule.id, rule.failedCount, rule.samples.map((sample) => sample.row)])).toEqual([
      ['invoice_no.required', 1, [3]],
      ['total.type', 1, [5]],
      ['total.minimum', 1, [4]],
    ]);
  });

  it("takes the folder's name for the domain when the contract names none, and reads an s3 server's format whatever its location", () => {
    const contract = INVOICES.replace('domain: billing\n', '').replace(
      /servers:[\s\S]*?\nschema:/,
      'servers:\n  - server: producer-bucket\n    type: s3\n    location: s3://acme-exports/invoices/\n    format: csv\nschema:',
    );
    const root = writeTree({ 'finance/invoices.yaml': contract });
    const { datasets } = loadContractFile(join(root, 'finance/invoices.yaml'), { fileFormat: 'json' });
    expect(datasets.map((dataset) => [dataset.names.ref, dataset.format])).toEqual([['finance/invoices', 'csv']]);
  });

  it('derives the domain as every lakehouse name is derived, from the contract or the folder', () => {
    const root = writeTree({
      'anywhere/invoices.yaml': INVOICES.replace('domain: billing', 'domain: Billing & Payments'),
      'Team Exports/invoices.yaml': INVOICES.replace('domain: billing\n', ''),
    });
    const refOf = (file: string) => loadContractFile(join(root, file), { fileFormat: 'csv' }).datasets[0]!.names.ref;
    expect(refOf('anywhere/invoices.yaml')).toBe('billing_payments/invoices');
    expect(refOf('Team Exports/invoices.yaml')).toBe('team_exports/invoices');
  });

  it('refuses a contract that says nothing about how to read files when the data file does not either', () => {
    const root = writeTree({ 'anywhere/invoices.yaml': INVOICES });
    expect(checkContractFile(join(root, 'anywhere/invoices.yaml')).problems).toEqual([]);
    expect(() => loadContractFile(join(root, 'anywhere/invoices.yaml'))).toThrowError(ContractError);
    try {
      loadContractFile(join(root, 'anywhere/invoices.yaml'));
    } catch (error) {
      expect((error as ContractError).problems.map(formatProblem)).toEqual([
        `${root}/anywhere/invoices.yaml:13:3: servers: nothing says how to read the data files: add 'format: csv' (or json, parquet) to a server of type s3, or give the data file a .csv, .jsonl or .parquet name`,
      ]);
    }
  });

  it("keeps using a domain.yaml beside the contract: its folder is the domain, its owner the fallback, and the contract's domain must match", () => {
    const withoutTeam = INVOICES.replace(/team:[\s\S]*?servers:/, 'servers:');
    const root = writeTree({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/invoices.yaml': withoutTeam,
      'sales/invoices_unnamed.yaml': withoutTeam.replace('domain: billing\n', ''),
    });
    expect(checkContractFile(join(root, 'sales/invoices.yaml')).problems.map(formatProblem)).toEqual([
      `${root}/sales/invoices.yaml:6:9: domain: 'billing' must equal the folder name 'sales'`,
    ]);
    const { domain } = loadContractFile(join(root, 'sales/invoices_unnamed.yaml'), { fileFormat: 'csv' });
    expect(domain.owner).toEqual({ team: 'sales-data-engineering', email: 'sales-data@example.com' });
    expect(domain.name).toBe('sales');
  });
});

describe('contracts check asks for what deploying needs', () => {
  it('refuses the same contract in a domain folder, saying to add domain.yaml and an s3 landing server', () => {
    const root = writeTree({ 'billing/invoices.yaml': INVOICES });
    expect(checkCatalog(root).problems.map((problem) => formatProblem(problem).slice(root.length + 1))).toEqual([
      `billing/invoices.yaml:1:1: ${root}/billing/domain.yaml is missing: every domain folder needs one for deploying; add it with 'domain: billing', 'owner' (team, email) and 'alerts' (emails)`,
      "billing/invoices.yaml:13:3: servers: deploying needs a server of type s3 saying how files land: add to servers '- server: landing', 'type: s3', 'location: s3://landing/billing/invoices/' and 'format: csv' (or json with 'delimiter: new_line', or parquet)",
    ]);
  });

  it('refuses an s3 server outside the landing prefix or without a format', () => {
    const contract = INVOICES.replace(
      /servers:[\s\S]*?\nschema:/,
      'servers:\n  - server: producer-bucket\n    type: s3\n    location: s3://acme-exports/invoices/\nschema:',
    );
    const root = writeTree({ 'billing/invoices.yaml': contract, 'billing/domain.yaml': SALES_DOMAIN.replace('domain: sales', 'domain: billing') });
    expect(checkCatalog(root).problems.map((problem) => formatProblem(problem).slice(root.length + 1))).toEqual([
      "billing/invoices.yaml:13:5: servers[0]: deploying needs the format files land in: add 'format: csv' (or json with 'delimiter: new_line', or parquet)",
      'billing/invoices.yaml:15:15: servers[0].location: must start with s3://landing/billing/ (the logical landing prefix; real bucket names are derived)',
    ]);
  });
});

describe('lakehouse validate --contract <standalone contract>', () => {
  it('exits 0 when the data keeps the contract, 1 when it breaks it, 2 when the contract does not load', async () => {
    const good = 'invoice_no,total\nINV-1,10.50\n';
    const root = writeTree({
      'anywhere/invoices.yaml': INVOICES,
      'anywhere/good.csv': good,
      'anywhere/bad.csv': INVOICES_CSV,
      'anywhere/broken.yaml': INVOICES.replace('logicalType: number', 'logicalType: numeric'),
    });
    const validate = (contract: string, data: string) =>
      runLakehouseInProcess(['validate', '--contract', join(root, 'anywhere', contract), join(root, 'anywhere', data), '--json']);

    const passed = await validate('invoices.yaml', 'good.csv');
    expect([passed.status, passed.stderr]).toEqual([0, '']);
    expect(JSON.parse(passed.stdout)).toMatchObject({ dataset: 'billing/invoices', passed: true, rowCount: 1 });
    const failed = await validate('invoices.yaml', 'bad.csv');
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ passed: false, rowCount: 5 });
    const refused = await validate('broken.yaml', 'good.csv');
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain("broken.yaml:29:22: schema[0].properties[1].logicalType: must be one of");
  });
});

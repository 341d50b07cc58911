import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const lake = mkdtempSync(join(tmpdir(), 'run-command-'));
const INGEST_TIME = ['--ingest-time', '2026-11-21T06:00:00Z'];

afterAll(() => {
  rmSync(lake, { recursive: true, force: true });
});

describe('lakehouse run', () => {
  it('runs a clean file through its pipeline and prints exactly one JSON document, progress on stderr', () => {
    const result = runLakehouse(['run', 'sales/orders', 'contracts/sales/samples/orders.csv', '--json', '--lake', lake, ...INGEST_TIME]);
    expect(result.status).toBe(0);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({
      status: 'SUCCEEDED',
      dataset: 'sales/orders',
      file: 's3://acme-dev-landing-111111111111-eu-west-1/sales/orders/orders.csv',
      fileId: expect.stringMatching(/^[0-9a-f]{24}$/),
      rowsLoaded: 36,
      rowsQuarantined: 0,
      reportKey: expect.stringMatching(/^reports\/sales\/orders\/2026\/11\/21\/orders\.csv-[0-9a-f]{24}\.json$/),
      table: '"acme_dev_sales"."orders"',
    });
    expect((document['states'] as { state: string }[]).map((visit) => visit.state).at(-1)).toBe('Loaded');
    expect(result.stderr).toMatch(/^▶ Validate$/m);
    expect(result.stderr).toMatch(/^✓ Load \d+ ms$/m);
  });

  it('exits 1 when the file broke its contract, saying it was quarantined and where the report is', async () => {
    const result = await runLakehouseInProcess(['run', 'sales/customers', 'contracts/sales/samples/customers.broken.csv', '--lake', lake, ...INGEST_TIME]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^sales\/customers: FAILED: the file broke its contract and was quarantined/);
    expect(result.stdout).toMatch(/^ {2}rows quarantined {2}25$/m);
    expect(result.stdout).toMatch(/^ {2}report {12}reports\/sales\/customers\/2026\/11\/21\/customers\.broken\.csv-[0-9a-f]{24}\.json$/m);
    expect(result.stderr).toMatch(/⚠ alert to acme-dev-sales-alerts: File rejected: sales\/customers/);
  });

  it('exits 2 for a dataset the contracts do not declare, suggesting the closest', async () => {
    const result = await runLakehouseInProcess(['run', 'sales/order', 'contracts/sales/samples/orders.csv', '--lake', lake]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no dataset 'sales\/order' in the contracts; did you mean 'sales\/orders'\?/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a missing file, an unknown environment, a malformed dataset or ingest time', async () => {
    const cases: [string[], RegExp][] = [
      [['run', 'sales/orders', 'no-such.csv'], /no such file: no-such\.csv/],
      [['run', 'sales/orders', 'contracts/sales/samples/orders.csv', '--env', 'qa'], /no environment 'qa' in cdk\.json \(it has: dev, staging, prod\)/],
      [['run', 'orders', 'contracts/sales/samples/orders.csv'], /'orders' is not <domain>\/<dataset>/],
      [['run', 'sales/orders'], /expected a dataset and a file, got 1 argument/],
      [['run', 'sales/orders', 'contracts/sales/samples/orders.csv', '--ingest-time', 'yesterday'], /--ingest-time must be an ISO-8601 timestamp/],
    ];
    for (const [args, message] of cases) {
      const result = await runLakehouseInProcess([...args, '--lake', lake]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/usage: lakehouse run <domain>\/<dataset> <file>/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const FIXTURE = 'test/cli/fixture/freshness';
const DELIVERY = ['--ingest-time', '2026-11-21T06:00:00Z'];

describe('freshness whose element names no column', () => {
  it('is refused by contracts check when the dataset has several timestamp columns, naming the elements that would work', async () => {
    const result = await runLakehouseInProcess(['contracts', 'check', FIXTURE]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "parcels/scans.yaml:22:5: slaProperties[0]: latency needs the column it is measured on: dataset 'scans' has several timestamp or date columns, so set element to one of scans.scanned_at, scans.delivered_at",
    );
    expect(result.stdout).not.toContain('depots.yaml');
  });

  it('makes validate refuse the contract with the same reason instead of throwing', async () => {
    const result = await runLakehouseInProcess(['validate', '--contract', `${FIXTURE}/parcels/scans.yaml`, `${FIXTURE}/parcels/scans.csv`, ...DELIVERY]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/scans\.yaml:22:5: slaProperties\[0\]: latency needs the column it is measured on/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('is measured on the only date column when there is no timestamp column', async () => {
    const result = await runLakehouseInProcess(['validate', '--contract', `${FIXTURE}/parcels/depots.yaml`, `${FIXTURE}/parcels/depots.csv`, ...DELIVERY, '--json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { rules: { id: string; passed: boolean }[] };
    expect(report.rules.find((rule) => rule.id === 'freshness')).toMatchObject({ passed: true });
  });
});

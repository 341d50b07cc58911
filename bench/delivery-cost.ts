/**
 * Issue 8, item 10: what a small delivery costs once the table is large. A generated export of
 * `tableRows` valid orders is loaded into an empty `sales/orders` table, then the 36-row sample
 * `orders.csv` (new keys) into that table, each through the real offline pipeline in a child
 * process of its own. A load's wall time, memory and bytes written should follow the delivery,
 * not the table.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeliveryRequest, DeliveryResult } from './delivery-measurement.ts';
import { ensureSilverOrdersFile, SILVER_INGEST_TIME } from './silver-orders-data.ts';

const RUNNER = fileURLToPath(new URL('./run-delivery.ts', import.meta.url));
const DATA_DIRECTORY = fileURLToPath(new URL('./data/', import.meta.url));
const MIB = 1024 * 1024;

function deliverInChild(request: DeliveryRequest): Promise<DeliveryResult> {
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [JSON.stringify(request)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let result: DeliveryResult | undefined;
    child.on('message', (message) => {
      result = message as DeliveryResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`the delivery of ${request.file} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

function megabytes(bytes: number): string {
  return bytes < MIB ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}

/** Table rows: the delivery, its wall time, memory and bytes written. */
export async function deliveryCost(repo: string, tableRows: number, progress: (line: string) => void): Promise<string[][]> {
  progress(`generating ${tableRows.toLocaleString('en-US')} orders (bench/data/, reused when present)`);
  const generatedExport = await ensureSilverOrdersFile(DATA_DIRECTORY, tableRows);
  const workspace = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  try {
    const deliveries = [
      { label: `${tableRows.toLocaleString('en-US')}-row export into an empty table`, file: generatedExport },
      { label: '36-row sample into that table', file: join(repo, 'contracts/sales/samples/orders.csv') },
    ];
    const rows: string[][] = [];
    for (const delivery of deliveries) {
      progress(`delivering ${delivery.label}`);
      const result = await deliverInChild({
        projectRoot: repo,
        workspace,
        dataset: 'sales/orders',
        file: delivery.file,
        ingestTime: SILVER_INGEST_TIME.toISOString(),
      });
      if (result.status !== 'SUCCEEDED') throw new Error(`${delivery.label}: the pipeline ended ${result.status} (${result.failure ?? ''})`);
      rows.push([
        delivery.label,
        `${result.rowsLoaded.toLocaleString('en-US')} / ${result.totalRows.toLocaleString('en-US')}`,
        `${result.seconds.toFixed(2)} s`,
        `${result.peakRssMb.toFixed(0)} MiB${result.peakOfRunOnly ? '' : ' (process)'} (from ${result.baselineRssMb.toFixed(0)})`,
        megabytes(result.bytesWritten),
        megabytes(result.tableBytes),
      ]);
    }
    return rows;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

export const DELIVERY_COST_HEADERS = ['DELIVERY', 'ROWS LOADED / IN TABLE', 'WALL', 'PEAK RSS', 'WRITTEN', 'TABLE DATA'];

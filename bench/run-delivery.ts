/**
 * One delivery through the offline pipeline, in a process of its own so its memory is its own:
 * started by bench/pipeline.ts with a `DeliveryRequest` (JSON) as first argument, it sends a
 * `DeliveryResult` back over IPC. The app is synthesized and the runtime started before the clock
 * and the peak RSS are reset, so the figures are the run's.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openOfflineEnvironment } from '../lib/cli/offline-environment.ts';
import { pipelineStateMachineName, silverTableName } from '../lib/config/names.ts';
import { LocalPipelineRuntime } from '../lib/local/runtime/pipeline-runtime.ts';
import { stateMachineNamed } from '../lib/local/runtime/synthesized-environment.ts';
import type { DeliveryRequest, DeliveryResult } from './delivery-measurement.ts';

const MIB = 1024 * 1024;

/** Sizes of the Parquet files under a table's `data/`, by relative name. */
function dataFiles(tablePath: string): Map<string, number> {
  const directory = join(tablePath, 'data');
  const files = new Map<string, number>();
  const walk = (folder: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.parquet')) files.set(`data/${prefix}${entry.name}`, statSync(path).size);
    }
  };
  walk(directory, '');
  return files;
}

/** Linux lets a process reset its peak RSS (`VmHWM`) by writing 5 to `/proc/self/clear_refs`. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssMb(resettable: boolean): number {
  if (resettable) {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) / 1024;
  }
  return (process.resourceUsage().maxRSS * 1024) / MIB;
}

const request = JSON.parse(process.argv[2]!) as DeliveryRequest;
const runtime = await LocalPipelineRuntime.start({
  projectRoot: request.projectRoot,
  workspace: request.workspace,
  synthesized: openOfflineEnvironment({ projectRoot: request.projectRoot, environment: 'dev' }),
});
try {
  const dataset = runtime.dataset(request.dataset);
  // Synthesizes the app now, so the run's figures do not include it.
  await stateMachineNamed(runtime.environment, pipelineStateMachineName(runtime.environment.identity, dataset));
  const database = runtime.database(dataset);
  const table = silverTableName(dataset);
  const tablePath = runtime.lake.tableDirectory(database, table);
  const before = dataFiles(tablePath);
  const resettable = resetPeakRss();
  const baselineRssMb = process.memoryUsage().rss / MIB;
  const started = performance.now();
  const run = await runtime.run(request.dataset, request.file, { ingestTime: new Date(request.ingestTime) });
  const seconds = (performance.now() - started) / 1000;
  const peak = peakRssMb(resettable);
  const after = dataFiles(tablePath);
  const snapshot = runtime.lake.currentSnapshot(database, table);
  const result: DeliveryResult = {
    status: run.status,
    ...(run.error === undefined ? {} : { failure: `${run.error}: ${run.cause ?? ''}` }),
    rowsLoaded: run.rowsLoaded,
    totalRows: snapshot.summary.totalRows,
    seconds,
    baselineRssMb,
    peakRssMb: peak,
    peakOfRunOnly: resettable,
    bytesWritten: [...after].filter(([name]) => !before.has(name)).reduce((sum, [, size]) => sum + size, 0),
    tableBytes: snapshot.files.reduce((sum, file) => sum + (after.get(file) ?? 0), 0),
  };
  process.send!(result);
} finally {
  await runtime.close();
}

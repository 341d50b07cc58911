/**
 * One run of one measurement, in a process of its own so its peak RSS is its own: started by
 * bench/validate.ts, it reads a `MeasurementRequest` (JSON) from its first argument and sends a
 * `MeasurementResult` back over IPC.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../lib/contracts/model.ts';
import { openSource } from '../lib/validation/read/open-source.ts';
import { openDuckDb } from '../lib/validation/run-validation.ts';
import { validateFile } from '../lib/validation/validate-file.ts';
import { benchDataset } from './bench-dataset.ts';
import type { RuleMetrics } from './hand-written-metrics.ts';
import type { MeasurementRequest, MeasurementResult, ValidationOutcome } from './measurement.ts';
import { generatedMetrics, handWrittenMetrics } from './metrics-queries.ts';
import { INGEST_TIME } from './orders-data.ts';

interface Timed<T> {
  readonly seconds: number;
  readonly value: T;
}

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** Opens the file as validateFile does; the name of the relation holding its rows. */
async function openedRelation(connection: DuckDBConnection, dataset: Dataset, file: string): Promise<string> {
  const opened = await openSource(connection, dataset, file);
  if (!opened.ok) throw new Error(`${file} cannot be read: ${opened.failure.message}`);
  return opened.relation;
}

async function timeMetricsQuery(
  connection: DuckDBConnection,
  request: MeasurementRequest,
  dataset: Dataset,
): Promise<Timed<RuleMetrics>> {
  const relationName = await openedRelation(connection, dataset, request.file);
  if (request.kind === 'handWritten') return timed(() => handWrittenMetrics(connection, relationName, request.format));
  const { seconds, value } = await timed(() => generatedMetrics(connection, dataset, relationName));
  return { seconds, value: value.ruleMetrics };
}

async function timeValidation(request: MeasurementRequest, dataset: Dataset, scratch: string): Promise<Timed<ValidationOutcome>> {
  // A fixed file id, as the Lambda passes one: hashing the file is the CLI's cost, not validation's.
  const { seconds, value } = await timed(() =>
    validateFile({ dataset, file: request.file, ingestTime: INGEST_TIME, outDir: join(scratch, 'out'), fileId: 'bench', scratchDirectory: scratch }),
  );
  const { report } = value;
  const failures = Object.fromEntries(report.rules.filter((rule) => !rule.passed).map((rule) => [rule.id, rule.failedCount]));
  return { seconds, value: { rowCount: report.rowCount, rowsPassed: report.rowsPassed, rowsQuarantined: report.rowsQuarantined, failures } };
}

async function measure(request: MeasurementRequest, scratch: string): Promise<MeasurementResult> {
  const dataset = benchDataset(request.format);
  if (request.kind === 'validate') {
    const { seconds, value } = await timeValidation(request, dataset, scratch);
    return { seconds, peakRssMb: peakRssMb(), validation: value };
  }
  // Set up as validateFile sets up its own, so the query-only runs compare with it.
  const { instance, connection } = await openDuckDb(scratch, undefined, { files: [request.file] });
  try {
    if (request.kind === 'parse') {
      const { seconds } = await timed(() => openedRelation(connection, dataset, request.file));
      return { seconds, peakRssMb: peakRssMb() };
    }
    const { seconds, value } = await timeMetricsQuery(connection, request, dataset);
    return { seconds, peakRssMb: peakRssMb(), ruleMetrics: [...value] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `maxRSS` is in KiB. */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

const send = process.send?.bind(process);
if (send === undefined) throw new Error('bench/run-measurement.ts runs as a child of bench/validate.ts (it reports over IPC)');
const request = JSON.parse(process.argv[2] ?? '') as MeasurementRequest;
const scratch = await mkdtemp(join(tmpdir(), 'bench-validate-'));
try {
  const result = await measure(request, scratch);
  await new Promise<void>((resolve, reject) => send(result, (error: Error | null) => (error ? reject(error) : resolve())));
} finally {
  await rm(scratch, { recursive: true, force: true });
}
process.disconnect();

import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../contracts/model.ts';
import { duckdb } from '../sql/duckdb.ts';
import { contentFileId } from './content-file-id.ts';
import { notEvaluatedRules } from './derive-rules.ts';
import type { Disposition } from './disposition.ts';
import { notEvaluatedResult } from './not-evaluated.ts';
import { openSource } from './read/open-source.ts';
import type { ReadFailure } from './read/read-failure.ts';
import { unmeasuredRuleResult, type ValidationReport } from './report.ts';
import { openDuckDb, runValidationQueries, type RowSplit } from './run-validation.ts';

export interface ValidateFileOptions {
  readonly dataset: Dataset;
  /** The local file to read. */
  readonly file: string;
  /** How the report names the file (an `s3://` URI in the cloud). @default file */
  readonly displayName?: string;
  /** When the file arrived; freshness is measured against it. */
  readonly ingestTime: Date;
  /** Where to write `validated.parquet` and the quarantined rows or file; nothing is written without it. */
  readonly outDir?: string;
  /** The `file_id` every output row carries: a delivery's `deliveryFileId`. @default `contentFileId`, a hash of the file's bytes */
  readonly fileId?: string;
  /** DuckDB's home, extension and spill directories go under it (Lambda can only write /tmp). @default os.tmpdir() */
  readonly scratchDirectory?: string;
  /** DuckDB's memory limit. @default DEFAULT_MEMORY_LIMIT ('200MB'), which keeps a 5M-row validation under 512 MB of memory */
  readonly memoryLimit?: string;
}

export interface ValidatedOutputs {
  /** Typed passing rows plus `file_id` and `_row`; written unless the whole file is quarantined. */
  readonly validated?: string;
  /** Quarantined rows as delivered plus `_row`, `_violations` and `file_id`, under `quarantine-rows`. */
  readonly quarantinedRows?: string;
  /** A copy of the file as delivered, when it is quarantined whole. */
  readonly quarantinedFile?: string;
}

export interface FileValidation {
  readonly report: ValidationReport;
  readonly outputs: ValidatedOutputs;
}

const relationName = 'source_rows';

/**
 * The report of a file that could not be read, or whose columns are not the contract's: that one
 * failed rule, then the rules nothing evaluates, which every report lists.
 */
export function unreadableReport(
  dataset: Dataset,
  file: string,
  failure: ReadFailure,
  startedAt: Date,
): ValidationReport {
  const where = failure.line === undefined || failure.message.includes(`line ${failure.line}`) ? '' : `line ${failure.line}: `;
  return {
    reportVersion: 1,
    dataset: dataset.names.ref,
    contractId: dataset.contract.id,
    contractVersion: dataset.contract.version,
    file,
    passed: false,
    rowCount: 0,
    rowsPassed: 0,
    rowsQuarantined: 0,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    rules: [
      unmeasuredRuleResult({
        id: failure.kind,
        kind: failure.kind,
        column: null,
        severity: 'error',
        status: 'failed',
        message: `${where}${failure.message}`,
      }),
      ...notEvaluatedRules(dataset).map(notEvaluatedResult),
    ],
  };
}

async function copyRows(connection: DuckDBConnection, query: string, fileId: string, target: string): Promise<number> {
  const withFileId = `SELECT * EXCLUDE (_row), ${duckdb.string(fileId)} AS file_id, _row FROM (\n${query}\n) AS selected`;
  const result = await connection.run(`COPY (${withFileId}) TO ${duckdb.string(target)} (FORMAT parquet)`);
  return result.rowsChanged;
}

async function quarantineWholeFile(file: string, outDir: string): Promise<ValidatedOutputs> {
  const quarantinedFile = join(outDir, 'quarantine', basename(file));
  await mkdir(dirname(quarantinedFile), { recursive: true });
  try {
    await copyFile(file, quarantinedFile);
  } catch (error) {
    // A file that is not there has nothing to quarantine; its report says it was unreadable.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return { quarantinedFile };
}

/**
 * Writes the rows where the disposition puts them; the counts are those the writes report. No
 * quarantine file is left when no row is quarantined (a failed rule can have no failing row).
 */
async function writeOutputs(
  connection: DuckDBConnection,
  disposition: Disposition,
  rowCount: number,
  target: { readonly file: string; readonly outDir: string; readonly fileId: string },
): Promise<{ outputs: ValidatedOutputs; split: RowSplit }> {
  const { file, outDir, fileId } = target;
  await mkdir(outDir, { recursive: true });
  if (disposition.wholeFile) return { outputs: await quarantineWholeFile(file, outDir), split: { rowsPassed: 0, rowsQuarantined: rowCount } };
  const validated = join(outDir, 'validated.parquet');
  const rowsPassed = await copyRows(connection, disposition.passingRowsQuery, fileId, validated);
  if (disposition.knownQuarantinedRows === 0) return { outputs: { validated }, split: { rowsPassed, rowsQuarantined: 0 } };
  const quarantinedRows = join(outDir, 'quarantine.parquet');
  const rowsQuarantined = await copyRows(connection, disposition.quarantinedRowsQuery, fileId, quarantinedRows);
  if (rowsQuarantined === 0) {
    await rm(quarantinedRows);
    return { outputs: { validated }, split: { rowsPassed, rowsQuarantined } };
  }
  return { outputs: { validated, quarantinedRows }, split: { rowsPassed, rowsQuarantined } };
}

/**
 * Validates one file against its dataset's contract in a fresh DuckDB instance (a DuckDB
 * internal error can leave an instance unusable, so none is shared between files), and with
 * `outDir` writes where its rows go: typed passing rows to `validated.parquet`, quarantined rows
 * to `quarantine.parquet`, or the whole file, as delivered, to `quarantine/<name>`.
 */
export async function validateFile(options: ValidateFileOptions): Promise<FileValidation> {
  const startedAt = new Date();
  const { dataset, file, outDir } = options;
  const displayName = options.displayName ?? file;
  const scratch = await mkdtemp(join(options.scratchDirectory ?? tmpdir(), 'validate-'));
  const access = { files: [resolve(file)], directories: outDir === undefined ? [] : [resolve(outDir)] };
  const { instance, connection } = await openDuckDb(scratch, options.memoryLimit, access);
  try {
    const opened = await openSource(connection, dataset, file, { relationName });
    if (!opened.ok) {
      const report = unreadableReport(dataset, displayName, opened.failure, startedAt);
      return { report, outputs: outDir === undefined ? {} : await quarantineWholeFile(file, outDir) };
    }
    let outputs: ValidatedOutputs = {};
    const writeRowsTo = (directory: string) => async (disposition: Disposition, rowCount: number): Promise<RowSplit> => {
      const fileId = options.fileId ?? (await contentFileId(file));
      const written = await writeOutputs(connection, disposition, rowCount, { file, outDir: directory, fileId });
      outputs = written.outputs;
      return written.split;
    };
    const run = await runValidationQueries(connection, dataset, opened.relation, {
      ingestTime: options.ingestTime,
      file: displayName,
      startedAt,
      ...(outDir !== undefined && { splitRows: writeRowsTo(outDir) }),
    });
    return { report: run.report, outputs };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

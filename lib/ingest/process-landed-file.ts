import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Uri } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { wasEvaluated } from '../validation/not-evaluated.ts';
import type { RuleKind, ValidationReport } from '../validation/report.ts';
import { type ValidatedOutputs, validateFile } from '../validation/validate-file.ts';
import { deliveryFileId, type LandedObject, sourceIdOf } from './delivery-file-id.ts';
import type { LandedFileEvent } from './landed-file-event.ts';
import {
  type DeliveredFile,
  ingestDateOf,
  ingestedAtOf,
  landedFileName,
  quarantinedFileKey,
  quarantinedRowsKey,
  quarantineReportKey,
  reportKey,
  validatedKey,
} from './layout.ts';
import { tagLandedFile } from './landed-file-retention.ts';
import { retentionTagging } from './retention-tagging.ts';
import { copyObject, downloadObject, headObject, putText, uploadFile } from './s3-objects.ts';

/** The environment's zone buckets the validator reads and writes. */
export interface ZoneBuckets {
  readonly landing: string;
  readonly validated: string;
  readonly quarantine: string;
  readonly audit: string;
}

export interface FailedRule {
  readonly id: string;
  readonly kind: RuleKind;
  readonly column: string | null;
  readonly failedCount: number;
}

/** What the state machine receives: enough to branch, alert and load without reading the report. */
export interface ValidationOutcome {
  readonly passed: boolean;
  readonly fileId: string;
  /** Shared by every version of the landing key (`sourceIdOf`). */
  readonly sourceId: string;
  /** `yyyy-mm-dd`, UTC. */
  readonly ingestDate: string;
  /** The landing event's time, UTC, `yyyy-mm-dd hh:mm:ss.sss` (`ingestedAtOf`): orders deliveries of one key. */
  readonly ingestedAt: string;
  readonly rowCount: number;
  readonly rowsPassed: number;
  readonly rowsQuarantined: number;
  /** Key of the report in the audit bucket. */
  readonly reportKey: string;
  /** Key of the passing rows' Parquet in the validated bucket; null when no row passed. */
  readonly validatedKey: string | null;
  /** Rules that did not pass, warnings included. */
  readonly failedRules: readonly FailedRule[];
}

export interface ProcessedFile {
  readonly outcome: ValidationOutcome;
  readonly report: ValidationReport;
  /**
   * Why the landed file could not be tagged with its retention class; undefined when it was. Such
   * a file never expires: kept longer than its contract asks, but never lost.
   */
  readonly landedFileUntagged?: string;
}

export interface ProcessLandedFileOptions {
  readonly s3: S3Client;
  readonly dataset: Dataset;
  readonly buckets: ZoneBuckets;
  readonly event: LandedFileEvent;
  /** Where the file is downloaded and DuckDB spills (Lambda can only write /tmp). @default os.tmpdir() */
  readonly scratchDirectory?: string;
}

const PARQUET = 'application/vnd.apache.parquet';
const JSON_TYPE = 'application/json';

/** The landed revision and the time of its landing: from the event, else from `HeadObject`. */
async function identify(s3: S3Client, event: LandedFileEvent): Promise<{ object: LandedObject; eventTime: Date }> {
  const { bucket, key } = event;
  if (event.versionId !== undefined && event.eventTime !== undefined) {
    return { object: { bucket, key, versionId: event.versionId }, eventTime: new Date(event.eventTime) };
  }
  const head = await headObject(s3, event);
  const versionId = event.versionId ?? head.versionId;
  const eventTime = event.eventTime !== undefined ? new Date(event.eventTime) : head.lastModified;
  if (eventTime === undefined) throw new Error(`${s3Uri(bucket, key)}: no event time given and HeadObject returned no LastModified`);
  return {
    object: { bucket, key, ...(versionId !== undefined && { versionId }), ...(head.etag !== undefined && { etag: head.etag }) },
    eventTime,
  };
}

function failedRules(report: ValidationReport): FailedRule[] {
  return report.rules
    .filter((rule) => !rule.passed && wasEvaluated(rule))
    .map(({ id, kind, column, failedCount }) => ({ id, kind, column, failedCount }));
}

/** Writes where the rows went; returns the validated key, or null when no row passed. */
async function writeOutputs(
  options: ProcessLandedFileOptions,
  object: LandedObject,
  delivered: DeliveredFile,
  validation: { readonly report: ValidationReport; readonly outputs: ValidatedOutputs },
  reportJson: string,
): Promise<string | null> {
  const { s3, buckets, dataset } = options;
  const { report, outputs } = validation;
  const tagging = retentionTagging(dataset);

  let validated: string | null = null;
  if (report.rowsPassed > 0) {
    if (outputs.validated === undefined) throw new Error(`${report.file}: ${report.rowsPassed} rows passed but no validated output was written`);
    validated = validatedKey(delivered);
    await uploadFile(s3, { bucket: buckets.validated, key: validated }, outputs.validated, { contentType: PARQUET, tagging });
  }

  if (outputs.quarantinedFile !== undefined) {
    await copyObject(s3, object, { bucket: buckets.quarantine, key: quarantinedFileKey(delivered) }, tagging);
  } else if (outputs.quarantinedRows !== undefined) {
    await uploadFile(s3, { bucket: buckets.quarantine, key: quarantinedRowsKey(delivered) }, outputs.quarantinedRows, {
      contentType: PARQUET,
      tagging,
    });
  }
  if (outputs.quarantinedFile !== undefined || outputs.quarantinedRows !== undefined) {
    await putText(s3, { bucket: buckets.quarantine, key: quarantineReportKey(delivered) }, reportJson, { contentType: JSON_TYPE, tagging });
  }
  return validated;
}

/**
 * Validates one landed file against its dataset's contract and writes the outcome to the zones:
 * passing rows as typed Parquet to the validated zone, failures to the quarantine zone next to a
 * copy of the report, and the report to the audit zone, written last so that a report means
 * every other output exists. Every key is derived from the delivery (its file id and ingest
 * date), so a retry or replay overwrites its own outputs and never adds more. The landed object's
 * bytes are only read; once every output exists, its version is tagged with its contract's
 * retention class. That tag is housekeeping: failing to write it fails nothing and keeps the file.
 */
export async function processLandedFile(options: ProcessLandedFileOptions): Promise<ProcessedFile> {
  const { s3, dataset, buckets, event } = options;
  if (event.bucket !== buckets.landing) {
    throw new Error(`${s3Uri(event.bucket, event.key)} is not in the landing bucket '${buckets.landing}'`);
  }
  const fileName = landedFileName(dataset, event.key);
  const { object, eventTime } = await identify(s3, event);
  const delivered: DeliveredFile = { dataset, fileName, fileId: deliveryFileId(object), ingestDate: ingestDateOf(eventTime) };

  const scratch = await mkdtemp(join(options.scratchDirectory ?? tmpdir(), 'landed-'));
  try {
    // The extension picks the reader, so the local copy keeps the delivered name.
    const file = join(scratch, fileName);
    await downloadObject(s3, object, file);
    const validation = await validateFile({
      dataset,
      file,
      displayName: s3Uri(event.bucket, event.key),
      ingestTime: eventTime,
      outDir: join(scratch, 'out'),
      fileId: delivered.fileId,
      ...(options.scratchDirectory !== undefined && { scratchDirectory: options.scratchDirectory }),
    });
    const { report } = validation;
    if (report.rowCount !== report.rowsPassed + report.rowsQuarantined) {
      throw new Error(`${report.file}: rows in (${report.rowCount}) != rows passed (${report.rowsPassed}) + rows quarantined (${report.rowsQuarantined})`);
    }
    const reportJson = `${JSON.stringify(report, null, 2)}\n`;
    const validated = await writeOutputs(options, object, delivered, validation, reportJson);
    const auditKey = reportKey(delivered);
    await putText(s3, { bucket: buckets.audit, key: auditKey }, reportJson, { contentType: JSON_TYPE, tagging: retentionTagging(dataset) });
    const landedFileUntagged = await tagLandedFile(s3, object, dataset).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    );
    return {
      report,
      ...(landedFileUntagged !== undefined && { landedFileUntagged }),
      outcome: {
        passed: report.passed,
        fileId: delivered.fileId,
        sourceId: sourceIdOf(object),
        ingestDate: delivered.ingestDate,
        ingestedAt: ingestedAtOf(eventTime),
        rowCount: report.rowCount,
        rowsPassed: report.rowsPassed,
        rowsQuarantined: report.rowsQuarantined,
        reportKey: auditKey,
        validatedKey: validated,
        failedRules: failedRules(report),
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

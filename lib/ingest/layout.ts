/**
 * Object keys in the zones, derived in one place (DESIGN.md "Public interfaces": landing layout
 * and report paths are promises to users and their scripts). The validator's IAM policy is built
 * from the same prefixes, so a key and the permission to write it cannot drift apart.
 */
import { validatedPrefix } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';

type DatasetIdentity = Pick<Dataset, 'domain' | 'names'>;

/** One delivery of a file, as every key of its outputs names it. */
export interface DeliveredFile {
  readonly dataset: DatasetIdentity;
  /** The last segment of the landing key. */
  readonly fileName: string;
  readonly fileId: string;
  /** `yyyy-mm-dd`, UTC. */
  readonly ingestDate: string;
}

/** `<domain>/<dataset>/<any sub-path>/<file>` in the landing zone. */
export interface LandingKey {
  readonly domain: string;
  readonly dataset: string;
  readonly fileName: string;
}

/** The name becomes a local path segment: '.' and '..' would leave the scratch directory. */
function isFileName(name: string | undefined): name is string {
  return name !== undefined && name !== '' && name !== '.' && name !== '..';
}

/** Splits a landing key into domain, dataset and file name; throws saying what is wrong. */
export function parseLandingKey(key: string): LandingKey {
  const parts = key.split('/');
  const [domain, dataset] = parts;
  const fileName = parts.at(-1);
  if (parts.length < 3 || !domain || !dataset) {
    throw new Error(`landing key '${key}' is not <domain>/<dataset>/<file>`);
  }
  if (!isFileName(fileName)) throw new Error(`landing key '${key}' does not end in a file name`);
  return { domain, dataset, fileName };
}

/**
 * The file name of a landing key under the dataset's landing prefix
 * (`<domain>/<dataset>/<any sub-path>/<file>`); throws when the key belongs elsewhere.
 */
export function landedFileName(dataset: DatasetIdentity, key: string): string {
  const prefix = dataset.names.landingPrefix;
  if (!key.startsWith(prefix)) {
    throw new Error(`landing key '${key}' is not under '${prefix}', the landing prefix of ${dataset.names.ref}`);
  }
  const fileName = key.slice(prefix.length).split('/').at(-1);
  if (!isFileName(fileName)) throw new Error(`landing key '${key}' does not end in a file name`);
  return fileName;
}

/** `yyyy-mm-dd` of an instant in UTC: the ingest date of a file is the date of its landing event. */
export function ingestDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/**
 * `yyyy-mm-dd hh:mm:ss.sss` of an instant in UTC: the landing event's time as the load writes it
 * into silver. The form a SQL `TIMESTAMP '...'` literal reads the same in Athena and DuckDB.
 */
export function ingestedAtOf(instant: Date): string {
  return instant.toISOString().slice(0, 23).replace('T', ' ');
}

function datePath(ingestDate: string): string {
  return ingestDate.replaceAll('-', '/');
}

/** Audit zone prefix holding every report of a dataset. */
export function reportPrefix(dataset: DatasetIdentity): string {
  return `reports/${dataset.names.ref}/`;
}

/** Audit zone: `reports/<domain>/<dataset>/<yyyy>/<mm>/<dd>/<file>-<file_id>.json`. */
export function reportKey(file: DeliveredFile): string {
  return `${reportPrefix(file.dataset)}${datePath(file.ingestDate)}/${file.fileName}-${file.fileId}.json`;
}

/**
 * Audit zone prefix holding every OpenLineage event of one job: a dataset's pipeline, named by its
 * silver table, or a model's build, named by its gold table. Tables of one domain share a Glue
 * database, so a job's table names it uniquely within its domain.
 */
export function lineagePrefix(domain: string, table: string): string {
  return `lineage/${domain}/${table}/`;
}

/** What names one lineage event of a run. */
export interface LineageEventOfRun {
  /** `yyyy-mm-dd`, UTC: the day the run started, so every event of a run lands in one folder. */
  readonly startDate: string;
  readonly runId: string;
  /** `START`, `COMPLETE`, `FAIL`, ...: OpenLineage's `eventType`. */
  readonly eventType: string;
}

/** `<yyyy>/<mm>/<dd>`: the folder of a run's lineage events, the day it started. */
export function lineageDayFolder(startDate: string): string {
  return datePath(startDate);
}

/** Audit zone: `lineage/<domain>/<table>/<yyyy>/<mm>/<dd>/<run id>-<event type>.json`. */
export function lineageEventKey(domain: string, table: string, event: LineageEventOfRun): string {
  return `${lineagePrefix(domain, table)}${lineageDayFolder(event.startDate)}/${event.runId}-${event.eventType}.json`;
}

/** Validated zone: typed Parquet of passing rows, partitioned by ingest date, one object per delivery. */
export function validatedKey(file: DeliveredFile): string {
  return `${validatedPrefix(file.dataset)}ingest_date=${file.ingestDate}/${file.fileId}.parquet`;
}

/** Quarantine zone prefix holding everything a dataset ever quarantined. */
export function quarantineDatasetPrefix(dataset: DatasetIdentity): string {
  return `${dataset.names.ref}/`;
}

/** Quarantine zone: one folder per delivery, holding the failed file or rows next to a copy of the report. */
export function quarantinePrefix(file: DeliveredFile): string {
  return `${quarantineDatasetPrefix(file.dataset)}${datePath(file.ingestDate)}/${file.fileId}/`;
}

/** The whole file as delivered; in its own folder so no delivered name can collide with the report or rows. */
export function quarantinedFileKey(file: DeliveredFile): string {
  return `${quarantinePrefix(file)}delivered/${file.fileName}`;
}

/** The failing rows as delivered, with `_row`, `_violations` and `file_id`. */
export function quarantinedRowsKey(file: DeliveredFile): string {
  return `${quarantinePrefix(file)}rows.parquet`;
}

export function quarantineReportKey(file: DeliveredFile): string {
  return `${quarantinePrefix(file)}report.json`;
}

/**
 * Reads every validation report of the catalog's datasets from an audit zone, wherever it is: the
 * local lake's audit bucket (on the local S3 server) or an S3 prefix in AWS (`--from`). Reports live
 * under `reports/<domain>/<dataset>/...` of the zone (`reportPrefix`, where the validator writes them).
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ValidationReport } from '../validation/report.ts';
import type { DocsDataset } from './catalog-model.ts';

/** Every key the validator writes under a report prefix ends so (`reportKey`); it writes nothing else there. */
const REPORT_SUFFIX = '.json';

export interface AuditZone {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Where the zone starts in the bucket: `''`, or a prefix ending in `/`. */
  readonly prefix: string;
}

export interface ReadReports {
  /** `<domain>/<dataset>` -> its reports, in listing order. */
  readonly reports: ReadonlyMap<string, readonly ValidationReport[]>;
  /** Objects under a report prefix that are not a report of that dataset: `s3://bucket/key: why`. */
  readonly problems: readonly string[];
}

function isReportOf(value: unknown, ref: string): value is ValidationReport {
  const report = value as Partial<ValidationReport> | null;
  return (
    typeof report === 'object' &&
    report !== null &&
    report.reportVersion === 1 &&
    report.dataset === ref &&
    typeof report.startedAt === 'string' &&
    typeof report.rowCount === 'number' &&
    Array.isArray(report.rules)
  );
}

async function listKeys(zone: AuditZone, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await zone.s3.send(new ListObjectsV2Command({ Bucket: zone.bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys;
}

async function readText(zone: AuditZone, key: string): Promise<string> {
  const response = await zone.s3.send(new GetObjectCommand({ Bucket: zone.bucket, Key: key }));
  return response.Body!.transformToString('utf8');
}

export async function readValidationReports(zone: AuditZone, datasets: readonly DocsDataset[]): Promise<ReadReports> {
  const reports = new Map<string, ValidationReport[]>();
  const problems: string[] = [];
  for (const dataset of datasets) {
    const found: ValidationReport[] = [];
    const keys = await listKeys(zone, `${zone.prefix}${dataset.reportPrefix}`);
    for (const key of keys) {
      const where = `s3://${zone.bucket}/${key}`;
      // Not read: whatever it holds, it is no report, and it may be large.
      if (!key.endsWith(REPORT_SUFFIX)) {
        problems.push(`${where}: not a report: the validator writes only ${REPORT_SUFFIX} objects under reports/`);
        continue;
      }
      let report: unknown;
      try {
        report = JSON.parse(await readText(zone, key));
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        problems.push(`${where}: not JSON (${error.message})`);
        continue;
      }
      if (isReportOf(report, dataset.ref)) found.push(report);
      else problems.push(`${where}: not a version 1 validation report of ${dataset.ref}`);
    }
    reports.set(dataset.ref, found);
  }
  return { reports, problems };
}

/**
 * What the quarantine zone holds, delivery by delivery: `lakehouse quarantine list` reads it and
 * `quarantine release` starts from it. Each quarantined delivery has a folder
 * `<domain>/<dataset>/<yyyy>/<mm>/<dd>/<file_id>/` holding a copy of its report (see
 * `lib/ingest/layout.ts`); its id is its `file_id`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Dataset } from '../../contracts/model.ts';
import { quarantineDatasetPrefix } from '../../ingest/layout.ts';
import { wasEvaluated } from '../../validation/not-evaluated.ts';
import type { ValidationReport } from '../../validation/report.ts';
import { listKeys, readJsonObject } from './zone-objects.ts';

export interface QuarantinedDelivery {
  /** The delivery's `file_id`: what `quarantine release` takes. */
  readonly fileId: string;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  /** The landed file, `s3://<landing bucket>/<key>`. */
  readonly file: string;
  /** `yyyy-mm-dd`. */
  readonly ingestDate: string;
  readonly rowCount: number;
  readonly rowsQuarantined: number;
  /** Ids of the rules that did not pass, errors first. */
  readonly failedRules: readonly string[];
  readonly contractVersion: string;
  /** The report copy in the quarantine zone. */
  readonly reportKey: string;
}

/** After the dataset prefix: `<yyyy>/<mm>/<dd>/<file_id>/report.json`, as `quarantineReportKey` writes it. */
const REPORT_UNDER_DATASET = /^(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\/report\.json$/;

export interface QuarantineReportKey {
  readonly dataset: Dataset;
  readonly ingestDate: string;
  readonly fileId: string;
}

export function parseQuarantineReportKey(datasets: readonly Dataset[], key: string): QuarantineReportKey | undefined {
  for (const dataset of datasets) {
    const prefix = quarantineDatasetPrefix(dataset);
    if (!key.startsWith(prefix)) continue;
    const match = REPORT_UNDER_DATASET.exec(key.slice(prefix.length));
    if (match !== null) return { dataset, ingestDate: `${match[1]}-${match[2]}-${match[3]}`, fileId: match[4]! };
  }
  return undefined;
}

function failedRuleIds(report: ValidationReport): string[] {
  const failed = report.rules.filter((rule) => !rule.passed && wasEvaluated(rule));
  return [...failed.filter((rule) => rule.severity === 'error'), ...failed.filter((rule) => rule.severity !== 'error')].map((rule) => rule.id);
}

/** Every quarantined delivery of `datasets`, oldest ingest date first. */
export async function listQuarantined(s3: S3Client, bucket: string, datasets: readonly Dataset[]): Promise<QuarantinedDelivery[]> {
  const deliveries: QuarantinedDelivery[] = [];
  for (const dataset of datasets) {
    for (const key of await listKeys(s3, bucket, quarantineDatasetPrefix(dataset))) {
      const parsed = parseQuarantineReportKey([dataset], key);
      if (parsed === undefined) continue;
      const report = await readJsonObject<ValidationReport>(s3, bucket, key);
      deliveries.push({
        fileId: parsed.fileId,
        dataset: dataset.names.ref,
        file: report.file,
        ingestDate: parsed.ingestDate,
        rowCount: report.rowCount,
        rowsQuarantined: report.rowsQuarantined,
        failedRules: failedRuleIds(report),
        contractVersion: report.contractVersion,
        reportKey: key,
      });
    }
  }
  return deliveries.sort((a, b) => a.ingestDate.localeCompare(b.ingestDate) || a.dataset.localeCompare(b.dataset));
}

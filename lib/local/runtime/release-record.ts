/**
 * The audit zone's record of a quarantine release: who re-ran which delivery when, what its
 * report said before, and what the pipeline did with it under the current contract. One object
 * per release, `releases/<domain>/<dataset>/<file_id>-<timestamp>.json`, so releases of one
 * delivery never overwrite each other.
 */
import type { Dataset } from '../../contracts/model.ts';

export interface ReleaseRecord {
  readonly releaseVersion: 1;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  readonly fileId: string;
  /** The landed file, `s3://<landing bucket>/<key>`. */
  readonly file: string;
  readonly releasedBy: string;
  /** ISO-8601 UTC. */
  readonly releasedAt: string;
  /** What the quarantine report said (the audit report is rewritten by the new run). */
  readonly previousReport: {
    readonly key: string;
    readonly contractVersion: string;
    readonly passed: boolean;
    readonly rowCount: number;
    readonly rowsPassed: number;
    readonly rowsQuarantined: number;
    readonly failedRules: readonly string[];
  };
  readonly outcome: {
    readonly status: string;
    readonly error?: string;
    readonly execution: string;
    readonly contractVersion: string;
    readonly rowsLoaded: number;
    readonly rowsQuarantined: number;
    readonly reportKey?: string;
  };
}

export function releasePrefix(dataset: Pick<Dataset, 'names'>): string {
  return `releases/${dataset.names.ref}/`;
}

/** `20261121T060000123Z`: sorts by time and is a safe file name on every system s3rver stores on. */
function compactTime(instant: Date): string {
  return instant.toISOString().replaceAll(/[-:.]/g, '');
}

export function releaseKey(dataset: Pick<Dataset, 'names'>, fileId: string, releasedAt: Date): string {
  return `${releasePrefix(dataset)}${fileId}-${compactTime(releasedAt)}.json`;
}

/** The file id a release key names, or undefined for another key. */
export function releasedFileId(dataset: Pick<Dataset, 'names'>, key: string): string | undefined {
  const prefix = releasePrefix(dataset);
  if (!key.startsWith(prefix)) return undefined;
  return /^(.+)-\d{8}T\d{9}Z\.json$/.exec(key.slice(prefix.length))?.[1];
}

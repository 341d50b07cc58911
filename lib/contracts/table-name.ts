import { lakehouseName } from './lakehouse-name.ts';

/** The contract version's major number: a major bump marks a breaking change. */
export function majorVersion(version: string): number {
  return Number(version.split('.')[0]);
}

/**
 * The physical table name of a dataset: the lakehouse name of its written name, plus `_v<major>`
 * from major version 2 on, so two majors of one dataset can live side by side during a migration.
 */
export function tableName(writtenDataset: string, version: string): string {
  const major = majorVersion(version);
  const dataset = lakehouseName(writtenDataset);
  return major >= 2 ? `${dataset}_v${major}` : dataset;
}

import type { ContractUnderCheck } from './contract-under-check.ts';
import { DATASET_SETTINGS, datasetSetting, PROJECT_CUSTOM_PROPERTIES } from './custom-properties.ts';
import { didYouMean, nearMiss } from './did-you-mean.ts';
import { atField, formatFieldPath, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import type { RawCustomProperty } from './raw-contract.ts';

type Level = 'contract' | 'dataset' | 'column' | 'server';

/** Where each of this project's custom properties may be set. */
const ALLOWED_LEVELS: Readonly<Record<string, readonly Level[]>> = {
  ...Object.fromEntries(DATASET_SETTINGS.map((name) => [name, ['contract', 'dataset']])),
  csv: ['server'],
};


/**
 * Checks on `customProperties`: other tools' properties pass, but a near-miss of one of ours,
 * one of ours at the wrong level or set twice, and settings that contradict the dataset fail.
 */
export function checkSettings(under: ContractUnderCheck): ContractProblem[] {
  const { contract, source } = under;
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));

  const lists: { level: Level; path: FieldPath; list: readonly RawCustomProperty[] | undefined }[] = [
    { level: 'contract', path: ['customProperties'], list: contract.customProperties },
    ...(contract.servers ?? []).map((server, index) => ({ level: 'server' as const, path: ['servers', index, 'customProperties'], list: server.customProperties })),
    ...contract.schema.flatMap((dataset, datasetIndex) => [
      { level: 'dataset' as const, path: ['schema', datasetIndex, 'customProperties'], list: dataset.customProperties },
      ...dataset.properties.map((property, index) => ({
        level: 'column' as const,
        path: ['schema', datasetIndex, 'properties', index, 'customProperties'],
        list: property.customProperties,
      })),
    ]),
  ];
  for (const { level, path, list } of lists) {
    const seen = new Map<string, number>();
    list?.forEach(({ property }, index) => {
      const namePath = [...path, index, 'property'];
      const meant = nearMiss(property, PROJECT_CUSTOM_PROPERTIES);
      if (meant !== undefined) {
        report(namePath, `unknown custom property '${property}'; did you mean '${meant}'?`);
        return;
      }
      const allowed = ALLOWED_LEVELS[property];
      if (allowed !== undefined && !allowed.includes(level)) {
        const where = property === 'csv' ? "the s3 server entry's customProperties" : "the contract's or a schema object's customProperties";
        report(namePath, `custom property '${property}' belongs in ${where}, not at ${level} level`);
      }
      const earlier = seen.get(property);
      if (earlier !== undefined && PROJECT_CUSTOM_PROPERTIES.includes(property)) {
        report(namePath, `custom property '${property}' is already set in this list (${formatFieldPath([...path, earlier])})`);
      }
      seen.set(property, index);
    });
  }

  contract.schema.forEach((dataset, index) => {
    const loadMode = datasetSetting(contract, index, 'loadMode');
    const hasKey = dataset.properties.some((property) => property.primaryKey === true);
    if (loadMode?.value === 'merge' && !hasKey) {
      report(
        loadMode.path,
        `dataset '${dataset.name}' has no primary key, so loadMode merge cannot match rows: declare primaryKey columns or use loadMode append`,
      );
    }
    const classBalance = datasetSetting(contract, index, 'classBalance');
    const column = (classBalance?.value as { column?: unknown } | undefined)?.column;
    if (classBalance !== undefined && typeof column === 'string') {
      const names = dataset.properties.map((property) => property.name);
      if (!names.includes(column)) {
        report([...classBalance.path, 'column'], `dataset '${dataset.name}' has no column '${column}'${didYouMean(column, names)}`);
      }
    }
  });
  return problems;
}

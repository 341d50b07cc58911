import { BETWEEN_OPERATORS, OPERATORS, type QualitySeverity } from './contract-schema.ts';
import { contractOwner } from './contract-owner.ts';
import { typedColumnOf } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { datasetSetting, findCustomProperty } from './custom-properties.ts';
import { retentionClassDays, slaSeconds } from './durations.ts';
import { boundsOf } from './exclusive-bounds.ts';
import type { FieldPath } from './field-path.ts';
import { lakehouseName } from './lakehouse-name.ts';
import { nestedScalarFields } from './nested-fields.ts';
import type {
  ClassBalance,
  Column,
  ColumnConstraints,
  ColumnReference,
  ContractInfo,
  CsvOptions,
  Dataset,
  FileFormat,
  LoadMode,
  NotEnforced,
  OnViolation,
  Owner,
  QualityMetric,
  QualityRule,
  Seconds,
  Severity,
  Threshold,
  UnknownColumns,
} from './model.ts';
import { isGreatExpectations, translateExpectation } from './great-expectations.ts';
import { DEFAULT_MISSING_VALUES } from './missing-values.ts';
import { notEnforcedEntries } from './not-enforced.ts';
import type { RawProperty, RawQualityRule, RawSlaProperty } from './raw-contract.ts';
import { readingServer } from './reading-server.ts';
import { resolveReference, type ReferenceLookup, type ResolvedReference } from './references.ts';
import { SLA_KINDS, slaDatasets, slaElementOf, type SlaKind } from './sla.ts';
import { withLakehouseColumnNames } from './sql-column-names.ts';
import { sqlRuleQueries } from './sql-rows-query.ts';
import { majorVersion, tableName } from './table-name.ts';
import { zonedType } from './time-zones.ts';
import { inV31Form } from './v30-quality.ts';

export const DEFAULT_CSV_OPTIONS: CsvOptions = { delimiter: ',', quote: '"', escape: '"', header: true };
export const DEFAULT_ON_VIOLATION: OnViolation = 'quarantine-file';
export const DEFAULT_UNKNOWN_COLUMNS: UnknownColumns = 'fail';

/** The contract's identity as every dataset of it carries it. */
export function contractInfo({ contract, source }: ContractUnderCheck): ContractInfo {
  return {
    id: contract.id,
    ...(contract.name === undefined ? {} : { name: contract.name }),
    version: contract.version,
    majorVersion: majorVersion(contract.version),
    status: contract.status,
    file: source.file,
  };
}

/**
 * The datasets of a contract that passed every check. Building relies on those checks: a
 * contradiction found here is a bug in them, not a user error.
 * `fileFormat` is the format of the files read when no s3 server names one (a file validated on
 * its own is read by its extension).
 */
export function buildDatasets(under: ContractUnderCheck, domainOwner: Owner, lookup: ReferenceLookup, fileFormat?: FileFormat): Dataset[] {
  const { contract, source, domain } = under;
  const info = contractInfo(under);
  const owner = contractOwner(contract.team, domainOwner);
  const reading = readingServer(contract);
  const format = reading?.server.format ?? fileFormat;
  if (format === undefined) throw new Error(`no file format for ${source.file}: neither an s3 server nor the caller gives one`);
  const csvOverrides = reading && findCustomProperty(reading.server.customProperties, ['servers', reading.index, 'customProperties'], 'csv');
  const csv: CsvOptions = { ...DEFAULT_CSV_OPTIONS, ...(csvOverrides?.value as Partial<CsvOptions> | undefined) };
  const references = referencesByColumn(under, lookup);
  const notEnforced = notEnforcedEntries(contract);

  return contract.schema.map((dataset, datasetIndex): Dataset => {
    const datasetPath: FieldPath = ['schema', datasetIndex];
    const primaryKeyPositions = keyPositions(dataset.properties, 'primaryKey', 'primaryKeyPosition');
    const partitionKeyPositions = keyPositions(dataset.properties, 'partitioned', 'partitionKeyPosition');
    const columns = dataset.properties.map((property, index) =>
      buildColumn(
        property,
        under,
        [...datasetPath, 'properties', index],
        references.get(`${dataset.name}.${property.name}`) ?? [],
        { primaryKey: primaryKeyPositions.get(property), partition: partitionKeyPositions.get(property) },
      ),
    );
    const primaryKey = keyColumns(columns, (column) => column.primaryKeyPosition);
    const nested = dataset.properties.flatMap((property, index) =>
      nestedScalarFields(property, [...datasetPath, 'properties', index]).map((found) => ({ ...found, column: lakehouseName(property.name) })),
    );
    const setting = (name: string) => datasetSetting(contract, datasetIndex, name);
    const sla = (kind: SlaKind) =>
      contract.slaProperties
        ?.map((entry, index) => ({ entry, index }))
        .find(({ entry }) => SLA_KINDS[entry.property] === kind && slaDatasets(entry, contract).includes(dataset.name));
    const freshness = sla('freshness');
    const frequency = sla('frequency');
    const retention = sla('retention');
    const classBalance = setting('classBalance');
    const balance = classBalance?.value as { column: string; minPercent: number; severity?: Severity } | undefined;
    const retentionDays = retention === undefined ? undefined : retentionClassDays(seconds(retention.entry));

    return {
      domain,
      name: lakehouseName(dataset.name),
      ...(dataset.description === undefined ? {} : { description: dataset.description }),
      names: {
        ref: `${domain}/${lakehouseName(dataset.name)}`,
        table: tableName(dataset.name, contract.version),
        landingPrefix: `${domain}/${lakehouseName(dataset.name)}/`,
      },
      contract: info,
      columns,
      primaryKey,
      partitionColumns: keyColumns(columns, (column) => column.partitionKeyPosition),
      notEnforced: notEnforced
        .filter((entry) => entry.datasets.includes(dataset.name))
        .map(({ kind, id, column, reason, path }): NotEnforced => ({
          kind,
          ...(id === undefined ? {} : { id }),
          column: column === null ? null : lakehouseName(column),
          reason,
          position: source.positionOf(path),
        })),
      quality: [
        ...(dataset.quality ?? []).flatMap((rule, index) => buildRule(rule, null, under, [...datasetPath, 'quality', index])),
        ...dataset.properties.flatMap((property, propertyIndex) =>
          (property.quality ?? []).flatMap((rule, index) =>
            buildRule(rule, lakehouseName(property.name), under, [...datasetPath, 'properties', propertyIndex, 'quality', index]),
          ),
        ),
        ...nested.flatMap(({ field, path, reported }) =>
          (field.quality ?? []).flatMap((rule, index) => buildRule(rule, reported, under, [...path, 'quality', index])),
        ),
      ],
      nestedFields: nested
        .filter(({ field }) => field.logicalTypeOptions !== undefined || field.quality !== undefined || field.physicalType !== undefined)
        .map(({ field, path, steps, reported, column }) => {
          const typed = typedColumnOf(field)!;
          return {
            column,
            steps,
            path: reported,
            type: typed.type,
            ...(field.physicalType === undefined ? {} : { physicalType: field.physicalType }),
            ...(typed.physicalLength === undefined ? {} : { physicalLength: typed.physicalLength }),
            constraints: constraintsOf(field),
            position: source.positionOf(path),
          };
        }),
      format,
      csv,
      ...(freshness === undefined
        ? {}
        : {
            freshness: {
              column: lakehouseColumn(slaElementOf(freshness.entry, contract, dataset.name)?.column),
              maxAge: seconds(freshness.entry),
              position: source.positionOf(['slaProperties', freshness.index]),
            },
          }),
      ...(frequency === undefined ? {} : { frequency: seconds(frequency.entry), frequencyPosition: source.positionOf(['slaProperties', frequency.index]) }),
      ...(retentionDays === undefined ? {} : { retentionDays }),
      onViolation: (setting('onViolation')?.value as OnViolation | undefined) ?? DEFAULT_ON_VIOLATION,
      unknownColumns: (setting('unknownColumns')?.value as UnknownColumns | undefined) ?? DEFAULT_UNKNOWN_COLUMNS,
      loadMode: (setting('loadMode')?.value as LoadMode | undefined) ?? (primaryKey.length > 0 ? 'merge' : 'append'),
      ...(balance === undefined
        ? {}
        : {
            classBalance: {
              column: lakehouseName(balance.column),
              minPercent: balance.minPercent,
              severity: balance.severity ?? 'error',
              position: source.positionOf(classBalance!.path),
            } satisfies ClassBalance,
          }),
      owner,
      position: source.positionOf(datasetPath),
    };
  });
}

/** ODCS lets a classification be any string; these mark a column sensitive (PII). */
const SENSITIVE_CLASSIFICATIONS: readonly string[] = ['restricted', 'confidential', 'pii'];

function buildColumn(
  property: RawProperty,
  under: ContractUnderCheck,
  path: FieldPath,
  references: readonly ColumnReference[],
  keys: { readonly primaryKey: number | undefined; readonly partition: number | undefined },
): Column {
  const typed = typedColumnOf(property);
  if (typed === undefined) throw new Error(`unchecked column type at ${path.join('.')}`);
  const tags = property.tags ?? [];
  const primaryKey = keys.primaryKey !== undefined;
  return {
    name: lakehouseName(property.name),
    nameInFile: property.physicalName ?? property.name,
    ...(property.description === undefined ? {} : { description: property.description }),
    logicalType: typed.logicalType,
    ...(property.physicalType === undefined ? {} : { physicalType: property.physicalType }),
    type: zonedType(typed.type, property.logicalTypeOptions?.defaultTimezone),
    typeFrom: typed.typeFrom,
    ...(typed.physicalLength === undefined ? {} : { physicalLength: typed.physicalLength }),
    required: property.required === true || primaryKey,
    unique: property.unique === true,
    ...(keys.primaryKey === undefined ? {} : { primaryKeyPosition: keys.primaryKey }),
    ...(keys.partition === undefined ? {} : { partitionKeyPosition: keys.partition }),
    ...(property.classification === undefined ? {} : { classification: property.classification }),
    tags,
    sensitive: SENSITIVE_CLASSIFICATIONS.includes(property.classification?.toLowerCase() ?? '') || tags.some((tag) => tag.toLowerCase() === 'pii'),
    constraints: constraintsOf(property),
    references,
    position: under.source.positionOf(path),
  };
}

/** A single key column may leave its position out (checked: several must give theirs). */
/**
 * Each key column's position: the one it gives, or, when the key's columns all leave it at ODCS's
 * default (-1 or absent), its place among them in property order (the checks allow only these two).
 */
function keyPositions(
  properties: readonly RawProperty[],
  flag: 'primaryKey' | 'partitioned',
  positionField: 'primaryKeyPosition' | 'partitionKeyPosition',
): Map<RawProperty, number> {
  const members = properties.filter((property) => property[flag] === true);
  return new Map(
    members.map((property, index) => {
      const given = property[positionField];
      return [property, given === undefined || given === -1 ? index + 1 : given];
    }),
  );
}

function constraintsOf(property: RawProperty): ColumnConstraints {
  const options = property.logicalTypeOptions ?? {};
  const fields = ['pattern', 'minLength', 'maxLength', 'format', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems'] as const;
  const bounds = Object.entries(boundsOf(options)).map(([bound, written]) => [bound, written.value]);
  return Object.fromEntries([...fields.filter((field) => options[field] !== undefined).map((field) => [field, options[field]]), ...bounds]);
}

function keyColumns(columns: readonly Column[], position: (column: Column) => number | undefined): string[] {
  return columns
    .filter((column) => position(column) !== undefined)
    .sort((a, b) => position(a)! - position(b)!)
    .map((column) => column.name);
}

function buildRule(asWritten: RawQualityRule, column: string | null, under: ContractUnderCheck, path: FieldPath): QualityRule[] {
  const rule = inV31Form(asWritten);
  const type = rule.type ?? 'library';
  if (type === 'custom') return translatedRules(rule, column, under, path);
  if (type === 'text') return [];
  const operator = OPERATORS.find((candidate) => rule[candidate] !== undefined)!;
  const written = rule[operator] as number | readonly number[];
  const threshold: Threshold = {
    operator,
    value: BETWEEN_OPERATORS.includes(operator) ? [(written as readonly number[])[0]!, (written as readonly number[])[1]!] : (written as number),
    unit: rule.unit ?? 'rows',
  };
  const metric: QualityMetric = type === 'sql' ? 'sql' : (rule.metric as QualityMetric);
  const args = rule.arguments ?? {};
  return [
    {
      ...(rule.id === undefined ? {} : { id: rule.id }),
      ...(rule.name === undefined ? {} : { name: rule.name }),
      ...(rule.description === undefined ? {} : { description: rule.description }),
      metric,
      column,
      ...(metric === 'duplicateValues' && column === null ? { columns: args.properties!.map(lakehouseName) } : {}),
      threshold,
      severity: SEVERITY_LEVELS[rule.severity ?? 'error'],
      // invalidValues never counts a null (nullValues does), so null among validValues needs no test.
      ...(metric === 'invalidValues' && args.validValues !== undefined ? { validValues: args.validValues.filter((value) => value !== null) } : {}),
      ...(metric === 'invalidValues' && args.pattern !== undefined ? { pattern: args.pattern } : {}),
      ...(metric === 'missingValues' ? { missingValues: args.missingValues ?? DEFAULT_MISSING_VALUES } : {}),
      ...(metric === 'sql' ? sqlRuleQueries(withLakehouseColumnNames(rule.query!, under.contract.schema[path[1] as number]!.properties)) : {}),
      position: under.source.positionOf(path),
    },
  ];
}

/**
 * A Great Expectations rule the lakehouse translates (great-expectations.ts), as its own rules;
 * none for what it cannot run, which `notEnforced` lists.
 */
function translatedRules(rule: RawQualityRule, column: string | null, under: ContractUnderCheck, path: FieldPath): QualityRule[] {
  if (!isGreatExpectations(rule.engine)) return [];
  const dataset = under.contract.schema[path[1] as number]!;
  const attached = dataset.properties.find((property) => lakehouseName(property.name) === column) ?? null;
  const translation = translateExpectation(rule, attached, dataset.properties);
  if (!('rules' in translation)) return [];
  return translation.rules.map((translated) => ({
    ...(rule.id === undefined ? {} : { id: rule.id }),
    ...(rule.name === undefined ? {} : { name: rule.name }),
    ...(rule.description === undefined ? {} : { description: rule.description }),
    metric: translated.metric,
    column: translated.column === null ? null : lakehouseName(translated.column),
    threshold: translated.threshold,
    severity: SEVERITY_LEVELS[rule.severity ?? 'error'],
    ...(translated.validValues === undefined ? {} : { validValues: translated.validValues }),
    ...(translated.bounds === undefined ? {} : { bounds: translated.bounds }),
    position: under.source.positionOf(path),
  }));
}

/**
 * ODCS's quality severities as the lakehouse's two levels: `warn` is `warning` spelled short,
 * and `info` never fails a file, which is what a warning does (its failing rows are reported).
 */
const SEVERITY_LEVELS: Readonly<Record<QualitySeverity, Severity>> = { error: 'error', warning: 'warning', warn: 'warning', info: 'warning' };

function lakehouseColumn(written: string | undefined): string | null {
  return written === undefined ? null : lakehouseName(written);
}

function seconds(sla: RawSlaProperty): Seconds {
  const duration = slaSeconds(sla.value, sla.unit);
  if ('problem' in duration) throw new Error(`unchecked SLA value: ${duration.problem}`);
  return duration.seconds;
}

/** `<dataset>.<column>` -> the resolved targets of that column's relationships, at both levels. */
function referencesByColumn(under: ContractUnderCheck, lookup: ReferenceLookup): Map<string, ColumnReference[]> {
  const origin = { file: under.source.file, domain: under.domain, contract: under.contract };
  const resolve = (reference: string): ResolvedReference => {
    const result = resolveReference(reference, origin, lookup);
    if ('problem' in result) throw new Error(`unchecked relationship: ${result.problem}`);
    return result.target;
  };
  const byColumn = new Map<string, ColumnReference[]>();
  const add = (dataset: string, column: string, target: ResolvedReference) => {
    const key = `${dataset}.${column}`;
    byColumn.set(key, [...(byColumn.get(key) ?? []), { dataset: `${target.domain}/${lakehouseName(target.dataset)}`, column: lakehouseName(target.column) }]);
  };
  for (const dataset of under.contract.schema) {
    for (const property of dataset.properties) {
      for (const relationship of property.relationships ?? []) add(dataset.name, property.name, resolve(relationship.to as string));
    }
    for (const relationship of dataset.relationships ?? []) {
      const from = [relationship.from!].flat();
      const to = [relationship.to].flat();
      from.forEach((reference, index) => add(dataset.name, resolve(reference).column, resolve(to[index]!)));
    }
  }
  return byColumn;
}

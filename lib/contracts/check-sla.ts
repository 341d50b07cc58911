import { logicalTypeOf, typeOfColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { didYouMean, nearMiss } from './did-you-mean.ts';
import { KNOWN_UNITS, slaSeconds, unitSeconds } from './durations.ts';
import { atField, type FieldPath } from './field-path.ts';
import { impliedFreshnessColumn } from './freshness-column.ts';
import type { ContractProblem } from './problems.ts';
import { SLA_KINDS, slaDatasets, slaElements, type SlaElement } from './sla.ts';
import { showValue } from './values.ts';

/** Checks on `slaProperties[]`: the freshness, frequency and retention entries this project reads. */
export function checkSla(under: ContractUnderCheck): ContractProblem[] {
  const { contract, source } = under;
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string, anchor?: 'key') =>
    problems.push(source.problem(path, atField(path, message), anchor));
  const datasetNames = contract.schema.map((object) => object.name);
  const declared = new Map<string, number>();

  contract.slaProperties?.forEach((sla, index) => {
    const path: FieldPath = ['slaProperties', index];
    const kind = SLA_KINDS[sla.property];
    if (kind === undefined) {
      const meant = nearMiss(sla.property, Object.keys(SLA_KINDS));
      if (meant !== undefined) report([...path, 'property'], `unknown SLA property '${sla.property}'; did you mean '${meant}'?`);
      return;
    }
    if (typeof sla.value === 'string') {
      // A string may carry its own unit ("500ms", "P1DT2H"), so it is read whole.
      const duration = slaSeconds(sla.value, sla.unit);
      if ('problem' in duration) report([...path, 'value'], `${sla.property} ${duration.problem} (got ${showValue(sla.value)})`);
    } else {
      if (typeof sla.value !== 'number' || !(sla.value > 0)) {
        report([...path, 'value'], `${sla.property} value must be a positive number (got ${showValue(sla.value)})`);
      }
      if (sla.unit === undefined) {
        report(path, `${sla.property} needs a unit (${KNOWN_UNITS.join(', ')})`);
      } else if (unitSeconds(sla.unit) === undefined) {
        report([...path, 'unit'], `unknown unit '${sla.unit}' (use one of ${KNOWN_UNITS.join(', ')})${didYouMean(sla.unit, KNOWN_UNITS)}`);
      }
    }

    const elements = slaElements(sla, contract);
    if (elements === undefined) {
      if (kind !== 'retention' && datasetNames.length > 1) {
        const form = kind === 'freshness' ? '<dataset>.<timestamp column>' : '<dataset>';
        report(path, `${sla.property} needs an element (${form}): this contract has several datasets (${datasetNames.join(', ')})`);
      }
      if (kind === 'freshness') for (const dataset of slaDatasets(sla, contract)) checkImpliedColumn(under, sla.property, dataset, path, report);
    } else {
      for (const element of elements) checkElement(under, kind, sla.property, element, [...path, 'element'], report);
      checkOneEntryPerDataset(kind, sla.property, elements, [...path, 'element'], report);
      if (kind === 'freshness') {
        for (const { dataset } of elements.filter((element) => element.column === undefined)) checkImpliedColumn(under, sla.property, dataset, path, report);
      }
    }
    for (const dataset of slaDatasets(sla, contract)) {
      const key = `${kind}/${dataset}`;
      const earlier = declared.get(key);
      if (earlier !== undefined) {
        report(path, `dataset '${dataset}' already has a ${kind} SLA (slaProperties[${earlier}])`);
      } else {
        declared.set(key, index);
      }
    }
  });
  return problems;
}

/**
 * Without a column in the element, freshness is measured on the one column the dataset's types
 * imply (freshness-column.ts); with none or several, the entry must name it, or validation could
 * not measure it.
 */
function checkImpliedColumn(
  under: ContractUnderCheck,
  property: string,
  datasetName: string,
  path: FieldPath,
  report: (path: FieldPath, message: string) => void,
): void {
  const dataset = under.contract.schema.find((object) => object.name === datasetName);
  if (dataset === undefined) return;
  const implied = impliedFreshnessColumn(dataset.properties.map((column) => ({ name: column.name, kind: typeOfColumn(column)?.kind })));
  if ('column' in implied) return;
  if (implied.choices.length === 0) {
    report(path, `${property} is measured on a timestamp or date column, and dataset '${datasetName}' has none: add one, or remove this entry`);
  } else {
    const elements = implied.choices.map((column) => `${datasetName}.${column}`).join(', ');
    report(path, `${property} needs the column it is measured on: dataset '${datasetName}' has several timestamp or date columns, so set element to one of ${elements}`);
  }
}

/**
 * An element may name several datasets, each then held to the entry (ODCS separates several
 * elements with commas), but each dataset once: freshness is measured on one column, and which
 * of several the contract meant (the newest of them, or each) it does not say.
 */
function checkOneEntryPerDataset(
  kind: string,
  property: string,
  elements: readonly SlaElement[],
  path: FieldPath,
  report: (path: FieldPath, message: string) => void,
): void {
  for (const dataset of new Set(elements.map((element) => element.dataset))) {
    const named = elements.filter((element) => element.dataset === dataset);
    if (named.length < 2) continue;
    if (kind === 'freshness') {
      const columns = named.map((element) => element.column ?? '(no column)').join(', ');
      report(path, `${property} is measured on one column per dataset, and this element names several of dataset '${dataset}' (${columns}): keep one`);
    } else {
      report(path, `this element names dataset '${dataset}' ${named.length} times: name it once`);
    }
  }
}

function checkElement(
  under: ContractUnderCheck,
  kind: string,
  property: string,
  element: SlaElement,
  path: FieldPath,
  report: (path: FieldPath, message: string) => void,
): void {
  const names = under.contract.schema.map((object) => object.name);
  const dataset = under.contract.schema.find((object) => object.name === element.dataset);
  if (dataset === undefined) {
    report(path, `this contract has no dataset '${element.dataset}' (it has ${names.join(', ')})${didYouMean(element.dataset, names)}`);
    return;
  }
  if (element.column === undefined) return;
  if (kind !== 'freshness') {
    report(path, `a ${property} element names a dataset, not a column (use '${element.dataset}')`);
    return;
  }
  const column = dataset.properties.find((candidate) => candidate.name === element.column);
  if (column === undefined) {
    const columns = dataset.properties.map((candidate) => candidate.name);
    report(path, `dataset '${dataset.name}' has no column '${element.column}'${didYouMean(element.column, columns)}`);
    return;
  }
  const type = typeOfColumn(column);
  if (type !== undefined && type.kind !== 'timestamp' && type.kind !== 'date') {
    report(path, `${property} is measured on a timestamp or date column, but '${element.column}' is ${logicalTypeOf(column)}`);
  }
}

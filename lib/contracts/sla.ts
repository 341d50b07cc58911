import type { RawContract, RawSlaProperty } from './raw-contract.ts';

export type SlaKind = 'freshness' | 'frequency' | 'retention';

/** ODCS SLA properties this project reads; `latency` is ODCS's other name for freshness. */
export const SLA_KINDS: Readonly<Record<string, SlaKind>> = {
  freshness: 'freshness',
  latency: 'freshness',
  frequency: 'frequency',
  retention: 'retention',
};

/** One entry of an SLA's element: the dataset it names and, optionally, a column of it. */
export interface SlaElement {
  readonly dataset: string;
  readonly column?: string;
}

/**
 * `element` split into its entries at the commas ODCS separates several elements with
 * (`orders.created_at, customers.updated_at`), each into its dataset and optional column
 * (`orders.order_ts`, `orders`), each part naming its dataset or column by `name` or by
 * `physicalName` and given back as the `name`; a part that names nothing is given back as
 * written, for the checks to report. Undefined when the entry has no element.
 */
export function slaElements(sla: RawSlaProperty, contract: RawContract): readonly SlaElement[] | undefined {
  return sla.element?.split(',').map((entry) => elementOf(entry.trim(), contract));
}

/** The element entry of `sla` that names `dataset`, if any. */
export function slaElementOf(sla: RawSlaProperty, contract: RawContract, dataset: string): SlaElement | undefined {
  return slaElements(sla, contract)?.find((element) => element.dataset === dataset);
}

function elementOf(written: string, contract: RawContract): SlaElement {
  const dot = written.indexOf('.');
  const datasetPart = dot < 0 ? written : written.slice(0, dot);
  const dataset = byName(contract.schema, datasetPart);
  const datasetName = dataset?.name ?? datasetPart;
  if (dot < 0) return { dataset: datasetName };
  const columnPart = written.slice(dot + 1);
  return { dataset: datasetName, column: (dataset === undefined ? undefined : byName(dataset.properties, columnPart))?.name ?? columnPart };
}

function byName<T extends { readonly name: string; readonly physicalName?: string }>(candidates: readonly T[], part: string): T | undefined {
  return candidates.find((candidate) => candidate.name === part) ?? candidates.find((candidate) => candidate.physicalName === part);
}

/**
 * The datasets an SLA entry applies to: those its element names; without an element, the
 * contract's only dataset, or for retention every dataset.
 */
export function slaDatasets(sla: RawSlaProperty, contract: RawContract): readonly string[] {
  const elements = slaElements(sla, contract);
  if (elements !== undefined) return [...new Set(elements.map((element) => element.dataset))];
  const all = contract.schema.map((object) => object.name);
  return SLA_KINDS[sla.property] === 'retention' || all.length === 1 ? [...new Set(all)] : [];
}

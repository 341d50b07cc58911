import type { RawContract, RawSlaProperty } from './raw-contract.ts';

export type SlaKind = 'freshness' | 'frequency' | 'retention';

/** ODCS SLA properties this project reads; `latency` is ODCS's other name for freshness. */
export const SLA_KINDS: Readonly<Record<string, SlaKind>> = {
  freshness: 'freshness',
  latency: 'freshness',
  frequency: 'frequency',
  retention: 'retention',
};

/**
 * `element` split into its dataset and optional column (`orders.order_ts`, `orders`), each part
 * naming its dataset or column by `name` or by `physicalName` and given back as the `name`; a part
 * that names nothing is given back as written, for the checks to report.
 */
export function slaElement(sla: RawSlaProperty, contract: RawContract): { readonly dataset: string; readonly column?: string } | undefined {
  if (sla.element === undefined) return undefined;
  const dot = sla.element.indexOf('.');
  const datasetPart = dot < 0 ? sla.element : sla.element.slice(0, dot);
  const dataset = byName(contract.schema, datasetPart);
  const datasetName = dataset?.name ?? datasetPart;
  if (dot < 0) return { dataset: datasetName };
  const columnPart = sla.element.slice(dot + 1);
  return { dataset: datasetName, column: (dataset === undefined ? undefined : byName(dataset.properties, columnPart))?.name ?? columnPart };
}

function byName<T extends { readonly name: string; readonly physicalName?: string }>(candidates: readonly T[], part: string): T | undefined {
  return candidates.find((candidate) => candidate.name === part) ?? candidates.find((candidate) => candidate.physicalName === part);
}

/**
 * The datasets an SLA entry applies to: the one its element names; without an element, the
 * contract's only dataset, or for retention every dataset.
 */
export function slaDatasets(sla: RawSlaProperty, contract: RawContract): readonly string[] {
  const element = slaElement(sla, contract);
  if (element !== undefined) return [element.dataset];
  const all = contract.schema.map((object) => object.name);
  return SLA_KINDS[sla.property] === 'retention' || all.length === 1 ? [...new Set(all)] : [];
}

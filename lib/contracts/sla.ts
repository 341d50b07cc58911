import type { RawContract, RawSlaProperty } from './raw-contract.ts';

export type SlaKind = 'freshness' | 'frequency' | 'retention';

/** ODCS SLA properties this project reads; `latency` is ODCS's other name for freshness. */
export const SLA_KINDS: Readonly<Record<string, SlaKind>> = {
  freshness: 'freshness',
  latency: 'freshness',
  frequency: 'frequency',
  retention: 'retention',
};

/** `element` split into its dataset and optional column: `orders.order_ts`, `orders`. */
export function slaElement(sla: RawSlaProperty): { readonly dataset: string; readonly column?: string } | undefined {
  if (sla.element === undefined) return undefined;
  const dot = sla.element.indexOf('.');
  return dot < 0 ? { dataset: sla.element } : { dataset: sla.element.slice(0, dot), column: sla.element.slice(dot + 1) };
}

/**
 * The datasets an SLA entry applies to: the one its element names; without an element, the
 * contract's only dataset, or for retention every dataset.
 */
export function slaDatasets(sla: RawSlaProperty, contract: RawContract): readonly string[] {
  const element = slaElement(sla);
  if (element !== undefined) return [element.dataset];
  const all = contract.schema.map((object) => object.name);
  return SLA_KINDS[sla.property] === 'retention' || all.length === 1 ? [...new Set(all)] : [];
}

import { typeOfColumn } from './column-type.ts';
import { nearMiss } from './did-you-mean.ts';
import type { FieldPath } from './field-path.ts';
import { isGreatExpectations, translateExpectation } from './great-expectations.ts';
import type { NotEnforcedKind } from './model.ts';
import { isNestedLogicalType } from './nested-column-type.ts';
import { nestedScalarFields } from './nested-fields.ts';
import type { RawContract, RawProperty, RawQualityRule } from './raw-contract.ts';
import { SLA_KINDS, slaElements } from './sla.ts';
import { formatCheck } from './value-formats.ts';

/** One contract entry the lakehouse accepts but does not run, and where it is written. */
export interface NotEnforcedEntry {
  readonly kind: NotEnforcedKind;
  readonly path: FieldPath;
  /** The datasets it belongs to: one, except an SLA entry without element (every dataset). */
  readonly datasets: readonly string[];
  readonly column: string | null;
  /** The contract's own id for the entry, when it gives one. */
  readonly id?: string;
  readonly reason: string;
}

/**
 * Every entry of a structurally valid contract that nothing enforces (issue 13 item 7): it is a
 * warning at check, listed by `contracts list --json`, and a `notEvaluated` rule in every report,
 * so no reader takes it for a pass. One list, read by all three.
 */
export function notEnforcedEntries(contract: RawContract): NotEnforcedEntry[] {
  const entries: NotEnforcedEntry[] = [];
  contract.schema.forEach((dataset, datasetIndex) => {
    const datasets = [dataset.name];
    const rules = (owner: FieldPath, attached: RawProperty | null, quality: readonly RawQualityRule[] | undefined) =>
      quality?.forEach((rule, index) => {
        const reason = notRunReason(rule, attached, dataset.properties);
        const column = attached?.name ?? null;
        if (reason === undefined) return;
        const path = [...owner, 'quality', index];
        entries.push({ kind: rule.type as NotEnforcedKind, path, datasets, column, ...(rule.id === undefined ? {} : { id: rule.id }), reason });
      });
    const datasetPath: FieldPath = ['schema', datasetIndex];
    rules(datasetPath, null, dataset.quality);
    dataset.properties.forEach((property, propertyIndex) => {
      const propertyPath = [...datasetPath, 'properties', propertyIndex];
      const options = (field: RawProperty, path: FieldPath, column: string, nested: boolean) => {
        const format = field.logicalTypeOptions?.format;
        const checked = format === undefined ? undefined : formatCheck(format, typeOfColumn(field));
        // A format on an object or array column is refused at check (check-columns.ts): one message for one key.
        if (checked?.check === 'notEnforced' && !isNestedLogicalType(field.logicalType)) {
          entries.push({ kind: 'format', path: [...path, 'logicalTypeOptions', 'format'], datasets, column, reason: checked.reason });
        }
        for (const [option, reason] of timezoneReasons(field, nested)) {
          entries.push({ kind: 'timezone', path: [...path, 'logicalTypeOptions', option], datasets, column, reason });
        }
      };
      options(property, propertyPath, property.name, false);
      // A nested scalar field's options are reported by its path; a defaultTimezone on a nested timestamp is refused (time-zones.ts).
      for (const nested of nestedScalarFields(property, propertyPath)) options(nested.field, nested.path, nested.reported, true);
      rules(propertyPath, property, property.quality);
    });
  });
  contract.slaProperties?.forEach((sla, index) => {
    // A misspelt known kind (`freshnes`) is refused at check with a did-you-mean (check-sla.ts).
    if (SLA_KINDS[sla.property] !== undefined || nearMiss(sla.property, Object.keys(SLA_KINDS)) !== undefined) return;
    const elements = slaElements(sla, contract);
    entries.push({
      kind: 'sla',
      path: ['slaProperties', index],
      datasets: elements === undefined ? contract.schema.map((dataset) => dataset.name) : [...new Set(elements.map((element) => element.dataset))],
      column: elements?.length === 1 ? (elements[0]!.column ?? null) : null,
      reason: `SLA property '${sla.property}' is not measured (the lakehouse measures ${Object.keys(SLA_KINDS).join(', ')})`,
    });
  });
  return entries;
}

/**
 * Why a quality rule is not run, or undefined when the validator runs it (a Great Expectations
 * rule it translates; one it cannot translate for a wrong column is refused by checkQuality).
 */
function notRunReason(rule: RawQualityRule, attached: RawProperty | null, properties: readonly RawProperty[]): string | undefined {
  if (rule.type === 'text') return 'a text rule describes a check in words, and nothing runs it';
  if (rule.type !== 'custom') return undefined;
  if (isGreatExpectations(rule.engine)) {
    const translation = translateExpectation(rule, attached, properties);
    return 'notRun' in translation ? `a custom rule for ${rule.engine} is not translated: ${translation.notRun}` : undefined;
  }
  return `a custom rule for ${rule.engine ?? 'an unnamed engine'} is run by that engine, not by the lakehouse`;
}

/**
 * ODCS's time zone options the validator does not apply. `timezone` says whether values carry
 * their zone; the validator reads a value with an offset at that offset and one without in the
 * column's `defaultTimezone` (time-zones.ts), so it neither requires nor forbids an offset.
 * `defaultTimezone` is applied on a timestamp column only: a date has no time of day to place.
 * A nested timestamp without an offset is read in UTC (its defaultTimezone is refused, time-zones.ts).
 */
function timezoneReasons(property: RawProperty, nested: boolean): (readonly [option: 'timezone' | 'defaultTimezone', reason: string])[] {
  const { timezone, defaultTimezone } = property.logicalTypeOptions ?? {};
  const zone = nested ? 'UTC' : (defaultTimezone ?? 'UTC');
  return [
    ...(timezone === undefined
      ? []
      : [['timezone', `timezone: ${String(timezone)} is not checked: a timestamp with an offset is read at its offset, one without in ${zone}`] as const]),
    ...(defaultTimezone === undefined || typeOfColumn(property)?.kind === 'timestamp'
      ? []
      : [['defaultTimezone', `defaultTimezone '${defaultTimezone}' is not applied: only a timestamp column's values are placed in a zone`] as const]),
  ];
}

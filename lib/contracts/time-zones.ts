import { typeOfColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { nearMiss } from './did-you-mean.ts';
import { atField, type FieldPath } from './field-path.ts';
import type { ColumnType } from './model.ts';
import { nestedScalarFields } from './nested-fields.ts';
import type { ContractProblem } from './problems.ts';

/**
 * ODCS `defaultTimezone`: the zone a timestamp written without an offset is in (ODCS: "If timezone
 * is not defined, the default timezone UTC is used"). A value with an offset keeps its offset.
 */
export function zonedType(type: ColumnType, defaultTimezone: string | undefined): ColumnType {
  return type.kind === 'timestamp' && defaultTimezone !== undefined ? { ...type, zone: defaultTimezone } : type;
}

/**
 * IANA names as Node's ICU knows them, aliases included (`UTC`, `US/Pacific`). Checked here, not by
 * asking DuckDB, because a contract is checked without an engine; Node 20's 418 canonical names are
 * all among the 638 of DuckDB's `pg_timezone_names()`, whose only name Node refuses is `Factory`.
 * Offsets (`+01:00`), which newer ICU accepts as a zone, are no IANA name and DuckDB's `timezone`
 * does not read them.
 */
export function isKnownTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * A `defaultTimezone` no engine knows would fail every row at validation: refused at check. One on
 * a nested timestamp is refused too: a nested value is read by its type alone, never placed in a
 * zone, and a zone silently not applied would shift every value written without an offset.
 */
export function checkTimeZones({ contract, source }: ContractUnderCheck): ContractProblem[] {
  return contract.schema.flatMap((dataset, datasetIndex) =>
    dataset.properties.flatMap((property, propertyIndex) => {
      const path: FieldPath = ['schema', datasetIndex, 'properties', propertyIndex];
      const nested = nestedScalarFields(property, path)
        .filter(({ field }) => field.logicalTypeOptions?.defaultTimezone !== undefined && typeOfColumn(field)?.kind === 'timestamp')
        .map(({ path: fieldPath, reported }) => {
          const at: FieldPath = [...fieldPath, 'logicalTypeOptions', 'defaultTimezone'];
          return source.problem(at, atField(at, `defaultTimezone on a nested field (${reported}) is not supported: only a top-level timestamp column's values are placed in a zone`));
        });
      const zone = property.logicalTypeOptions?.defaultTimezone;
      if (zone === undefined || typeOfColumn(property)?.kind !== 'timestamp' || isKnownTimeZone(zone)) return nested;
      const zonePath: FieldPath = [...path, 'logicalTypeOptions', 'defaultTimezone'];
      const meant = nearMiss(zone, Intl.supportedValuesOf('timeZone'));
      const hint = meant === undefined ? ' (an IANA name such as Europe/Berlin or UTC)' : ` (did you mean '${meant}'?)`;
      return [source.problem(zonePath, atField(zonePath, `unknown time zone '${zone}'${hint}`)), ...nested];
    }),
  );
}

/** ODCS SLA units this project reads, in seconds. Months and years are calendar approximations. */
const DAY = 86_400;
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  min: 60,
  h: 3_600,
  d: DAY,
  day: DAY,
  days: DAY,
  w: 7 * DAY,
  month: 30 * DAY,
  months: 30 * DAY,
  y: 365 * DAY,
  yr: 365 * DAY,
  year: 365 * DAY,
  years: 365 * DAY,
};

export const KNOWN_UNITS: readonly string[] = Object.keys(UNIT_SECONDS);

/** Seconds in one `unit` (case-insensitive), or undefined for a unit this project does not know. */
export function unitSeconds(unit: string): number | undefined {
  return UNIT_SECONDS[unit.toLowerCase()];
}

// ISO 8601 durations as ODCS examples write them (P1Y, PT15M, P1DT2H): no sign, no fractions but seconds'.
const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const ISO_PART_SECONDS = [UNIT_SECONDS['y']!, UNIT_SECONDS['month']!, UNIT_SECONDS['w']!, DAY, 3_600, 60, 1];
// A number with its unit in one string: "500ms", "15 min", "2d".
const NUMBER_WITH_UNIT = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i;

/**
 * Seconds of an SLA `value` with its `unit`: a number (or a numeric string) in `unit`, a number
 * with its own unit ("500ms"), or an ISO 8601 duration ("P1DT2H"); the last two carry their unit,
 * so `unit` is not read. A problem names what was wrong.
 */
export function slaSeconds(value: unknown, unit: string | undefined): { readonly seconds: number } | { readonly problem: string } {
  if (typeof value === 'string') {
    const iso = ISO_DURATION.exec(value.trim());
    if (iso !== null && /\d/.test(value)) {
      return positive(iso.slice(1).reduce((total, part, index) => total + (part === undefined ? 0 : Number(part) * ISO_PART_SECONDS[index]!), 0));
    }
    const withUnit = NUMBER_WITH_UNIT.exec(value.trim());
    if (withUnit !== null) return inUnit(Number(withUnit[1]), withUnit[2]!);
    if (value.trim() !== '' && Number.isFinite(Number(value))) return inUnit(Number(value), unit);
    return { problem: `value must be a positive number with a unit, a number with its unit ("500ms") or an ISO 8601 duration ("P1DT2H")` };
  }
  if (typeof value === 'number') return inUnit(value, unit);
  return { problem: 'value must be a positive number with a unit or an ISO 8601 duration ("P1DT2H")' };
}

function inUnit(amount: number, unit: string | undefined): { readonly seconds: number } | { readonly problem: string } {
  if (unit === undefined) return { problem: `needs a unit (${KNOWN_UNITS.join(', ')})` };
  const seconds = unitSeconds(unit);
  if (seconds === undefined) return { problem: `has an unknown unit '${unit}' (use one of ${KNOWN_UNITS.join(', ')})` };
  return positive(amount * seconds);
}

function positive(seconds: number): { readonly seconds: number } | { readonly problem: string } {
  return seconds > 0 ? { seconds } : { problem: 'value must be a positive duration' };
}

/** Retention classes the platform defines as lifecycle rules, in days (DESIGN.md, Retention classes). */
export const RETENTION_CLASSES_DAYS: readonly number[] = [30, 90, 365, 1_095, 2_555];

/**
 * The smallest retention class that keeps data at least `seconds`; undefined (kept forever)
 * when the retention exceeds the longest class.
 */
export function retentionClassDays(seconds: number): number | undefined {
  return RETENTION_CLASSES_DAYS.find((days) => days * DAY >= seconds);
}

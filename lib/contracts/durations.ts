/** ODCS SLA units this project reads, in seconds. Months and years are calendar approximations. */
const DAY = 86_400;
const UNIT_SECONDS: Readonly<Record<string, number>> = {
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

/** Retention classes the platform defines as lifecycle rules, in days (DESIGN.md, Retention classes). */
export const RETENTION_CLASSES_DAYS: readonly number[] = [30, 90, 365, 1_095, 2_555];

/**
 * The smallest retention class that keeps data at least `seconds`; undefined (kept forever)
 * when the retention exceeds the longest class.
 */
export function retentionClassDays(seconds: number): number | undefined {
  return RETENTION_CLASSES_DAYS.find((days) => days * DAY >= seconds);
}

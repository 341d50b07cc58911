import type { DomainConfig } from './model.ts';
import type { RawDomainFile } from './raw-contract.ts';

/** Nightly at 03:00 UTC, when a domain.yaml names no maintenance schedule. */
export const DEFAULT_MAINTENANCE_SCHEDULE = 'cron(0 3 * * ? *)';

/** The model of a checked `domain.yaml`. */
export function buildDomainConfig(raw: RawDomainFile, file: string): DomainConfig {
  return {
    name: raw.domain,
    file,
    owner: { team: raw.owner.team, email: raw.owner.email },
    alertEmails: raw.alerts.emails,
    consumers: Object.entries(raw.consumers ?? {}).map(([role, principals]) => ({ role, principals })),
    shares: raw.shares ?? [],
    maintenanceSchedule: raw.maintenance?.schedule ?? DEFAULT_MAINTENANCE_SCHEDULE,
  };
}

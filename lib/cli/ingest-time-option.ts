import { UsageError } from './usage-error.ts';

/** `--ingest-time <iso>`: when the file landed, which freshness is measured against; default now. */
export function parseIngestTime(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new UsageError(`--ingest-time must be an ISO-8601 timestamp such as 2026-11-21T06:00:00Z (got '${text}')`);
  }
  return parsed;
}

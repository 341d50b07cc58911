/**
 * What every lineage event written offline must be: a RunEvent by the OpenLineage spec's own JSON
 * Schema (a copy beside this file, see openlineage/SOURCE.md), each facet naming its producer and
 * schema, each custom facet valid by the JSON Schema the lakehouse ships for it; and the events
 * of a run, one START and one terminal event sharing its run id.
 */
import { readFileSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { lineagePrefix } from '../../../lib/ingest/layout.ts';
import { listKeys, readJsonObject } from '../../../lib/local/runtime/zone-objects.ts';
import { TRAINING_FACET, TRAINING_FACET_SCHEMA_URL } from '../../../lib/ml/training-run-events.ts';
import { CONTRACT_FACET, CONTRACT_FACET_SCHEMA_URL } from '../../../lib/pipeline/lineage/contract-facet.ts';
import { LINEAGE_PRODUCER, RUN_EVENT_SCHEMA_URL, type RunEvent } from '../../../lib/pipeline/lineage/run-event.ts';

const addFormats = addFormatsModule.default;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const readJson = (url: URL): { $id: string } => JSON.parse(readFileSync(url, 'utf8')) as { $id: string };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(readJson(new URL('openlineage/OpenLineage-2-0-2.json', import.meta.url)));
/** The JSON Schemas the lakehouse ships for its custom facets, as read from the repository. */
export const customFacetSchemas = {
  [CONTRACT_FACET]: { url: CONTRACT_FACET_SCHEMA_URL, schema: readJson(new URL('../../../lib/pipeline/lineage/ContractDatasetFacet.json', import.meta.url)) },
  [TRAINING_FACET]: { url: TRAINING_FACET_SCHEMA_URL, schema: readJson(new URL('../../../lib/ml/TrainingRunFacet.json', import.meta.url)) },
};
for (const { schema } of Object.values(customFacetSchemas)) ajv.addSchema(schema);
const isRunEvent = ajv.getSchema(RUN_EVENT_SCHEMA_URL)!;

export interface WrittenEvent {
  readonly key: string;
  readonly event: RunEvent;
}

/** The events under a job's lineage prefix in the audit bucket, each with its key. */
export async function eventsUnder(s3: S3Client, auditBucket: string, domain: string, table: string): Promise<WrittenEvent[]> {
  const keys = await listKeys(s3, auditBucket, lineagePrefix(domain, table));
  return Promise.all(keys.map(async (key) => ({ key, event: await readJsonObject<RunEvent>(s3, auditBucket, key) })));
}

/** Every facet of an event, named by where it sits. */
function facetsOf(event: RunEvent): [string, Record<string, unknown>][] {
  const group = (where: string, facets: object | undefined): [string, Record<string, unknown>][] =>
    Object.entries(facets ?? {}).map(([name, facet]) => [`${where}.${name}`, facet as Record<string, unknown>]);
  return [
    ...group('run', event.run.facets),
    ...group('job', event.job.facets),
    ...event.inputs.flatMap((input, index) => [...group(`inputs[${index}]`, input.facets), ...group(`inputs[${index}].inputFacets`, input.inputFacets)]),
    ...event.outputs.flatMap((output, index) => [...group(`outputs[${index}]`, output.facets), ...group(`outputs[${index}].outputFacets`, output.outputFacets)]),
  ];
}

/** Valid by the spec's schema, its run id a UUID, each facet naming its producer and schema, each custom facet valid by its own. */
export function expectValid({ key, event }: WrittenEvent): void {
  expect(isRunEvent(event), `${key}: ${ajv.errorsText(isRunEvent.errors)}`).toBe(true);
  expect(event).toMatchObject({ producer: LINEAGE_PRODUCER, schemaURL: RUN_EVENT_SCHEMA_URL });
  expect(event.run.runId).toMatch(UUID);
  expect(Number.isNaN(Date.parse(event.eventTime))).toBe(false);
  for (const [where, facet] of facetsOf(event)) {
    expect(facet, `${key} ${where}`).toMatchObject({ _producer: LINEAGE_PRODUCER, _schemaURL: expect.stringMatching(/^https:\/\//) });
    const custom = customFacetSchemas[where.split('.').at(-1) as keyof typeof customFacetSchemas];
    if (custom === undefined) continue;
    expect(facet['_schemaURL'], `${key} ${where}`).toBe(custom.url);
    const isFacet = ajv.getSchema(custom.url)!;
    expect(isFacet(facet), `${key} ${where}: ${ajv.errorsText(isFacet.errors)}`).toBe(true);
  }
}

/** The START and the terminal event of each run, runs in the order they started. */
export function runsOf(events: readonly WrittenEvent[]): { start: WrittenEvent; end: WrittenEvent }[] {
  const byRun = new Map<string, WrittenEvent[]>();
  for (const written of events) byRun.set(written.event.run.runId, [...(byRun.get(written.event.run.runId) ?? []), written]);
  return [...byRun.values()]
    .map((written) => {
      expect(written, 'two events per run').toHaveLength(2);
      const start = written.find(({ event }) => event.eventType === 'START')!;
      const end = written.find(({ event }) => event.eventType !== 'START')!;
      expect(start, 'one START per run').toBeDefined();
      expect(end, 'one terminal event per run').toBeDefined();
      return { start, end };
    })
    .sort((left, right) => left.start.event.eventTime.localeCompare(right.start.event.eventTime));
}

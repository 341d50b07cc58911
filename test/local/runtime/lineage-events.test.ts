/**
 * OpenLineage events written by real offline runs of the synthesized pipelines (issue 12 items 3
 * and 5): each validated against the OpenLineage spec's own JSON Schema (a copy beside this file,
 * see openlineage/SOURCE.md), each run with one START and one terminal event sharing its run id,
 * row counts as the validation report has them, a rejected file ending in FAIL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, glueDatabaseName, silverTableName } from '../../../lib/config/names.ts';
import { lineageEventKey } from '../../../lib/ingest/layout.ts';
import type { BuildRun } from '../../../lib/local/runtime/build-service.ts';
import type { PipelineRun } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { readJsonObject } from '../../../lib/local/runtime/zone-objects.ts';
import { CONTRACT_FACET, CONTRACT_FACET_SCHEMA_URL } from '../../../lib/pipeline/lineage/contract-facet.ts';
import type { ValidationReport } from '../../../lib/validation/report.ts';
import { type RuntimeFixture, sample, SAMPLE_INGEST_TIME, startRuntime } from './helpers.ts';
import { customFacetSchemas, eventsUnder as eventsIn, expectValid, runsOf, type WrittenEvent } from './lineage-event-checks.ts';

let fixture: RuntimeFixture;
const at = { ingestTime: SAMPLE_INGEST_TIME };

/** The events under a job's lineage prefix, each with its key. */
function eventsUnder(domain: string, table: string): Promise<WrittenEvent[]> {
  return eventsIn(fixture.runtime.s3.client, fixture.runtime.buckets.audit, domain, table);
}

/** The events of a dataset's pipeline runs. */
async function eventsOf(ref: string): Promise<WrittenEvent[]> {
  const dataset = fixture.runtime.dataset(ref);
  return eventsUnder(dataset.domain, silverTableName(dataset));
}

async function reportOf(run: PipelineRun): Promise<ValidationReport> {
  return readJsonObject<ValidationReport>(fixture.runtime.s3.client, fixture.runtime.buckets.audit, run.reportKey!);
}

let clean: PipelineRun;
let quarantining: PipelineRun;
let rejected: PipelineRun;

beforeAll(async () => {
  fixture = await startRuntime();
  clean = await fixture.runtime.run('sales/orders', sample('sales', 'orders.csv'), at);
  quarantining = await fixture.runtime.run('sales/orders', sample('sales', 'orders.broken.csv'), at);
  rejected = await fixture.runtime.run('sales/customers', sample('sales', 'customers.broken.csv'), at);
});

afterAll(async () => {
  await fixture.close();
});

describe("a dataset pipeline's lineage events", () => {
  it('are RunEvents by the OpenLineage 2-0-2 schema, each facet with its producer and schema, the contract facet by its own', async () => {
    const events = [...(await eventsOf('sales/orders')), ...(await eventsOf('sales/customers'))];
    expect(events).toHaveLength(6);
    for (const written of events) {
      expectValid(written);
      for (const dataset of [...written.event.inputs, ...written.event.outputs]) expect(dataset.facets[CONTRACT_FACET], written.key).toBeDefined();
    }
    expect(CONTRACT_FACET_SCHEMA_URL.split('#')[0]).toBe(customFacetSchemas[CONTRACT_FACET].schema.$id);
  });

  it('are one START and one terminal event per run, sharing its run id, filed under the day it started', async () => {
    const runs = runsOf(await eventsOf('sales/orders'));
    expect(runs.map(({ end }) => end.event.eventType)).toEqual(['COMPLETE', 'COMPLETE']);
    for (const [index, run] of [clean, quarantining].entries()) {
      const { start, end } = runs[index]!;
      expect(end.event.run.runId).toBe(start.event.run.runId);
      expect(end.event.eventTime >= start.event.eventTime).toBe(true);
      // The execution started after its record was written and before its START was: the day of
      // either, both when the run straddled midnight UTC, never the day the test reads it.
      const recorded = fixture.runtime.executions.find(run.executionArn)!.startDate;
      const startDates = [...new Set([recorded, start.event.eventTime].map((time) => time.slice(0, 10)))];
      for (const { key, event } of [start, end]) {
        expect(startDates.map((startDate) => lineageEventKey('sales', 'orders', { startDate, runId: event.run.runId, eventType: event.eventType }))).toContain(key);
      }
    }
  });

  it('name the landed file as input and the silver table as output, with the contract version, the columns and the row counts of the report', async () => {
    const { runtime } = fixture;
    const { identity } = runtime.environment;
    const orders = runtime.dataset('sales/orders');
    const runs = runsOf(await eventsOf('sales/orders'));
    for (const [index, run] of [clean, quarantining].entries()) {
      const report = await reportOf(run);
      const { start, end } = runs[index]!;
      const [input] = end.event.inputs;
      const [output] = end.event.outputs;
      expect(input).toMatchObject({ namespace: `s3://${bucketName(identity, 'landing')}`, name: `sales/orders/${report.file.split('/').at(-1)}` });
      expect(output).toMatchObject({ namespace: `arn:aws:glue:${identity.region}:${identity.account}`, name: `table/${glueDatabaseName(identity, 'sales')}/orders` });
      expect(start.event.job).toMatchObject({ namespace: `${identity.organization}-${identity.environment}`, name: 'sales.orders', facets: { jobType: { processingType: 'BATCH', jobType: 'PIPELINE' } } });
      expect(input!.facets[CONTRACT_FACET]).toMatchObject({ id: report.contractId, version: report.contractVersion, dataset: 'sales/orders', owner: orders.owner });
      expect((input!.facets['schema'] as unknown as { fields: { name: string }[] }).fields.map((field) => field.name)).toEqual(orders.columns.map((column) => column.name));
      expect(input!.inputFacets['dataQualityMetrics']).toMatchObject({ rowCount: report.rowCount });
      expect(output!.outputFacets['outputStatistics']).toMatchObject({ rowCount: report.rowsPassed });
      expect(report.rowsPassed).toBe(run.rowsLoaded);
      // What START knows: no counts yet.
      expect(start.event.inputs[0]!.inputFacets).toEqual({});
      expect(start.event.outputs[0]!.outputFacets).toEqual({});
    }
  });

  it('end a rejected file with FAIL, its error naming the report, its rows counted and none loaded', async () => {
    const runs = runsOf(await eventsOf('sales/customers'));
    expect(runs).toHaveLength(1);
    const { end } = runs[0]!;
    const report = await reportOf(rejected);
    expect(rejected).toMatchObject({ status: 'FAILED', rejected: true });
    expect(end.event.eventType).toBe('FAIL');
    expect(end.event.run.facets['errorMessage']).toMatchObject({ message: expect.stringContaining(rejected.reportKey!) });
    expect(end.event.inputs[0]!.inputFacets['dataQualityMetrics']).toMatchObject({ rowCount: report.rowCount });
    expect(end.event.outputs[0]!.outputFacets['outputStatistics']).toMatchObject({ rowCount: 0 });
  });
});

describe("a build's lineage events, one run per model that ran", () => {
  let builds: BuildRun[];

  beforeAll(async () => {
    builds = await fixture.runtime.build();
  });

  it('are a START and a COMPLETE for a published model, its inputs the tables it reads, its output its gold table', async () => {
    const { identity } = fixture.runtime.environment;
    const catalog = `arn:aws:glue:${identity.region}:${identity.account}`;
    const published = builds.flatMap((build) => build.models).find((model) => model.model === 'sales/daily_revenue');
    expect(published?.status).toBe('published');
    const events = await eventsUnder('sales', 'daily_revenue');
    for (const written of events) expectValid(written);
    const [run] = runsOf(events);
    expect(runsOf(events)).toHaveLength(1);
    expect(run!.end.event.eventType).toBe('COMPLETE');
    expect(run!.start.event.job).toMatchObject({ name: 'sales.daily_revenue', facets: { jobType: { jobType: 'MODEL' } } });
    expect(run!.end.event.inputs).toEqual([
      expect.objectContaining({ namespace: catalog, name: `table/${glueDatabaseName(identity, 'sales')}/orders`, facets: expect.objectContaining({ [CONTRACT_FACET]: expect.anything() }) }),
    ]);
    expect(run!.end.event.outputs).toEqual([expect.objectContaining({ namespace: catalog, name: `table/${glueDatabaseName(identity, 'sales')}/daily_revenue` })]);
  });

  it('end with FAIL, its error saying why, for a model that could not run; a model that did not run writes none', async () => {
    const models = builds.flatMap((build) => build.models);
    for (const model of models) {
      const [domain, name] = model.model.split('/') as [string, string];
      const events = await eventsUnder(domain, name);
      const ran = ['published', 'failed', 'error'].includes(model.status);
      expect(events, `${model.model} ${model.status}`).toHaveLength(ran ? 2 : 0);
      if (!ran) continue;
      for (const written of events) expectValid(written);
      const [run] = runsOf(events);
      expect(run!.end.event.eventType, model.model).toBe(model.status === 'published' ? 'COMPLETE' : 'FAIL');
    }
    const errored = models.find((model) => model.model === 'marketing/campaign_summary');
    expect(errored?.status).toBe('error');
    const [run] = runsOf(await eventsUnder('marketing', 'campaign_summary'));
    expect(run!.end.event.run.facets['errorMessage']).toMatchObject({ message: expect.stringContaining('marketing/campaigns has no table') });
  });
});

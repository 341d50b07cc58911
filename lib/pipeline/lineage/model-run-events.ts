/**
 * The lineage events of one model's run in its domain's build: the tables it reads (silver tables
 * described by their contracts, other models' gold tables) in, its gold table out. Values only
 * known at run time (the time, the run id, the failure) are parameters, which the build's
 * definition fills with JSONPath. Pure.
 */
import { type EnvironmentIdentity, glueDatabaseName } from '../../config/names.ts';
import type { TransformModel } from '../../transforms/model.ts';
import { silverColumns } from '../silver-table.ts';
import { CONTRACT_FACET, contractFacet } from './contract-facet.ts';
import { glueTable, lineageJob } from './lineage-names.ts';
import { type Facets, jobTypeFacet, type LineageInput, type RunDatasets, type RunEvent, runEvent, type RunIdentity, schemaFacet } from './run-event.ts';

export type LineageModel = Pick<TransformModel, 'domain' | 'name' | 'columns' | 'resolved'>;

/** A model's runs as a job: named by its gold table. */
export function modelJob(model: LineageModel, identity: EnvironmentIdentity): RunEvent['job'] {
  return { ...lineageJob(identity, model.domain, model.name), facets: { jobType: jobTypeFacet('MODEL') } };
}

export type ModelRunOutcome = { readonly eventType: 'START' | 'COMPLETE' } | { readonly eventType: 'FAIL'; readonly errorMessage: string };

/** Each table the model reads, once, in the order its file first names it. */
function inputs(model: LineageModel, identity: EnvironmentIdentity): LineageInput[] {
  const targets = [...new Map([...model.resolved.values()].map((target) => [target.id, target])).values()];
  return targets.map((target): LineageInput => {
    const facets: Facets =
      target.kind === 'dataset' ? { schema: schemaFacet(silverColumns(target.dataset)), [CONTRACT_FACET]: contractFacet(target.dataset) } : {};
    return { ...glueTable(identity, glueDatabaseName(identity, target.domain), target.table), facets, inputFacets: {} };
  });
}

export function modelDatasets(model: LineageModel, identity: EnvironmentIdentity): RunDatasets {
  return {
    inputs: inputs(model, identity),
    outputs: [
      {
        ...glueTable(identity, glueDatabaseName(identity, model.domain), model.name),
        // The columns the model's file documents; their types are inferred from its SQL.
        facets: model.columns.length === 0 ? {} : { schema: schemaFacet(model.columns) },
        outputFacets: {},
      },
    ],
  };
}

export function modelRunEvent(model: LineageModel, identity: EnvironmentIdentity, run: RunIdentity, outcome: ModelRunOutcome): RunEvent {
  const datasets = run.datasets ?? modelDatasets(model, identity);
  return runEvent({
    eventType: outcome.eventType,
    eventTime: run.eventTime,
    runId: run.runId,
    job: run.job ?? modelJob(model, identity),
    inputs: datasets.inputs,
    outputs: datasets.outputs,
    ...(outcome.eventType === 'FAIL' ? { errorMessage: outcome.errorMessage } : {}),
  });
}

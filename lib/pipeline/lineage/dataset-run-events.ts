/**
 * The lineage events of one run of a dataset's pipeline: the landed file in, the silver table out,
 * both described by the dataset's contract. Values only known at run time (the time, the run id,
 * the landed object, row counts, the failure) are parameters, which the pipeline's definition
 * fills with JSONPath. Pure.
 */
import { bucketName, type EnvironmentIdentity, glueDatabaseName, silverTableName } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import { silverColumns } from '../silver-table.ts';
import { CONTRACT_FACET, contractFacet } from './contract-facet.ts';
import { glueTable, lineageJob, s3Object } from './lineage-names.ts';
import {
  dataQualityMetricsFacet,
  type Facets,
  jobTypeFacet,
  type LineageInput,
  type LineageOutput,
  outputStatisticsFacet,
  type RunEvent,
  runEvent,
  schemaFacet,
} from './run-event.ts';

/** What of a dataset its events say: names, columns, contract and owner. */
export type PipelinedDataset = Pick<Dataset, 'domain' | 'name' | 'names' | 'columns' | 'partitionColumns' | 'contract' | 'owner'>;

/**
 * What every event of a run says the same: the job, and the run's input and output as an event
 * without row counts has them (START, a failure before validation counted rows).
 */
export interface DatasetRunShared {
  readonly job: RunEvent['job'];
  readonly inputs: readonly [LineageInput];
  readonly outputs: readonly [LineageOutput];
}

/** A run's input and output facets (the contract's columns and the contract), which the events with row counts add to. */
export interface DatasetFacets {
  readonly input: Facets;
  readonly output: Facets;
}

/** What an event of one run is made of. */
export interface DatasetRun {
  readonly runId: string;
  readonly eventTime: string;
  /** The landed object the run validates, in the environment's landing zone. */
  readonly key: string;
  /** @default datasetRunShared(dataset, identity, key); a state machine passes the path where the run keeps it */
  readonly shared?: DatasetRunShared;
  /** @default the facets of `shared`'s input and output; a state machine passes their paths */
  readonly facets?: DatasetFacets;
}

/** Rows the run validated and loaded, as the validation report counts them. */
export interface RunRows {
  readonly validated: number;
  readonly loaded: number;
}

/** How the run ended, or START; row counts only where the run got as far as validating. */
export type DatasetRunOutcome =
  | { readonly eventType: 'START' }
  | { readonly eventType: 'COMPLETE'; readonly rows: RunRows }
  | { readonly eventType: 'FAIL'; readonly errorMessage: string; readonly rows?: RunRows };

/** The pipeline of a dataset as a job: named by its silver table. */
function datasetJob(dataset: PipelinedDataset, identity: EnvironmentIdentity): RunEvent['job'] {
  return { ...lineageJob(identity, dataset.domain, silverTableName(dataset)), facets: { jobType: jobTypeFacet('PIPELINE') } };
}

const landedObject = (identity: EnvironmentIdentity, key: string) => s3Object(bucketName(identity, 'landing'), key);
const silverTable = (dataset: PipelinedDataset, identity: EnvironmentIdentity) =>
  glueTable(identity, glueDatabaseName(identity, dataset.domain), silverTableName(dataset));

export function datasetRunShared(dataset: PipelinedDataset, identity: EnvironmentIdentity, key: string): DatasetRunShared {
  const columns = silverColumns(dataset);
  const contract = { [CONTRACT_FACET]: contractFacet(dataset) };
  return {
    job: datasetJob(dataset, identity),
    // The file as the contract declares it, before the lakehouse adds its own columns.
    inputs: [{ ...landedObject(identity, key), facets: { schema: schemaFacet(columns.filter((column) => column.contractType !== undefined)), ...contract }, inputFacets: {} }],
    outputs: [{ ...silverTable(dataset, identity), facets: { schema: schemaFacet(columns), ...contract }, outputFacets: {} }],
  };
}

export function datasetRunEvent(dataset: PipelinedDataset, identity: EnvironmentIdentity, run: DatasetRun, outcome: DatasetRunOutcome): RunEvent {
  const shared = run.shared ?? datasetRunShared(dataset, identity, run.key);
  const facets = run.facets ?? { input: shared.inputs[0].facets, output: shared.outputs[0].facets };
  const rows = outcome.eventType === 'START' ? undefined : outcome.rows;
  return runEvent({
    eventType: outcome.eventType,
    eventTime: run.eventTime,
    runId: run.runId,
    job: shared.job,
    // Without row counts, the input and output are the run's shared ones, whole.
    inputs:
      rows === undefined
        ? shared.inputs
        : [{ ...landedObject(identity, run.key), facets: facets.input, inputFacets: { dataQualityMetrics: dataQualityMetricsFacet(rows.validated) } }],
    outputs:
      rows === undefined
        ? shared.outputs
        : [{ ...silverTable(dataset, identity), facets: facets.output, outputFacets: { outputStatistics: outputStatisticsFacet(rows.loaded) } }],
    ...(outcome.eventType === 'FAIL' ? { errorMessage: outcome.errorMessage } : {}),
  });
}

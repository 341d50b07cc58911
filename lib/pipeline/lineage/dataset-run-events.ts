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
import { dataQualityMetricsFacet, type Facets, jobTypeFacet, outputStatisticsFacet, type RunEvent, runEvent, schemaFacet } from './run-event.ts';

/** What of a dataset its events say: names, columns, contract and owner. */
export type PipelinedDataset = Pick<Dataset, 'domain' | 'name' | 'names' | 'columns' | 'partitionColumns' | 'contract' | 'owner'>;

/** The facets every event gives the run's input and output: the contract's columns and the contract itself. */
export interface DatasetFacets {
  readonly input: Facets;
  readonly output: Facets;
}

/** What every event of a run says the same. */
export interface DatasetRun {
  readonly runId: string;
  readonly eventTime: string;
  /** The landed object the run validates, in the environment's landing zone. */
  readonly key: string;
  /** @default datasetFacets(dataset); a state machine passes the path where the run keeps them */
  readonly facets?: DatasetFacets;
  /** @default datasetJob(dataset, identity); a state machine passes the path where the run keeps it */
  readonly job?: RunEvent['job'];
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

export function datasetFacets(dataset: PipelinedDataset): DatasetFacets {
  const columns = silverColumns(dataset);
  const contract = { [CONTRACT_FACET]: contractFacet(dataset) };
  return {
    // The file as the contract declares it, before the lakehouse adds its own columns.
    input: { schema: schemaFacet(columns.filter((column) => column.contractType !== undefined)), ...contract },
    output: { schema: schemaFacet(columns), ...contract },
  };
}

/** The pipeline of a dataset as a job: named by its silver table. */
export function datasetJob(dataset: PipelinedDataset, identity: EnvironmentIdentity): RunEvent['job'] {
  return { ...lineageJob(identity, dataset.domain, silverTableName(dataset)), facets: { jobType: jobTypeFacet('PIPELINE') } };
}

export function datasetRunEvent(dataset: PipelinedDataset, identity: EnvironmentIdentity, run: DatasetRun, outcome: DatasetRunOutcome): RunEvent {
  const facets = run.facets ?? datasetFacets(dataset);
  const rows = outcome.eventType === 'START' ? undefined : outcome.rows;
  return runEvent({
    eventType: outcome.eventType,
    eventTime: run.eventTime,
    runId: run.runId,
    job: run.job ?? datasetJob(dataset, identity),
    inputs: [
      {
        ...s3Object(bucketName(identity, 'landing'), run.key),
        facets: facets.input,
        inputFacets: rows === undefined ? {} : { dataQualityMetrics: dataQualityMetricsFacet(rows.validated) },
      },
    ],
    outputs: [
      {
        ...glueTable(identity, glueDatabaseName(identity, dataset.domain), silverTableName(dataset)),
        facets: facets.output,
        outputFacets: rows === undefined ? {} : { outputStatistics: outputStatisticsFacet(rows.loaded) },
      },
    ],
    ...(outcome.eventType === 'FAIL' ? { errorMessage: outcome.errorMessage } : {}),
  });
}

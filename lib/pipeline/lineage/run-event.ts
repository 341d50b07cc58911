/**
 * OpenLineage `RunEvent`s (https://openlineage.io/spec/2-0-2/OpenLineage.json) and the standard
 * facets the lakehouse fills, as plain data: the state machines carry them in their definitions,
 * with JSONPath values where a field is only known at run time, and tests read them back. Pure:
 * no CDK, no AWS SDK. Every facet names this project as its producer and the schema it follows.
 */
import packageJson from '../../../package.json' with { type: 'json' };

/** The spec version every event follows, as its `schemaURL`. */
export const RUN_EVENT_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** This project's repository on GitHub, `<owner>/<name>`: package.json's `repository`, in npm's `github:` shorthand. */
const REPOSITORY = packageJson.repository.replace(/^github:/, '');
/** The tag of the version that writes an event. */
const RELEASE_TAG = `v${packageJson.version}`;

/**
 * Who wrote an event: this project's source at the version that wrote it (package.json), the form
 * OpenLineage's own clients use (a repository URL at a tag).
 */
export const LINEAGE_PRODUCER = `https://github.com/${REPOSITORY}/tree/${RELEASE_TAG}`;

/** Where a file of this repository (`path` from its root) is published at the version that writes an event: a custom facet's JSON Schema, whose `$id` it is. */
export function publishedFileUrl(path: string): string {
  return `https://raw.githubusercontent.com/${REPOSITORY}/${RELEASE_TAG}/${path}`;
}

/** START first, then exactly one of COMPLETE or FAIL per run. */
export type LineageEventType = 'START' | 'COMPLETE' | 'FAIL';

/** Every facet: who wrote it and the JSON Schema (with a pointer to its definition) it follows. */
export interface Facet {
  readonly _producer: string;
  readonly _schemaURL: string;
  readonly [field: string]: unknown;
}

export type Facets = Readonly<Record<string, Facet>>;

export interface LineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets: Facets;
}

export interface LineageInput extends LineageDataset {
  readonly inputFacets: Facets;
}

export interface LineageOutput extends LineageDataset {
  readonly outputFacets: Facets;
}

export interface RunEvent {
  readonly eventType: LineageEventType;
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly run: { readonly runId: string; readonly facets: Facets };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets: Facets };
  readonly inputs: readonly LineageInput[];
  readonly outputs: readonly LineageOutput[];
}

/** The datasets a run reads and writes, the same in every event of the run. */
export interface RunDatasets {
  readonly inputs: readonly LineageInput[];
  readonly outputs: readonly LineageOutput[];
}

/**
 * What every event of one model or training run says the same. A state machine passes the paths
 * where the run keeps its datasets and job; without them, the builder derives both.
 */
export interface RunIdentity {
  readonly runId: string;
  readonly eventTime: string;
  readonly datasets?: RunDatasets;
  readonly job?: RunEvent['job'];
}

/**
 * What one event says besides its job and datasets. Values may be JSONPath placeholders the
 * state machine fills in (`$$.State.EnteredTime`, the run id it drew).
 */
export interface RunEventParts {
  readonly eventType: LineageEventType;
  readonly eventTime: string;
  readonly runId: string;
  readonly job: { readonly namespace: string; readonly name: string; readonly facets: Facets };
  readonly inputs: readonly LineageInput[];
  readonly outputs: readonly LineageOutput[];
  /** Set on FAIL: the error and cause the run failed with. */
  readonly errorMessage?: string;
}

const FACET_SCHEMAS = {
  schema: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  dataQualityMetrics: 'https://openlineage.io/spec/facets/1-0-2/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet',
  outputStatistics: 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet',
  errorMessage: 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
} as const;

function facet(schemaURL: string, fields: Record<string, unknown>): Facet {
  return { _producer: LINEAGE_PRODUCER, _schemaURL: schemaURL, ...fields };
}

/** The standard `schema` dataset facet: column names, with their types and descriptions where known. */
export function schemaFacet(columns: readonly { readonly name: string; readonly type?: string; readonly description?: string }[]): Facet {
  return facet(FACET_SCHEMAS.schema, {
    fields: columns.map(({ name, type, description }) => ({
      name,
      ...(type === undefined ? {} : { type }),
      ...(description === undefined ? {} : { description }),
    })),
  });
}

/** The standard `dataQualityMetrics` input facet: rows the run checked, in one file. */
export function dataQualityMetricsFacet(rowCount: number): Facet {
  return facet(FACET_SCHEMAS.dataQualityMetrics, { rowCount, fileCount: 1, columnMetrics: {} });
}

/** The standard `outputStatistics` output facet: rows the run wrote. */
export function outputStatisticsFacet(rowCount: number): Facet {
  return facet(FACET_SCHEMAS.outputStatistics, { rowCount });
}

/** The standard `jobType` job facet: a batch job of this integration. */
export function jobTypeFacet(jobType: 'PIPELINE' | 'MODEL' | 'ML_TRAINING'): Facet {
  return facet(FACET_SCHEMAS.jobType, { processingType: 'BATCH', integration: 'CONTRACT_LAKEHOUSE', jobType });
}

/** The standard `errorMessage` run facet. Runs are Step Functions executions, written in the Amazon States Language. */
function errorMessageFacet(message: string): Facet {
  return facet(FACET_SCHEMAS.errorMessage, { message, programmingLanguage: 'Amazon States Language' });
}

/** A facet OpenLineage does not define, under the JSON Schema its definer publishes. */
export function customFacet(schemaURL: string, fields: Record<string, unknown>): Facet {
  return facet(schemaURL, fields);
}

export function runEvent(parts: RunEventParts): RunEvent {
  return {
    eventType: parts.eventType,
    eventTime: parts.eventTime,
    producer: LINEAGE_PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: parts.runId, facets: parts.errorMessage === undefined ? {} : { errorMessage: errorMessageFacet(parts.errorMessage) } },
    job: parts.job,
    inputs: parts.inputs,
    outputs: parts.outputs,
  };
}

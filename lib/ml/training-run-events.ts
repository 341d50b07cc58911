/**
 * The lineage events of one run of an ML model's training: its feature table in, its SageMaker
 * Model Package Group out. Values only known at run time (the time, the run id, the outcome, the
 * metrics, the failure) are parameters, which the training machine's definition fills with
 * JSONPath. Pure.
 */
import { type EnvironmentIdentity, glueDatabaseName } from '../config/names.ts';
import { glueTable, lineageJob, sageMakerModelPackageGroup } from '../pipeline/lineage/lineage-names.ts';
import { customFacet, type Facet, jobTypeFacet, publishedFileUrl, type RunDatasets, type RunEvent, runEvent, type RunIdentity, schemaFacet } from '../pipeline/lineage/run-event.ts';
import type { MlModel } from './model.ts';

export type LineageMlModel = Pick<MlModel, 'domain' | 'name' | 'featureModel' | 'label' | 'features'>;

/** What a training run ended with, as a custom run facet (custom facets carry their definer's prefix). */
export const TRAINING_FACET = 'contractLakehouse_training';

/** Where `TrainingRunFacet.json` is published: this file's folder, at the version that wrote the event. */
export const TRAINING_FACET_SCHEMA_URL = `${publishedFileUrl('lib/ml/TrainingRunFacet.json')}#/$defs/TrainingRunFacet`;

/**
 * START; COMPLETE once the run is recorded, registered or below its thresholds, with its outcome
 * (status, and the version's package ARN when registered) and the metrics the job reported; FAIL.
 */
export type TrainingRunOutcome =
  | { readonly eventType: 'START' }
  | { readonly eventType: 'COMPLETE'; readonly outcome: Record<string, unknown>; readonly metrics: unknown }
  | { readonly eventType: 'FAIL'; readonly errorMessage: string };

/** A model's training runs as a job, named by the model. */
export function trainingJob(model: LineageMlModel, identity: EnvironmentIdentity): RunEvent['job'] {
  return { ...lineageJob(identity, model.domain, model.name), facets: { jobType: jobTypeFacet('ML_TRAINING') } };
}

export function trainingDatasets(model: LineageMlModel, identity: EnvironmentIdentity, group: string): RunDatasets {
  const [featureDomain, featureTable] = model.featureModel.split('/') as [string, string];
  return {
    inputs: [
      {
        ...glueTable(identity, glueDatabaseName(identity, featureDomain), featureTable),
        // The columns a run reads to learn from: the label and the features.
        facets: { schema: schemaFacet([{ name: model.label }, ...model.features]) },
        inputFacets: {},
      },
    ],
    outputs: [{ ...sageMakerModelPackageGroup(identity, group), facets: {}, outputFacets: {} }],
  };
}

function trainingFacet(outcome: Record<string, unknown>, metrics: unknown): Facet {
  return customFacet(TRAINING_FACET_SCHEMA_URL, { outcome, metrics });
}

export function trainingRunEvent(model: LineageMlModel, identity: EnvironmentIdentity, group: string, run: RunIdentity, outcome: TrainingRunOutcome): RunEvent {
  const datasets = run.datasets ?? trainingDatasets(model, identity, group);
  const event = runEvent({
    eventType: outcome.eventType,
    eventTime: run.eventTime,
    runId: run.runId,
    job: run.job ?? trainingJob(model, identity),
    inputs: datasets.inputs,
    outputs: datasets.outputs,
    ...(outcome.eventType === 'FAIL' ? { errorMessage: outcome.errorMessage } : {}),
  });
  if (outcome.eventType !== 'COMPLETE') return event;
  return { ...event, run: { ...event.run, facets: { ...event.run.facets, [TRAINING_FACET]: trainingFacet(outcome.outcome, outcome.metrics) } } };
}

/**
 * The Tasks a dataset's pipeline calls besides the shared services, offline: Validate answered by
 * the validator's own handler (its S3 client on the local server, its stdout in the function's
 * log), Load by the DuckDB rendering of the dataset's compiled load step over the delivery's
 * validated Parquet, the lineage events written to the local audit zone.
 */
import { join } from 'node:path';
import { validatorFunctionName } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import type { LandedFileEvent } from '../../ingest/landed-file-event.ts';
import type { ValidationOutcome } from '../../ingest/process-landed-file.ts';
import { loadStep } from '../../pipeline/load-step.ts';
import { PIPELINE_STATES } from '../../pipeline/state-names.ts';
import type { TaskHandler } from '../stepfunctions/task-handlers.ts';
import type { LocalIntegrations } from './integrations.ts';
import { loadQuery } from './load-query.ts';
import type { LocalServices } from './local-services.ts';
import { putObjectTask } from './put-object-task.ts';
import { validatorTask, type ValidatorResponse } from './validator-task.ts';

export interface PipelineTaskOptions {
  readonly dataset: Dataset;
  /** The landing event the execution runs for. */
  readonly input: LandedFileEvent;
  /** Told every outcome the validator returns: what the run's summary reports. */
  readonly onOutcome: (outcome: ValidationOutcome) => void;
}

export function pipelineTasks(services: LocalServices, options: PipelineTaskOptions): LocalIntegrations {
  return {
    'lambda:invoke': () => validator(services, options, 'lambda-invoke'),
    'lambda:function': () => validator(services, options, 'payload'),
    'athena:startQueryExecution.sync': (state) => load(services, options, state.name),
    's3:putObject': () => putObjectTask(services.s3.client),
  };
}

function validator(services: LocalServices, { dataset, onOutcome }: PipelineTaskOptions, response: ValidatorResponse): TaskHandler {
  const { environment, s3, scratch, paths } = services;
  const functionName = validatorFunctionName(environment.identity, dataset);
  return validatorTask(
    {
      dataset,
      functionName,
      s3: s3.client,
      buckets: services.zoneBuckets(),
      environment: environment.identity.environment,
      scratchDirectory: scratch,
      logFile: join(paths.functionLogs, `${functionName}.log`),
      onOutcome,
    },
    response,
  );
}

function load(services: LocalServices, { dataset, input }: PipelineTaskOptions, state: string): TaskHandler {
  if (state !== PIPELINE_STATES.load) {
    throw new Error(`state ${state} runs an Athena query the pipeline of ${dataset.names.ref} has no compiled step for`);
  }
  const { lake, connection, s3, buckets, scratch, athena } = services;
  const query = loadQuery({
    dataset,
    step: loadStep(dataset, { database: services.database(dataset) }),
    lake,
    connection,
    s3: s3.client,
    validatedBucket: buckets.validated,
    landingKey: input.key,
    scratchDirectory: scratch,
  });
  return (request) => athena.startQueryExecutionSync(request, query);
}

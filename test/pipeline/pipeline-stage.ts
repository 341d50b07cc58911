/**
 * A small Stage holding one dataset's pipeline with stand-ins for what the dataset stack passes
 * it (the validator function, the platform key, bucket names), so the construct is tested alone.
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type EnvironmentIdentity, pipelineLogGroupPrefix, validatorFunctionName } from '../../lib/config/names.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { DatasetLockTable } from '../../lib/constructs/dataset-lock.ts';
import { DatasetPipeline, type DatasetPipelineProps } from '../../lib/constructs/dataset-pipeline.ts';
import { PipelineLogKey } from '../../lib/constructs/pipeline-log-key.ts';

export const IDENTITY: EnvironmentIdentity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };

export const BUCKETS = {
  validated: 'acme-dev-validated-111111111111-eu-west-1',
  silver: 'acme-dev-silver-111111111111-eu-west-1',
  audit: 'acme-dev-audit-111111111111-eu-west-1',
  athenaResults: 'acme-dev-athena-results-111111111111-eu-west-1',
};

export interface PipelineStage {
  readonly stage: Stage;
  readonly stack: Stack;
  readonly pipeline: DatasetPipeline;
}

export function pipelineStage(dataset: Dataset, overrides: Partial<DatasetPipelineProps> = {}): PipelineStage {
  const app = new App();
  const stage = new Stage(app, 'dev', { env: { account: IDENTITY.account, region: IDENTITY.region } });
  const stack = new Stack(stage, 'Datasets');
  const validator = new lambda.Function(stack, 'Validator', {
    functionName: validatorFunctionName(IDENTITY, dataset),
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  const pipeline = new DatasetPipeline(stack, 'Pipeline', {
    dataset,
    identity: IDENTITY,
    validator,
    lockTable: new DatasetLockTable(stack, 'Locks'),
    buckets: BUCKETS,
    key: new kms.Key(stack, 'PlatformKey'),
    logKey: new PipelineLogKey(stack, 'LogKey', {
      logGroupNamePrefix: pipelineLogGroupPrefix(IDENTITY, dataset.domain),
      description: 'Pipeline logs',
    }).key,
    ...overrides,
  });
  return { stage, stack, pipeline };
}

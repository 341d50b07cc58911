import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
  type CreateModelPackageCommandInput,
  type DescribeModelPackageCommandOutput,
  type ListModelPackagesCommandInput,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SageMakerModelRegistry } from '../../lib/ml/sagemaker-registry.ts';
import { describeRegistryContract, registration } from './registry-contract.ts';

/**
 * SageMaker's registry as far as the adapter uses it, behind the mocked client: versions numbered
 * per group, a repeated ClientToken answered with the package it made, list pages of at most two
 * (SageMaker may return fewer than MaxResults), so every caller must follow NextToken.
 */
function fakeSageMaker() {
  const mock = mockClient(SageMakerClient);
  const packages = new Map<string, DescribeModelPackageCommandOutput>();
  const byToken = new Map<string, string>();
  let clock = Date.parse('2026-12-01T00:00:00Z');
  mock.on(CreateModelPackageCommand).callsFake((input: CreateModelPackageCommandInput) => {
    const known = byToken.get(input.ClientToken!);
    if (known !== undefined) return { ModelPackageArn: known };
    const group = input.ModelPackageGroupName!;
    const version = [...packages.values()].filter((described) => described.ModelPackageGroupName === group).length + 1;
    const arn = `arn:aws:sagemaker:eu-west-1:123456789012:model-package/${group}/${version}`;
    packages.set(arn, {
      $metadata: {},
      ModelPackageName: group,
      ModelPackageGroupName: group,
      ModelPackageVersion: version,
      ModelPackageArn: arn,
      CreationTime: new Date((clock += 1000)),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [] },
      ModelApprovalStatus: input.ModelApprovalStatus,
      InferenceSpecification: input.InferenceSpecification,
      ModelMetrics: input.ModelMetrics,
      CustomerMetadataProperties: input.CustomerMetadataProperties,
    });
    byToken.set(input.ClientToken!, arn);
    return { ModelPackageArn: arn };
  });
  mock.on(DescribeModelPackageCommand).callsFake(({ ModelPackageName }) => {
    const described = packages.get(ModelPackageName);
    if (described === undefined) throw Object.assign(new Error(`Model package ${ModelPackageName} does not exist`), { name: 'ValidationException' });
    return described;
  });
  mock.on(UpdateModelPackageCommand).callsFake(({ ModelPackageArn, ModelApprovalStatus, ApprovalDescription }) => {
    packages.set(ModelPackageArn, { ...packages.get(ModelPackageArn)!, ModelApprovalStatus, ApprovalDescription });
    return { ModelPackageArn };
  });
  mock.on(ListModelPackagesCommand).callsFake((input: ListModelPackagesCommandInput) => {
    const matching = [...packages.values()]
      .filter((described) => described.ModelPackageGroupName === input.ModelPackageGroupName)
      .filter((described) => input.ModelApprovalStatus === undefined || described.ModelApprovalStatus === input.ModelApprovalStatus)
      .sort((a, b) => (a.CreationTime!.getTime() - b.CreationTime!.getTime()) * (input.SortOrder === 'Descending' ? -1 : 1));
    const start = Number(input.NextToken ?? 0);
    const end = start + Math.min(input.MaxResults ?? 10, 2);
    return {
      ModelPackageSummaryList: matching.slice(start, end).map((described) => ({
        ModelPackageGroupName: described.ModelPackageGroupName,
        ModelPackageVersion: described.ModelPackageVersion,
        ModelPackageArn: described.ModelPackageArn,
        CreationTime: described.CreationTime,
        ModelPackageStatus: described.ModelPackageStatus,
        ModelApprovalStatus: described.ModelApprovalStatus,
      })),
      ...(end < matching.length ? { NextToken: String(end) } : {}),
    };
  });
  return mock;
}

describeRegistryContract('the SageMaker registry', async () => {
  fakeSageMaker();
  return new SageMakerModelRegistry(new SageMakerClient({ region: 'eu-west-1' }));
});

describe('the SageMaker registry, its calls', () => {
  it('creates a versioned package with the run id as ClientToken, lineage and metrics as metadata, the metrics document, the image and artifact', async () => {
    const mock = fakeSageMaker();
    const registry = new SageMakerModelRegistry(new SageMakerClient({ region: 'eu-west-1' }));
    const request = registration('acme-dev-marketing-churn', 'a7f3c2e0-1b2d-4c5e-9f60-7a8b9c0d1e2f', 'auto');
    const version = await registry.register(request);
    expect(mock.commandCalls(CreateModelPackageCommand).map((call) => call.args[0].input)).toEqual([
      {
        ModelPackageGroupName: 'acme-dev-marketing-churn',
        ClientToken: 'a7f3c2e0-1b2d-4c5e-9f60-7a8b9c0d1e2f',
        ModelApprovalStatus: 'Approved',
        CustomerMetadataProperties: {
          'run-id': 'a7f3c2e0-1b2d-4c5e-9f60-7a8b9c0d1e2f',
          'git-revision': 'f48cc6c',
          'training-set': request.lineage.trainingSet,
          'snapshot:marketing/churn_features': '8123456789012345678',
          'snapshot:sales/orders': '42',
          'contract:sales/orders': '1.3.0',
          'contract:marketing/web_events': '2.0.1',
          'metric:validation:auc': '0.87',
          'metric:validation:logloss': '0.41',
        },
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: request.metricsDocument } } },
        InferenceSpecification: {
          Containers: [{ Image: request.image, ModelDataUrl: request.artifact }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      },
    ]);
    expect(version).toMatchObject({ version: 1, arn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/acme-dev-marketing-churn/1', createdAt: '2026-12-01T00:00:01.000Z' });
  });

  it('sends a duplicate registration with the same ClientToken and returns the version SageMaker already made', async () => {
    const mock = fakeSageMaker();
    const registry = new SageMakerModelRegistry(new SageMakerClient({ region: 'eu-west-1' }));
    const first = await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
    const again = await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
    expect(mock.commandCalls(CreateModelPackageCommand).map((call) => call.args[0].input.ClientToken)).toEqual(['run-1', 'run-1']);
    expect(again).toEqual(first);
  });

  it('updates approval on the version ARN with the description', async () => {
    const mock = fakeSageMaker();
    const registry = new SageMakerModelRegistry(new SageMakerClient({ region: 'eu-west-1' }));
    await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
    await registry.updateApproval('acme-dev-marketing-churn', 1, 'Rejected', 'AUC dropped on last week');
    expect(mock.commandCalls(UpdateModelPackageCommand).map((call) => call.args[0].input)).toEqual([
      { ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/acme-dev-marketing-churn/1', ModelApprovalStatus: 'Rejected', ApprovalDescription: 'AUC dropped on last week' },
    ]);
  });

  it('follows NextToken through every page of a group, and asks for the newest approved version alone', async () => {
    const mock = fakeSageMaker();
    const registry = new SageMakerModelRegistry(new SageMakerClient({ region: 'eu-west-1' }));
    for (const run of ['r1', 'r2', 'r3', 'r4', 'r5']) await registry.register(registration('acme-dev-marketing-churn', run, 'auto'));
    mock.resetHistory();
    expect((await registry.listVersions('acme-dev-marketing-churn')).map((version) => version.version)).toEqual([1, 2, 3, 4, 5]);
    expect(mock.commandCalls(ListModelPackagesCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, '2', '4']);
    expect(mock.commandCalls(ListModelPackagesCommand)[0]!.args[0].input).toEqual({
      ModelPackageGroupName: 'acme-dev-marketing-churn', ModelPackageType: 'Versioned', SortBy: 'CreationTime', SortOrder: 'Ascending', MaxResults: 100, NextToken: undefined,
    });
    mock.resetHistory();
    expect((await registry.latestApproved('acme-dev-marketing-churn'))?.version).toBe(5);
    expect(mock.commandCalls(ListModelPackagesCommand).map((call) => call.args[0].input)).toEqual([
      { ModelPackageGroupName: 'acme-dev-marketing-churn', ModelPackageType: 'Versioned', ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1 },
    ]);
  });
});

/**
 * The model registry on SageMaker's Model Registry: a version is a versioned model package of the
 * group. Registration sends the run id as `ClientToken`, so a retried Register returns the package
 * the first call made; lineage and metrics go in `CustomerMetadataProperties` (see
 * registry-metadata.ts), the metrics document in `ModelMetrics.ModelQuality.Statistics`.
 */
import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type ListModelPackagesCommandInput,
  type ModelPackageSummary,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  initialApprovalStatus,
  ModelVersionNotFoundError,
  type ApprovalDecision,
  type ApprovalStatus,
  type ModelPackageStatus,
  type ModelRegistry,
  type ModelVersion,
  type RegisterModelVersion,
} from './model-registry.ts';
import { decodeRegistryMetadata, encodeRegistryMetadata } from './registry-metadata.ts';

/** What the built-in XGBoost container reads and answers in batch transform. */
const CONTENT_TYPE = 'text/csv';
const METRICS_CONTENT_TYPE = 'application/json';

export class SageMakerModelRegistry implements ModelRegistry {
  constructor(private readonly client: SageMakerClient) {}

  async register(request: RegisterModelVersion): Promise<ModelVersion> {
    const created = await this.client.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: request.group,
        ClientToken: request.lineage.runId,
        ModelApprovalStatus: initialApprovalStatus(request.approval),
        CustomerMetadataProperties: encodeRegistryMetadata(request.group, request.lineage, request.metrics),
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: METRICS_CONTENT_TYPE, S3Uri: request.metricsDocument } } },
        InferenceSpecification: {
          Containers: [{ Image: request.image, ModelDataUrl: request.artifact }],
          SupportedContentTypes: [CONTENT_TYPE],
          SupportedResponseMIMETypes: [CONTENT_TYPE],
        },
      }),
    );
    return this.describeArn(required(created.ModelPackageArn, 'CreateModelPackage', 'ModelPackageArn'));
  }

  async listVersions(group: string): Promise<ModelVersion[]> {
    const summaries = await this.summaries({ ModelPackageGroupName: group, SortOrder: 'Ascending' });
    return Promise.all(summaries.map((summary) => this.describeArn(summary.ModelPackageArn!)));
  }

  async describeVersion(group: string, version: number): Promise<ModelVersion> {
    const summary = (await this.summaries({ ModelPackageGroupName: group })).find((candidate) => candidate.ModelPackageVersion === version);
    if (summary === undefined) throw new ModelVersionNotFoundError(group, version);
    return this.describeArn(summary.ModelPackageArn!);
  }

  async updateApproval(group: string, version: number, decision: ApprovalDecision, description: string): Promise<ModelVersion> {
    const current = await this.describeVersion(group, version);
    await this.client.send(new UpdateModelPackageCommand({ ModelPackageArn: current.arn, ModelApprovalStatus: decision, ApprovalDescription: description }));
    return this.describeArn(current.arn);
  }

  async latestApproved(group: string): Promise<ModelVersion | undefined> {
    const [latest] = (await this.client.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: group,
        ModelPackageType: 'Versioned',
        ModelApprovalStatus: 'Approved',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
      }),
    )).ModelPackageSummaryList ?? [];
    return latest === undefined ? undefined : this.describeArn(latest.ModelPackageArn!);
  }

  /** Every version summary of a group, following `NextToken` to the last page. */
  private async summaries(filter: ListModelPackagesCommandInput): Promise<ModelPackageSummary[]> {
    const all: ModelPackageSummary[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListModelPackagesCommand({ ...filter, ModelPackageType: 'Versioned', SortBy: 'CreationTime', MaxResults: 100, NextToken }),
      );
      all.push(...(page.ModelPackageSummaryList ?? []));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return all;
  }

  private async describeArn(arn: string): Promise<ModelVersion> {
    return modelVersionOf(arn, await this.client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
  }
}

function required<T>(value: T | undefined, operation: string, field: string): T {
  if (value === undefined) throw new Error(`SageMaker ${operation} answered without ${field}`);
  return value;
}

function modelVersionOf(arn: string, described: DescribeModelPackageCommandOutput): ModelVersion {
  const field = <T>(value: T | undefined, name: string): T => required(value, `DescribeModelPackage(${arn})`, name);
  const container = field(described.InferenceSpecification?.Containers?.[0], 'InferenceSpecification.Containers[0]');
  const { lineage, metrics } = decodeRegistryMetadata(arn, described.CustomerMetadataProperties ?? {});
  return {
    group: field(described.ModelPackageGroupName, 'ModelPackageGroupName'),
    version: field(described.ModelPackageVersion, 'ModelPackageVersion'),
    arn,
    status: field(described.ModelPackageStatus, 'ModelPackageStatus') as ModelPackageStatus,
    approval: field(described.ModelApprovalStatus, 'ModelApprovalStatus') as ApprovalStatus,
    ...(described.ApprovalDescription === undefined ? {} : { approvalDescription: described.ApprovalDescription }),
    metrics,
    metricsDocument: field(described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri, 'ModelMetrics.ModelQuality.Statistics.S3Uri'),
    lineage,
    artifact: field(container.ModelDataUrl, 'InferenceSpecification.Containers[0].ModelDataUrl'),
    image: field(container.Image, 'InferenceSpecification.Containers[0].Image'),
    createdAt: field(described.CreationTime, 'CreationTime').toISOString(),
  };
}

/**
 * The EventBridge event SageMaker puts when a model package is created or its approval changes,
 * which starts promotion; the offline registry emits the same shape. SageMaker may deliver it
 * more than once, so whoever acts on it must be idempotent.
 */
import { randomUUID } from 'node:crypto';
import type { ApprovalStatus, ModelPackageStatus, ModelVersion } from './model-registry.ts';

export const MODEL_PACKAGE_STATE_CHANGE = 'SageMaker Model Package State Change';
export const SAGEMAKER_EVENT_SOURCE = 'aws.sagemaker';

export interface ModelPackageStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': typeof MODEL_PACKAGE_STATE_CHANGE;
  readonly source: typeof SAGEMAKER_EVENT_SOURCE;
  readonly account: string;
  readonly region: string;
  /** ISO-8601 UTC. */
  readonly time: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly ModelPackageGroupName: string;
    readonly ModelPackageVersion: number;
    readonly ModelPackageArn: string;
    readonly ModelPackageStatus: ModelPackageStatus;
    readonly ModelApprovalStatus: ApprovalStatus;
  };
}

export function modelPackageStateChange(
  version: ModelVersion,
  where: { readonly account: string; readonly region: string; readonly time: Date },
): ModelPackageStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': MODEL_PACKAGE_STATE_CHANGE,
    source: SAGEMAKER_EVENT_SOURCE,
    account: where.account,
    region: where.region,
    time: where.time.toISOString(),
    resources: [version.arn],
    detail: {
      ModelPackageGroupName: version.group,
      ModelPackageVersion: version.version,
      ModelPackageArn: version.arn,
      ModelPackageStatus: version.status,
      ModelApprovalStatus: version.approval,
    },
  };
}

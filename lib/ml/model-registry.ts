/**
 * What training registers and promotion reads: a model registry shaped on SageMaker's Model
 * Registry, so the cloud (lib/ml/sagemaker-registry.ts) and the offline stand-in
 * (lib/local/ml/local-registry.ts) are one interface. It takes plain values, never the model
 * spec: a group name, a run id, metrics, lineage.
 */
import type { ModelApproval } from '../config/settings.ts';

/** SageMaker's `ModelApprovalStatus`. */
export type ApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';

/** SageMaker's `ModelPackageStatus`: a version is usable once `Completed`. */
export type ModelPackageStatus = 'Pending' | 'InProgress' | 'Completed' | 'Failed' | 'Deleting';

/** Where a version's model came from: enough to find the run and reproduce its training data. */
export interface ModelLineage {
  /** The training run; also the registration's idempotency token. */
  readonly runId: string;
  /** Snapshot id read per input table (`<domain>/<table>` -> id; text, as Iceberg's are 64-bit). */
  readonly featureSnapshots: Readonly<Record<string, string>>;
  /** Contract version per dataset the features read (`<domain>/<dataset>` -> semver). */
  readonly contractVersions: Readonly<Record<string, string>>;
  readonly gitRevision: string;
  /** Where the run's training set (the snapshot step's UNLOAD output) is kept. */
  readonly trainingSet: string;
}

export interface RegisterModelVersion {
  /** The Model Package Group's name. */
  readonly group: string;
  readonly lineage: ModelLineage;
  /** Validation metrics as XGBoost names them (`validation:auc` -> 0.91). */
  readonly metrics: Readonly<Record<string, number>>;
  /**
   * The JSON statistics document holding `metrics` (SageMaker's `ModelQuality.Statistics` wants a
   * location, not values); the caller writes it.
   */
  readonly metricsDocument: string;
  /** The trained model's artifact (`model.tar.gz` in the cloud, a JSON file offline). */
  readonly artifact: string;
  /** The inference container image. */
  readonly image: string;
  /** `auto` registers the version `Approved`, `manual` leaves it `PendingManualApproval`. */
  readonly approval: ModelApproval;
}

export interface ModelVersion {
  readonly group: string;
  /** 1, 2, 3, ... per group, in order of registration. */
  readonly version: number;
  readonly arn: string;
  readonly status: ModelPackageStatus;
  readonly approval: ApprovalStatus;
  /** Why the approval was last changed, as the approver said. */
  readonly approvalDescription?: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly metricsDocument: string;
  readonly lineage: ModelLineage;
  readonly artifact: string;
  readonly image: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
}

/** An approval decision on a version: `Approved` promotes it, `Rejected` withdraws it. */
export type ApprovalDecision = Extract<ApprovalStatus, 'Approved' | 'Rejected'>;

export interface ModelRegistry {
  /**
   * Registers a version in `request.group`, or returns the version the same run already
   * registered: the run id is the idempotency token, so a retried Register never makes two.
   */
  register(request: RegisterModelVersion): Promise<ModelVersion>;
  /** Every version of `group`, oldest first; none for a group without versions. */
  listVersions(group: string): Promise<ModelVersion[]>;
  /** Throws `ModelVersionNotFoundError` for a version the group does not have. */
  describeVersion(group: string, version: number): Promise<ModelVersion>;
  updateApproval(group: string, version: number, decision: ApprovalDecision, description: string): Promise<ModelVersion>;
  /** The highest approved version of `group`, the one promotion serves; undefined when none is. */
  latestApproved(group: string): Promise<ModelVersion | undefined>;
}

export class ModelVersionNotFoundError extends Error {
  constructor(
    readonly group: string,
    readonly version: number,
  ) {
    super(`Model Package Group '${group}' has no version ${version}`);
    this.name = 'ModelVersionNotFoundError';
  }
}

/** The approval status a new version gets under an approval mode. */
export function initialApprovalStatus(approval: ModelApproval): ApprovalStatus {
  return approval === 'auto' ? 'Approved' : 'PendingManualApproval';
}

/** The highest approved version among `versions`, as every registry defines "latest approved". */
export function latestApprovedOf(versions: readonly ModelVersion[]): ModelVersion | undefined {
  return versions.filter((version) => version.approval === 'Approved').reduce<ModelVersion | undefined>(
    (latest, version) => (latest === undefined || version.version > latest.version ? version : latest),
    undefined,
  );
}

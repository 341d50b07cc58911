/**
 * What the training state machine hands its Register step, and the registration it asks of the
 * model registry: the run's lineage (run id, the feature table's pinned snapshot, the contract
 * versions of its inputs, the git revision, the training set) and the training job's final
 * metrics. Pure; the Lambda (lambdas/register-model) only adds the SageMaker client.
 */
import type { ModelApproval } from '../config/settings.ts';
import type { ModelVersion, RegisterModelVersion } from './model-registry.ts';

/** One entry of SageMaker's `FinalMetricDataList`, as `DescribeTrainingJob` (and `.sync`) returns it. */
export interface FinalMetric {
  readonly MetricName: string;
  readonly Value: number;
}

/** The Register state's payload. */
export interface RegisterEvent {
  readonly runId: string;
  readonly featureSnapshotId: string;
  /** The run's training-set folder (`s3://.../runs/<run id>/training-set/`). */
  readonly trainingSet: string;
  /** The training job's `ModelArtifacts.S3ModelArtifacts`. */
  readonly artifact: string;
  /** The metrics document the machine wrote before Register. */
  readonly metricsDocument: string;
  readonly metrics: readonly FinalMetric[];
}

/** What the function knows from its deployment: the same for every run of one model. */
export interface RegisterSettings {
  readonly group: string;
  /** `<domain>/<table>` of the feature model, the key of its snapshot in the lineage. */
  readonly featureTable: string;
  readonly contractVersions: Readonly<Record<string, string>>;
  readonly gitRevision: string;
  /** The inference image, the training image's twin. */
  readonly image: string;
  readonly approval: ModelApproval;
}

/** What Register returns into the execution (`$.registered`). */
export interface RegisteredVersion {
  readonly arn: string;
  readonly version: number;
  readonly approval: string;
}

export class RegisterEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegisterEventError';
  }
}

function text(event: Record<string, unknown>, field: keyof RegisterEvent): string {
  const value = event[field];
  if (typeof value !== 'string' || value === '') throw new RegisterEventError(`Register event: '${field}' must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** The event checked: a Register state out of date with this code fails here, naming the field. */
export function parseRegisterEvent(input: unknown): RegisterEvent {
  if (typeof input !== 'object' || input === null) throw new RegisterEventError(`Register event: expected an object, got ${JSON.stringify(input)}`);
  const event = input as Record<string, unknown>;
  const metrics = event['metrics'];
  if (!Array.isArray(metrics)) throw new RegisterEventError(`Register event: 'metrics' must be the training job's FinalMetricDataList, got ${JSON.stringify(metrics)}`);
  for (const metric of metrics) {
    const entry = metric as Record<string, unknown> | null;
    if (typeof entry?.['MetricName'] !== 'string' || typeof entry['Value'] !== 'number') {
      throw new RegisterEventError(`Register event: each metric needs MetricName and a numeric Value, got ${JSON.stringify(metric)}`);
    }
  }
  return {
    runId: text(event, 'runId'),
    featureSnapshotId: text(event, 'featureSnapshotId'),
    trainingSet: text(event, 'trainingSet'),
    artifact: text(event, 'artifact'),
    metricsDocument: text(event, 'metricsDocument'),
    metrics: metrics as FinalMetric[],
  };
}

export function registrationOf(event: RegisterEvent, settings: RegisterSettings): RegisterModelVersion {
  return {
    group: settings.group,
    lineage: {
      runId: event.runId,
      featureSnapshots: { [settings.featureTable]: event.featureSnapshotId },
      contractVersions: settings.contractVersions,
      gitRevision: settings.gitRevision,
      trainingSet: event.trainingSet,
    },
    metrics: Object.fromEntries(event.metrics.map((metric) => [metric.MetricName, metric.Value])),
    metricsDocument: event.metricsDocument,
    artifact: event.artifact,
    image: settings.image,
    approval: settings.approval,
  };
}

export function registeredVersion(version: ModelVersion): RegisteredVersion {
  return { arn: version.arn, version: version.version, approval: version.approval };
}

/**
 * The states of an ML model's promotion state machine (see `ModelPromotion`), named once here so
 * the offline runtime can override its Tasks by name, and where the machine keeps its data. Pure.
 */
import type { ApprovalDecision } from './model-registry.ts';

export const PROMOTION_STATES = {
  /** Pass: the approved version from the event, a run id (names of the SageMaker model and transform job) and the start. */
  preparePromotion: 'PreparePromotion',
  /** Pass: the run's input and output folders in the audit zone. */
  nameRunFiles: 'NameRunFiles',
  /**
   * Task: SageMaker DescribeModelPackage of the event's version: its ARN and number as SageMaker
   * has them (the only ones the statements see), and its inference container.
   */
  describeVersion: 'DescribeVersion',
  /**
   * Choice: the version is a number, its ARN the one SageMaker gives that number in the model's
   * group, and it is still approved (an approval event can arrive late or twice, after a rejection).
   */
  checkVersion: 'CheckVersion',
  /** Pass: SageMaker described something else: refused, a failure. */
  versionRefused: 'VersionRefused',
  /** Task: SSM GetParameter of the version the environment serves. */
  readCurrentVersion: 'ReadCurrentVersion',
  /** Pass: the parameter does not exist yet: no version was ever promoted. */
  noCurrentVersion: 'NoCurrentVersion',
  checkCurrentVersion: 'CheckCurrentVersion',
  /** Succeed: the event was a repeat; the environment serves this version already. */
  alreadyPromoted: 'AlreadyPromoted',
  /** Task: SageMaker CreateModel from that container. */
  createModel: 'CreateModel',
  /** Task: Athena query of the feature table's newest snapshot id. */
  findFeatureSnapshot: 'FindFeatureSnapshot',
  /** Task: Athena GetQueryResults of that query. */
  readFeatureSnapshot: 'ReadFeatureSnapshot',
  checkFeatureSnapshot: 'CheckFeatureSnapshot',
  /** Pass: the feature table has no snapshot: nothing to score, a failure. */
  noFeatureData: 'NoFeatureData',
  pinFeatureSnapshot: 'PinFeatureSnapshot',
  /** Task: Athena UNLOAD of the feature rows at the pinned snapshot, the transform job's input. */
  unloadFeatures: 'UnloadFeatures',
  /** Task: SageMaker CreateTransformJob, run to completion (`.sync`). */
  transform: 'Transform',
  /** Task: Athena MERGE of the job's output into the predictions table, replacing the version's rows of an earlier attempt. */
  insertPredictions: 'InsertPredictions',
  /** Task: SSM PutParameter of the version, last: only a version scored is the environment's. */
  recordCurrentVersion: 'RecordCurrentVersion',
  promoted: 'Promoted',
  /** Task: SNS publish to the domain's topic. */
  alertFailed: 'AlertPromotionFailed',
  promotionFailed: 'PromotionFailed',
} as const;

/** The approval a version is promoted with: the rule's pattern and, at the time of promotion, the registry's answer. */
export const PROMOTED_APPROVAL = 'Approved' satisfies ApprovalDecision;

export const PROMOTION_ERRORS = {
  failed: 'Promotion.Failed',
  noFeatureData: 'Promotion.NoFeatureData',
  versionRefused: 'Promotion.VersionRefused',
} as const;

/** Step Functions' name of SSM's error for a parameter that does not exist. */
export const PARAMETER_NOT_FOUND = 'Ssm.ParameterNotFoundException';

/** Where the machine keeps its state; the event's `detail` stays where EventBridge put it. */
export const PROMOTION_PATHS = {
  /** The version as the event names it: whoever may start an execution chooses it, so it goes to DescribeModelPackage and alerts only. */
  eventPackageArn: '$.detail.ModelPackageArn',
  /** The version as DescribeModelPackage answers: `arn`, `number`, `expectedArn`, `approval`, `image`, `modelDataUrl`. */
  version: '$.version',
  modelPackageArn: '$.version.arn',
  modelVersion: '$.version.number',
  /** The ARN of version `number` in the model's group, as SageMaker writes it. */
  expectedArn: '$.version.expectedArn',
  /** The version's approval status in the registry now, not when the event was sent. */
  approval: '$.version.approval',
  image: '$.version.image',
  modelDataUrl: '$.version.modelDataUrl',
  run: '$.run',
  runId: '$.run.id',
  startedAt: '$.run.startedAt',
  current: '$.current',
  currentVersion: '$.current.value',
  query: '$.query',
  queryId: '$.query.id',
  snapshot: '$.snapshot',
  snapshotRows: '$.snapshot.rows',
  snapshotId: '$.snapshot.id',
  files: '$.files',
  failure: '$.failure',
} as const;

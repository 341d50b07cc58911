/**
 * The states an ML model's machines pin the feature table's newest snapshot with, the same in
 * training and promotion: query the snapshot id, read it, and go on with it pinned, or fail the
 * run when the table has none yet (its model was never published). Each machine names the states
 * and keeps the data at paths of its own (`TRAINING_STATES`, `PROMOTION_STATES`).
 */
import type { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { MlModel } from '../ml/model.ts';
import { featureSnapshotQuery, type FeatureTable } from '../ml/training-queries.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { withRetry } from './task-retry.ts';

export interface FeatureSnapshotStates {
  readonly findFeatureSnapshot: string;
  readonly readFeatureSnapshot: string;
  readonly checkFeatureSnapshot: string;
  readonly noFeatureData: string;
  readonly pinFeatureSnapshot: string;
}

export interface FeatureSnapshotPaths {
  readonly query: string;
  readonly queryId: string;
  /** Where the pinned snapshot's `id` goes. */
  readonly snapshot: string;
  readonly snapshotRows: string;
  readonly failure: string;
}

export interface FeatureSnapshotPinningProps {
  readonly model: MlModel;
  readonly featureTable: FeatureTable;
  readonly workGroupName: string;
  readonly states: FeatureSnapshotStates;
  readonly paths: FeatureSnapshotPaths;
  /** The error a table without a snapshot fails the run with. */
  readonly noFeatureDataError: string;
  readonly statementTimeout: Duration;
  readonly callTimeout: Duration;
  /** Where a failure goes, with its error at `paths.failure`. */
  readonly failed: sfn.IChainable;
  /** What runs with the snapshot pinned. */
  readonly pinned: sfn.IChainable;
}

/** Builds the states under `scope` and returns the first one. */
export function featureSnapshotPinning(scope: Construct, props: FeatureSnapshotPinningProps): sfn.IChainable {
  const { states: S, paths: P, featureTable } = props;
  const failing = { resultPath: P.failure };
  const snapshotCell = `${P.snapshotRows}[1].Data[0].VarCharValue`;
  const pinSnapshot = new sfn.Pass(scope, S.pinFeatureSnapshot, {
    parameters: { id: sfn.JsonPath.stringAt(snapshotCell) },
    resultPath: P.snapshot,
  }).next(props.pinned);
  const noFeatureData = new sfn.Pass(scope, S.noFeatureData, {
    parameters: {
      Error: props.noFeatureDataError,
      Cause: `The feature table ${featureTable.database}.${featureTable.table} has no snapshot: build and publish ${props.model.featureModel} first`,
    },
    resultPath: P.failure,
  }).next(props.failed);
  const checkSnapshot = new sfn.Choice(scope, S.checkFeatureSnapshot).when(sfn.Condition.isPresent(snapshotCell), pinSnapshot).otherwise(noFeatureData);

  const readSnapshot = withRetry(
    new tasks.AthenaGetQueryResults(scope, S.readFeatureSnapshot, {
      queryExecutionId: sfn.JsonPath.stringAt(P.queryId),
      maxResults: 2,
      // Row 0 is the header; an empty table answers no row 1, which the Choice tests for.
      resultSelector: { rows: sfn.JsonPath.objectAt('$.ResultSet.Rows') },
      resultPath: P.snapshot,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.athena,
  )
    .addCatch(props.failed, failing)
    .next(checkSnapshot);
  return withRetry(
    new tasks.AthenaStartQueryExecution(scope, S.findFeatureSnapshot, {
      queryString: featureSnapshotQuery(featureTable),
      workGroup: props.workGroupName,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      resultSelector: { id: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId') },
      resultPath: P.query,
      taskTimeout: sfn.Timeout.duration(props.statementTimeout),
    }),
    RETRY_POLICIES.athena,
  )
    .addCatch(props.failed, failing)
    .next(readSnapshot);
}

/**
 * The states that take a lock item of a `DatasetLockTable` for the running execution (DESIGN.md
 * "One writer per table"), shared by the dataset pipeline (one lock per silver table) and the
 * domain build (one per domain): acquire, or learn the holder, take the lock over from a holder
 * that no longer runs, or wait and try again up to a bound.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { LOCK_HOLDER_ATTRIBUTE, LOCK_KEY_ATTRIBUTE } from '../pipeline/lock-item.ts';
import { withRetry } from './task-retry.ts';

/** DynamoDB's error when a lock item's condition does not hold: taken by another, or not ours. */
export const CONDITION_FAILED = 'DynamoDB.ConditionalCheckFailedException';
/** DescribeExecution's error for an execution whose history expired: its holder stopped long ago. */
export const HOLDER_GONE = 'Sfn.ExecutionDoesNotExistException';

/** The state names of one lock, from `PIPELINE_STATES` or `BUILD_STATES`. */
export interface LockStateNames {
  readonly acquireLock: string;
  readonly readLockHolder: string;
  readonly checkLockHeld: string;
  readonly describeLockHolder: string;
  readonly checkLockHolderRunning: string;
  readonly takeOverLock: string;
  readonly waitForLock: string;
  readonly countLockWait: string;
  readonly checkLockWaits: string;
  readonly lockNotAcquired: string;
}

/** Where the lock states keep what they read. */
export interface LockPaths {
  /** The lock item as DynamoDB GetItem returned it. */
  readonly lock: string;
  readonly lockItem: string;
  readonly lockHolder: string;
  readonly lockHolderState: string;
  readonly lockHolderStatus: string;
  /** The count of waits so far, which `countWait` raises by one. */
  readonly lockWaits: string;
  /** Where a failure is put before `onFailure`. */
  readonly failure: string;
}

export interface LockStatesProps {
  readonly names: LockStateNames;
  readonly paths: LockPaths;
  readonly table: dynamodb.ITable;
  /** Partition key value of the lock item. */
  readonly key: string;
  /** Attributes written with the key and the holder, for people reading the item. */
  readonly details?: Readonly<Record<string, tasks.DynamoAttributeValue>>;
  /** ARNs of the executions that may hold the lock, for DescribeExecution. */
  readonly executionArns: string;
  readonly callTimeout: Duration;
  readonly waitInterval: Duration;
  readonly maxWaits: number;
  /** The `Pass` that counts one more wait: its parameters and result path, which hold the wait count. */
  readonly countWait: Pick<sfn.PassProps, 'parameters' | 'resultPath'>;
  /** The failure set when `maxWaits` waits did not get the lock. */
  readonly notAcquired: { readonly error: string; readonly cause: string };
  /** Where any other failure goes, with the failure at `paths.failure`. */
  readonly onFailure: sfn.IChainable;
  /** Where the run goes once the lock could not be acquired, with the failure at `paths.failure`. */
  readonly onNotAcquired: sfn.IChainable;
}

/** The entry state, and the two states after which the execution holds the lock. */
export interface LockStates {
  readonly acquire: tasks.DynamoPutItem;
  readonly takeOver: tasks.DynamoPutItem;
}

/** The conditional DeleteItem of the lock, which fails with `CONDITION_FAILED` when this execution does not hold it. */
export function releaseLockTask(
  scope: Construct,
  id: string,
  props: Pick<LockStatesProps, 'table' | 'key' | 'callTimeout'>,
): tasks.DynamoDeleteItem {
  return withRetry(
    new tasks.DynamoDeleteItem(scope, id, {
      table: props.table,
      key: { [LOCK_KEY_ATTRIBUTE]: tasks.DynamoAttributeValue.fromString(props.key) },
      conditionExpression: '#holder = :me',
      expressionAttributeNames: { '#holder': LOCK_HOLDER_ATTRIBUTE },
      expressionAttributeValues: { ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.executionId) },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.dynamodb,
  );
}

/** Builds the lock states under `scope`; the caller chains what follows `acquire` and `takeOver`. */
export function lockStates(scope: Construct, props: LockStatesProps): LockStates {
  const { names: S, paths: P } = props;
  const text = sfn.JsonPath.stringAt;
  const lockKey = tasks.DynamoAttributeValue.fromString(props.key);
  const me = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.executionId);
  const call = sfn.Timeout.duration(props.callTimeout);
  const failing = { resultPath: P.failure };
  const lockItem = { [LOCK_KEY_ATTRIBUTE]: lockKey, [LOCK_HOLDER_ATTRIBUTE]: me, ...props.details };

  const acquire = withRetry(
    new tasks.DynamoPutItem(scope, S.acquireLock, {
      table: props.table,
      item: lockItem,
      // Holding it already means an earlier attempt succeeded but its response was lost.
      conditionExpression: 'attribute_not_exists(#pk) OR #holder = :me',
      expressionAttributeNames: { '#pk': LOCK_KEY_ATTRIBUTE, '#holder': LOCK_HOLDER_ATTRIBUTE },
      expressionAttributeValues: { ':me': me },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: call,
    }),
    RETRY_POLICIES.dynamodb,
  );
  const readLockHolder = withRetry(
    new tasks.DynamoGetItem(scope, S.readLockHolder, {
      table: props.table,
      key: { [LOCK_KEY_ATTRIBUTE]: lockKey },
      consistentRead: true,
      projectionExpression: [new tasks.DynamoProjectionExpression().withAttribute(LOCK_HOLDER_ATTRIBUTE)],
      resultPath: P.lock,
      taskTimeout: call,
    }),
    RETRY_POLICIES.dynamodb,
  );
  const describeLockHolder = new tasks.CallAwsService(scope, S.describeLockHolder, {
    service: 'sfn',
    action: 'describeExecution',
    parameters: { ExecutionArn: text(P.lockHolder) },
    iamResources: [props.executionArns],
    resultSelector: { status: text('$.Status') },
    resultPath: P.lockHolderState,
    taskTimeout: call,
  });
  // A holder whose history expired has long stopped: not worth retrying.
  describeLockHolder.addRetry({ errors: [HOLDER_GONE], maxAttempts: 0 });
  withRetry(describeLockHolder, RETRY_POLICIES.notification);
  const takeOver = withRetry(
    new tasks.DynamoPutItem(scope, S.takeOverLock, {
      table: props.table,
      item: lockItem,
      // Only the stopped holder's lock: another waiter may have taken it over first.
      conditionExpression: '#holder = :stale',
      expressionAttributeNames: { '#holder': LOCK_HOLDER_ATTRIBUTE },
      expressionAttributeValues: { ':stale': tasks.DynamoAttributeValue.fromString(text(P.lockHolder)) },
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: call,
    }),
    RETRY_POLICIES.dynamodb,
  );
  const waitForLock = new sfn.Wait(scope, S.waitForLock, { time: sfn.WaitTime.duration(props.waitInterval) });
  const countLockWait = new sfn.Pass(scope, S.countLockWait, props.countWait);
  const lockNotAcquired = new sfn.Pass(scope, S.lockNotAcquired, {
    result: sfn.Result.fromObject({ Error: props.notAcquired.error, Cause: props.notAcquired.cause }),
    resultPath: P.failure,
  }).next(props.onNotAcquired);
  waitForLock.next(countLockWait).next(
    new sfn.Choice(scope, S.checkLockWaits)
      .when(sfn.Condition.numberGreaterThanEquals(P.lockWaits, props.maxWaits), lockNotAcquired)
      .otherwise(acquire),
  );
  acquire.addCatch(readLockHolder, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD });
  acquire.addCatch(props.onFailure, failing);
  // Released between the failed put and the read: count it as a wait so the loop stays bounded.
  readLockHolder.addCatch(props.onFailure, failing).next(
    new sfn.Choice(scope, S.checkLockHeld).when(sfn.Condition.isPresent(P.lockItem), describeLockHolder).otherwise(countLockWait),
  );
  describeLockHolder.addCatch(takeOver, { errors: [HOLDER_GONE], resultPath: sfn.JsonPath.DISCARD });
  describeLockHolder.addCatch(props.onFailure, failing).next(
    new sfn.Choice(scope, S.checkLockHolderRunning)
      .when(sfn.Condition.stringEquals(P.lockHolderStatus, 'RUNNING'), waitForLock)
      .otherwise(takeOver),
  );
  takeOver.addCatch(waitForLock, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD });
  takeOver.addCatch(props.onFailure, failing);
  return { acquire, takeOver };
}

/**
 * How an ML model's machine (training, promotion) ends a failure: it alerts the domain's topic
 * with the model, the execution, what identifies the run and the failure, then fails the
 * execution. Each machine names the states and says what identifies its runs.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { MlModel } from '../ml/model.ts';
import { alertSubject } from '../pipeline/alert-subject.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { withRetry } from './task-retry.ts';

export interface MlFailureAlertProps {
  readonly model: MlModel;
  readonly alertTopic: sns.ITopic;
  /** The alert's name (`TrainingFailed`); the subject says it in words (`Training failed`). */
  readonly alert: string;
  readonly subject: string;
  readonly alertState: string;
  readonly failState: string;
  /** The execution's error and cause. */
  readonly error: string;
  readonly cause: string;
  /** What identifies the run in the alert, after the execution. */
  readonly run: Readonly<Record<string, string>>;
  /** Where the failure is. */
  readonly failurePath: string;
  readonly callTimeout: Duration;
}

/** The alert Task, followed by the Fail state. */
export function mlFailureAlert(scope: Construct, props: MlFailureAlertProps): tasks.SnsPublish {
  const { model } = props;
  const failed = new sfn.Fail(scope, props.failState, { error: props.error, cause: props.cause });
  const alert = withRetry(
    new tasks.SnsPublish(scope, props.alertState, {
      topic: props.alertTopic,
      subject: alertSubject(`${props.subject}: ${model.id}`),
      message: sfn.TaskInput.fromObject({
        alert: props.alert,
        domain: model.domain,
        model: model.id,
        execution: sfn.JsonPath.executionId,
        ...props.run,
        failure: sfn.JsonPath.objectAt(props.failurePath),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.notification,
  );
  alert.next(failed);
  return alert;
}

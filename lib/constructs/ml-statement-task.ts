/**
 * An Athena statement an ML machine runs for its effect (an UNLOAD, an INSERT or a MERGE): its
 * text formatted from the execution's values (`FormattedStatement`), run to completion in the
 * model's workgroup, its result discarded. Only the start is retried: a statement that failed may
 * already have written (UNLOAD refuses a folder that is not empty), so running it again is the
 * caller's decision, not the retrier's.
 */
import type { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { FormattedStatement } from '../ml/training-queries.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { withRetry } from './task-retry.ts';

export interface MlStatementSettings {
  readonly workGroupName: string;
  /** One statement. */
  readonly statementTimeout: Duration;
}

/** `States.Format` of the statement's template with its arguments read from the execution. */
function formattedQueryString(statement: FormattedStatement): string {
  return sfn.JsonPath.format(statement.template, ...statement.argumentPaths.map((path) => sfn.JsonPath.stringAt(path)));
}

export function mlStatementTask(scope: Construct, id: string, statement: FormattedStatement, settings: MlStatementSettings): tasks.AthenaStartQueryExecution {
  return withRetry(
    new tasks.AthenaStartQueryExecution(scope, id, {
      queryString: formattedQueryString(statement),
      workGroup: settings.workGroupName,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(settings.statementTimeout),
    }),
    RETRY_POLICIES.athena,
  );
}

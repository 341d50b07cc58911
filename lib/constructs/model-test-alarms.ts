import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { datasetAlarmName, type EnvironmentIdentity, pascalCase } from '../config/names.ts';
import type { AlarmSettings } from '../config/settings.ts';
import { METRICS_NAMESPACE } from '../ingest/validation-metrics.ts';
import { ALARM_KINDS, alarmDescription } from '../pipeline/alarm-kinds.ts';
import { modelMetricDimensions } from '../pipeline/operational-metrics.ts';
import type { BuildPlan } from '../transforms/build-plan.ts';
import type { ModelSource } from '../transforms/model.ts';

type TestedModel = Pick<ModelSource, 'id' | 'domain' | 'name'>;

/** The models whose build publishes `ModelTestFailures`: those with an error-severity test (a warning never stops publication). */
export function modelsWithErrorTests(plan: BuildPlan): ModelSource[] {
  return plan.layers
    .flat()
    .filter((build) => build.tests.some((test) => test.severity === 'error'))
    .map((build) => build.model);
}

/** `<env>-<domain>-<model>-tests-failed`: a model's name is its gold table's, unique in the domain's database beside its datasets. */
export function testsFailedAlarmName(identity: Pick<EnvironmentIdentity, 'environment'>, model: TestedModel): string {
  return datasetAlarmName(identity, model, ALARM_KINDS.testsFailed.suffix);
}

export interface ModelTestAlarmsProps {
  readonly identity: EnvironmentIdentity;
  /** The domain's models with error-severity tests (`modelsWithErrorTests`). */
  readonly models: readonly TestedModel[];
  readonly settings: AlarmSettings;
  /** The domain's alert topic: every alarm notifies it. */
  readonly alertTopic: sns.ITopic;
}

/**
 * One alarm per tested gold model on the `ModelTestFailures` its domain's build publishes when the
 * model's error-severity tests fail. A period without data is a period without failing tests.
 */
export class ModelTestAlarms extends Construct {
  constructor(scope: Construct, id: string, props: ModelTestAlarmsProps) {
    super(scope, id);
    const { identity, settings } = props;
    const kind = ALARM_KINDS.testsFailed;
    for (const model of props.models) {
      const alarm = new cloudwatch.Alarm(this, pascalCase(model.name), {
        alarmName: testsFailedAlarmName(identity, model),
        alarmDescription: alarmDescription(kind, { name: model.id }),
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: kind.metric.name,
          dimensionsMap: modelMetricDimensions({ environment: identity.environment, domain: model.domain, model: model.id }),
          statistic: 'Sum',
          period: Duration.seconds(settings.periodSeconds),
        }),
        threshold: settings.modelTestFailures,
        evaluationPeriods: settings.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.alertTopic));
    }
  }
}

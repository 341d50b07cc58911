import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { domainAlarmName, type EnvironmentIdentity, pascalCase } from '../config/names.ts';
import type { AlarmSettings } from '../config/settings.ts';
import { ALARM_KINDS, alarmDescription, bytesScannedSuffix } from '../pipeline/alarm-kinds.ts';

/**
 * The query states Athena bills for what they scanned: a query stopped by the workgroup's cutoff
 * fails, and a runaway one cancelled by hand has scanned too.
 */
const BILLED_QUERY_STATES = ['SUCCEEDED', 'FAILED', 'CANCELED'] as const;

export interface BytesScannedAlarmsProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  /** The domain's workgroups by kind (`workgroup`, `pipeline-workgroup`), each publishing CloudWatch metrics. */
  readonly workgroups: Readonly<Record<string, string>>;
  /** `bytesScannedBandWidth` is the band in standard deviations; period and evaluation periods as every alarm's. */
  readonly settings: AlarmSettings;
  /** The domain's alert topic: the domain pays for its workgroups' scans. */
  readonly alertTopic: sns.ITopic;
}

/**
 * Bytes a workgroup's DML queries scanned per period, every billed state summed: Athena publishes
 * `ProcessedBytes` per `WorkGroup`, `QueryState` and `QueryType` (DDL scans no data), and a period
 * in which some state had no query has no datapoint of that state, hence `FILL(..., 0)`.
 */
export function workgroupBytesScanned(workgroup: string, period: Duration): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(
    BILLED_QUERY_STATES.map((state) => [
      state.toLowerCase(),
      new cloudwatch.Metric({
        namespace: ALARM_KINDS.bytesScanned.metric.namespace,
        metricName: ALARM_KINDS.bytesScanned.metric.name,
        dimensionsMap: { WorkGroup: workgroup, QueryState: state, QueryType: 'DML' },
        statistic: 'Sum',
        period,
      }),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    label: `Bytes scanned in ${workgroup}`,
    period,
  });
}

/**
 * Per domain workgroup an anomaly-detection alarm `<env>-<domain>-<workgroup kind>-bytes-scanned`
 * (the domain's, not a dataset's: a workgroup serves every dataset and model of the domain), above
 * the band CloudWatch learns from the workgroup's own history. A period without queries scanned
 * nothing: not breaching.
 */
export class BytesScannedAlarms extends Construct {
  readonly alarms: readonly cloudwatch.AnomalyDetectionAlarm[];

  constructor(scope: Construct, id: string, props: BytesScannedAlarmsProps) {
    super(scope, id);
    const { identity, domain, settings } = props;
    const period = Duration.seconds(settings.periodSeconds);
    this.alarms = Object.entries(props.workgroups).map(([kind, workgroup]) => {
      const suffix = bytesScannedSuffix(kind);
      const alarm = new cloudwatch.AnomalyDetectionAlarm(this, pascalCase(suffix), {
        alarmName: domainAlarmName(identity, domain, suffix),
        alarmDescription: alarmDescription(ALARM_KINDS.bytesScanned, { name: workgroup }, suffix),
        metric: workgroupBytesScanned(workgroup, period),
        stdDevs: settings.bytesScannedBandWidth,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
        evaluationPeriods: settings.evaluationPeriods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.alertTopic));
      return alarm;
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { domainAlarmName, type EnvironmentIdentity, pascalCase } from '../config/names.ts';
import type { AlarmSettings } from '../config/settings.ts';
import { ALARM_KINDS, alarmDescription, bytesScannedSuffix } from '../pipeline/alarm-kinds.ts';
import { workgroupBytesScanned } from './athena-scan-metrics.ts';

export interface BytesScannedAlarmsProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  /** The domain's workgroups by kind (`workgroup`, `pipeline-workgroup`), each publishing CloudWatch metrics. */
  readonly workgroups: Readonly<Record<string, string>>;
  /** `bytesScannedBandWidth` is the band in standard deviations, `bytesScannedPeriodSeconds` the period; evaluation periods as every alarm's. */
  readonly settings: AlarmSettings;
  /** The domain's alert topic: the domain pays for its workgroups' scans. */
  readonly alertTopic: sns.ITopic;
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
    const period = Duration.seconds(settings.bytesScannedPeriodSeconds);
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

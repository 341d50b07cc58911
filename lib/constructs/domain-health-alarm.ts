import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { domainAlertTopicName, domainDashboardName, domainHealthAlarmName, type EnvironmentIdentity } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { ALARM_KINDS, alarmDescription } from '../pipeline/alarm-kinds.ts';
import type { ModelSource } from '../transforms/model.ts';
import { errorAlarmNames } from './dataset-alarms.ts';
import { testsFailedAlarmName } from './model-test-alarms.ts';

/** CloudWatch's limits on one composite alarm's rule (PutCompositeAlarm): alarms it names, and characters. */
export const MAX_ALARMS_PER_RULE = 100;
export const MAX_RULE_LENGTH = 10_240;

export interface DomainHealthAlarmProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  readonly datasets: readonly Dataset[];
  /** The domain's models with a `tests-failed` alarm (`modelsWithErrorTests`). @default none */
  readonly testedModels?: readonly Pick<ModelSource, 'id' | 'domain' | 'name'>[];
}

/** Every error-level alarm of a domain: its datasets' and its tested models'; the health alarm watches exactly these. */
export function domainErrorAlarmNames(identity: Pick<EnvironmentIdentity, 'environment'>, props: Pick<DomainHealthAlarmProps, 'datasets' | 'testedModels'>): string[] {
  return [
    ...props.datasets.flatMap((dataset) => errorAlarmNames(identity, dataset)),
    ...(props.testedModels ?? []).map((model) => testsFailedAlarmName(identity, model)),
  ];
}

/** `ALARM("a") OR ALARM("b") ...`, over alarms named, never imported: no export ties this stack to theirs. */
function anyInAlarm(alarmNames: readonly string[]): cloudwatch.IAlarmRule {
  return cloudwatch.AlarmRule.anyOf(...alarmNames.map((name) => cloudwatch.AlarmRule.fromString(`ALARM("${name}")`)));
}

function fitsOneRule(alarmNames: readonly string[]): boolean {
  return alarmNames.length <= MAX_ALARMS_PER_RULE && anyInAlarm(alarmNames).renderAlarmRule().length <= MAX_RULE_LENGTH;
}

/** The alarm names in consecutive groups, each as large as one rule allows. */
function chunkIntoRules(alarmNames: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const name of alarmNames) {
    if (current.length > 0 && !fitsOneRule([...current, name])) {
      chunks.push(current);
      current = [];
    }
    current.push(name);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The domain's composite alarm `<env>-<domain>-health`: in ALARM while any error-level alarm of its
 * datasets is, notifying the domain's alert topic once for the domain. The warning-level alarms stay
 * out: a tolerated rule slipping is not the domain being unhealthy. A domain with more alarms than
 * one rule holds gets sub-composites `<env>-<domain>-health-<n>` (no action of their own, so one
 * breach notifies once) under the top one.
 */
export class DomainHealthAlarm extends Construct {
  readonly alarm: cloudwatch.CompositeAlarm;

  constructor(scope: Construct, id: string, props: DomainHealthAlarmProps) {
    super(scope, id);
    const { identity, domain } = props;
    const alarmNames = domainErrorAlarmNames(identity, props);
    const description = alarmDescription(ALARM_KINDS.health, {
      name: domain,
      environment: identity.environment,
      dashboard: domainDashboardName(identity, domain),
    });
    const composite = (constructId: string, name: string, names: readonly string[]) =>
      new cloudwatch.CompositeAlarm(this, constructId, { compositeAlarmName: name, alarmDescription: description, alarmRule: anyInAlarm(names) });

    if (fitsOneRule(alarmNames)) {
      this.alarm = composite('Health', domainHealthAlarmName(identity, domain), alarmNames);
    } else {
      const chunks = chunkIntoRules(alarmNames);
      const partNames = chunks.map((_, index) => domainHealthAlarmName(identity, domain, index + 1));
      const parts = chunks.map((names, index) => composite(`Health${index + 1}`, partNames[index]!, names));
      if (!fitsOneRule(partNames)) {
        throw new Error(`domain '${domain}' has ${alarmNames.length} error-level alarms, more than ${parts.length} sub-composites one composite alarm can watch: split the domain`);
      }
      this.alarm = composite('Health', domainHealthAlarmName(identity, domain), partNames);
      // Named, not referenced: CloudFormation must be told that the parts come first.
      for (const part of parts) this.alarm.node.addDependency(part);
    }
    const topicArn = Stack.of(this).formatArn({ service: 'sns', resource: domainAlertTopicName(identity, domain) });
    this.alarm.addAlarmAction(new actions.SnsAction(sns.Topic.fromTopicArn(this, 'Alerts', topicArn)));
  }
}

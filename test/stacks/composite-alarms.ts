/** Reads a template's composite alarms, and what a domain's health alarm should watch, derived independently of lib/. */
import type { Template } from 'aws-cdk-lib/assertions';
import { datasetAlarmName, type EnvironmentIdentity } from '../../lib/config/names.ts';
import type { Dataset } from '../../lib/contracts/model.ts';

export interface SynthesizedCompositeAlarm {
  readonly name: string;
  readonly rule: string;
  /** The alarm names the rule is in ALARM over, in order. */
  readonly watched: string[];
  readonly description: string;
  readonly actions: unknown[];
  readonly dependsOn: string[];
  readonly logicalId: string;
}

export function compositeAlarmsOf(template: Template): SynthesizedCompositeAlarm[] {
  return Object.entries(template.findResources('AWS::CloudWatch::CompositeAlarm')).map(([logicalId, resource]) => {
    const properties = resource.Properties as { AlarmName: string; AlarmRule: string; AlarmDescription: string; AlarmActions?: unknown[] };
    return {
      logicalId,
      name: properties.AlarmName,
      rule: properties.AlarmRule,
      watched: [...properties.AlarmRule.matchAll(/ALARM\("([^"]+)"\)/g)].map((match) => match[1]!),
      description: properties.AlarmDescription,
      actions: properties.AlarmActions ?? [],
      dependsOn: (resource.DependsOn as string[] | undefined) ?? [],
    };
  });
}

/**
 * The error-level alarms of a dataset as the README lists them: every dataset's four,
 * rows-quarantined under quarantine-rows, and freshness when its contract has a frequency or freshness SLA.
 */
export function errorLevelAlarmNames(identity: EnvironmentIdentity, dataset: Dataset): string[] {
  const kinds = ['pipeline-failed', 'pipeline-timed-out', 'validator-errors', 'files-rejected'];
  if (dataset.onViolation === 'quarantine-rows') kinds.push('rows-quarantined');
  if (dataset.frequency !== undefined || dataset.freshness !== undefined) kinds.push('freshness');
  return kinds.map((kind) => datasetAlarmName(identity, dataset, kind));
}

/** Every alarm a domain's health alarm watches, through its sub-composites if it has any. */
export function watchedThroughout(composites: readonly SynthesizedCompositeAlarm[]): string[] {
  const compositeNames = new Set(composites.map((composite) => composite.name));
  return composites.flatMap((composite) => composite.watched).filter((name) => !compositeNames.has(name));
}

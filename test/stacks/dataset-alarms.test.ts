/**
 * Every dataset's alarms, as synthesized: from a fixture catalog with
 * settings of its own (a warning rule, a `quarantine-rows` dataset), and from the shipped app,
 * whose expectations come from its catalog and `cdk.json`, never from counts typed here.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetAlarmName, type EnvironmentIdentity, domainAlertTopicName, pipelineStateMachineName, validatorFunctionName } from '../../lib/config/names.ts';
import { DEFAULT_ALARM_SETTINGS, type AlarmSettings, type EnvironmentSettings } from '../../lib/config/settings.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { METRICS_NAMESPACE } from '../../lib/ingest/validation-metrics.ts';
import { ALARMS_RUNBOOK } from '../../lib/pipeline/alarm-kinds.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { deriveRules } from '../../lib/validation/derive-rules.ts';
import { buildApp } from './build.ts';
import { catalog, column, dataset, domain, environment, settings } from './fixtures.ts';
import { shippedApp } from './shipped-app.ts';

interface AlarmResource {
  readonly Properties: {
    readonly AlarmName: string;
    readonly AlarmDescription: string;
    readonly Namespace: string;
    readonly MetricName: string;
    readonly Statistic: string;
    readonly Period: number;
    readonly Threshold: number;
    readonly EvaluationPeriods: number;
    readonly ComparisonOperator: string;
    readonly TreatMissingData: string;
    readonly Dimensions: { Name: string; Value: unknown }[];
    readonly AlarmActions: unknown[];
  };
}

const ERROR_KINDS = ['pipeline-failed', 'pipeline-timed-out', 'validator-errors', 'files-rejected'] as const;

/** The threshold each alarm kind takes from the settings. */
const THRESHOLD_OF: Record<string, keyof AlarmSettings> = {
  'pipeline-failed': 'pipelineFailures',
  'pipeline-timed-out': 'pipelineTimeouts',
  'validator-errors': 'validatorErrors',
  'files-rejected': 'rejectedFiles',
  'rows-quarantined': 'quarantinedRows',
};

function errorKinds(data: Dataset): string[] {
  return [...ERROR_KINDS, ...(data.onViolation === 'quarantine-rows' ? ['rows-quarantined'] : [])];
}

function warningKinds(data: Dataset): string[] {
  return deriveRules(data)
    .filter((rule) => rule.severity === 'warning')
    .map((rule) => `warning-${rule.id}`);
}

function alarmsByName(template: Template): Map<string, AlarmResource['Properties']> {
  return new Map(
    Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, AlarmResource>).map((alarm) => [alarm.Properties.AlarmName, alarm.Properties]),
  );
}

/** Every alarm of a domain's dataset stacks, by name. */
function domainAlarms(stage: LakehouseStage, domainName: string): Map<string, AlarmResource['Properties']> {
  return new Map(
    [...stage.domains.get(domainName)!.datasets.values()].flatMap((stack) => [...alarmsByName(Template.fromStack(stack))]),
  );
}

/** Checks every dataset of every domain of a stage against the stage's alarm settings. */
function expectStageAlarms(
  stage: LakehouseStage,
  identity: EnvironmentIdentity,
  environmentSettings: EnvironmentSettings,
  datasetsOf: (domainName: string) => readonly Dataset[],
): void {
  const settingsOf = environmentSettings.alarms;
  for (const domainName of stage.domains.keys()) {
    const alarms = domainAlarms(stage, domainName);
    const topicArn = `:sns:${identity.region}:${identity.account}:${domainAlertTopicName(identity, domainName)}`;
    const expected = datasetsOf(domainName).flatMap((data) => [...errorKinds(data), ...warningKinds(data)].map((kind) => ({ data, kind })));
    expect([...alarms.keys()].sort()).toEqual(expected.map(({ data, kind }) => datasetAlarmName(identity, data, kind)).sort());
    for (const { data, kind } of expected) {
      const name = datasetAlarmName(identity, data, kind);
      const alarm = alarms.get(name)!;
      const thresholdKey = THRESHOLD_OF[kind] ?? 'warningRuleBreaches';
      expect([alarm.Threshold, alarm.Period, alarm.EvaluationPeriods], name).toEqual([
        settingsOf[thresholdKey],
        settingsOf.periodSeconds,
        settingsOf.evaluationPeriods,
      ]);
      expect([alarm.ComparisonOperator, alarm.TreatMissingData], name).toEqual(['GreaterThanOrEqualToThreshold', 'notBreaching']);
      expect(alarm.AlarmActions.length, name).toBe(1);
      expect(JSON.stringify(alarm.AlarmActions[0]), name).toContain(topicArn);
      expect(alarm.AlarmDescription, name).toMatch(kind.startsWith('warning-') ? /^\[warning, low priority\] / : /^\[error\] /);
      expect(alarm.AlarmDescription, name).toContain(`Runbook: ${ALARMS_RUNBOOK}`);
    }
  }
}

function identityOf(organization: string, environmentSettings: EnvironmentSettings): EnvironmentIdentity {
  return { organization, environment: environmentSettings.name, account: environmentSettings.account, region: environmentSettings.region };
}

describe('dataset alarms from a fixture catalog', () => {
  const alarmSettings: AlarmSettings = { ...DEFAULT_ALARM_SETTINGS, periodSeconds: 60, evaluationPeriods: 3, rejectedFiles: 2, warningRuleBreaches: 5 };
  const events = dataset('web', 'events', {
    onViolation: 'quarantine-rows',
    columns: [column('id', { kind: 'string' }, 'Identifier'), column('referrer', { kind: 'string' }, 'Where the visit came from')],
    quality: [
      {
        id: 'referrer_mostly_known',
        metric: 'nullValues',
        column: 'referrer',
        threshold: { operator: 'mustBeLessThan', value: 10, unit: 'percent' },
        severity: 'warning',
        position: { file: 'contracts/web/events.yaml', line: 20, column: 7 },
      },
    ],
  });
  const orders = dataset('sales', 'orders');
  const fixtureCatalog = catalog(domain('web', [events]), domain('sales', [orders]));
  const built = buildApp(fixtureCatalog, settings({ environments: [environment('dev', { alarms: alarmSettings })] }));
  const stage = built.stage('dev');
  const identity = identityOf('acme', environment('dev'));
  const web = domainAlarms(stage, 'web');

  it('gives every dataset each alarm kind, with the thresholds, period and evaluation periods of cdk.json', () => {
    expectStageAlarms(stage, identity, environment('dev', { alarms: alarmSettings }), (name) => fixtureCatalog.domains.find((d) => d.name === name)!.datasets);
  });

  it('alarms on the metrics the pipeline, the validator and its EMF lines publish', () => {
    const metricOf = (kind: string) => {
      const alarm = web.get(`dev-web-events-${kind}`)!;
      // CloudWatch matches dimensions as a set; the CDK writes them sorted by name.
      const dimensions = [...alarm.Dimensions].sort((a, b) => a.Name.localeCompare(b.Name));
      return { namespace: alarm.Namespace, metric: alarm.MetricName, statistic: alarm.Statistic, dimensions };
    };
    const emf = [
      { Name: 'Dataset', Value: 'events' },
      { Name: 'Domain', Value: 'web' },
      { Name: 'Environment', Value: 'dev' },
    ];
    expect(metricOf('files-rejected')).toEqual({ namespace: METRICS_NAMESPACE, metric: 'FilesFailed', statistic: 'Sum', dimensions: emf });
    expect(metricOf('rows-quarantined')).toEqual({ namespace: METRICS_NAMESPACE, metric: 'RowsQuarantined', statistic: 'Sum', dimensions: emf });
    expect(metricOf('warning-referrer_mostly_known')).toEqual({
      namespace: METRICS_NAMESPACE,
      metric: 'RuleFailedRows',
      statistic: 'SampleCount',
      dimensions: [...emf, { Name: 'Rule', Value: 'referrer_mostly_known' }],
    });
    expect(metricOf('validator-errors')).toEqual({
      namespace: 'AWS/Lambda',
      metric: 'Errors',
      statistic: 'Sum',
      dimensions: [{ Name: 'FunctionName', Value: validatorFunctionName(identity, events) }],
    });
    const pipeline = metricOf('pipeline-failed');
    expect([pipeline.namespace, pipeline.metric, pipeline.dimensions[0]!.Name]).toEqual(['AWS/States', 'ExecutionsFailed', 'StateMachineArn']);
    expect(JSON.stringify(pipeline.dimensions[0]!.Value)).toContain(`:stateMachine:${pipelineStateMachineName(identity, events)}`);
    expect(metricOf('pipeline-timed-out').metric).toBe('ExecutionsTimedOut');
  });

  it('describes an alarm as priority, what broke, what to do first and its runbook paragraph', () => {
    expect(web.get('dev-web-events-pipeline-failed')!.AlarmDescription).toBe(
      '[error] The pipeline of web/events failed: landed files were not loaded into silver. ' +
        'First: open the failed execution, read its error and cause, fix, then re-land the file. Runbook: README.md#alarms (pipeline-failed).',
    );
    expect(web.get('dev-web-events-warning-referrer_mostly_known')!.AlarmDescription).toBe(
      "[warning, low priority] Warning rule 'referrer_mostly_known' of web/events had failing rows or failed; files still loaded. " +
        'First: check the trend in the validation reports, then agree with the producer or the contract owner. Runbook: README.md#alarms (warning-referrer_mostly_known).',
    );
  });

  it('gives a quarantine-file dataset no rows-quarantined alarm: its rows are never quarantined alone', () => {
    expect([...domainAlarms(stage, 'sales').keys()].sort()).toEqual(ERROR_KINDS.map((kind) => `dev-sales-orders-${kind}`).sort());
  });
});

describe('dataset alarms of the shipped app', () => {
  let shipped: Awaited<ReturnType<typeof shippedApp>>;
  beforeAll(async () => {
    shipped = await shippedApp();
  });

  it('gives every dataset of every domain each alarm kind with its thresholds from cdk.json, on its domain topic', () => {
    expect(shipped.stages.length).toBe(shipped.settings.environments.length);
    for (const stage of shipped.stages) {
      const environmentSettings = shipped.settings.environments.find((candidate) => candidate.name === stage.stageName)!;
      expect([...stage.domains.keys()].sort()).toEqual(shipped.catalog.domains.map((d) => d.name).sort());
      expectStageAlarms(stage, identityOf(shipped.settings.organization, environmentSettings), environmentSettings, (name) => shipped.catalog.domains.find((d) => d.name === name)!.datasets);
    }
  });
});

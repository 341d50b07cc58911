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
import { freshnessCheckConfig } from '../../lib/constructs/freshness-check.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { deriveRules } from '../../lib/validation/derive-rules.ts';
import { buildApp } from './build.ts';
import { catalog, column, dataset, domain, environment, settings } from './fixtures.ts';
import { type ShippedApp, shippedApp } from './shipped-app.ts';

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

/** The contract's SLA: its delivery frequency, else its freshness maxAge (README "Alarms"). */
function slaSeconds(data: Dataset): number | undefined {
  return data.frequency ?? data.freshness?.maxAge;
}

function errorKinds(data: Dataset): string[] {
  return [...ERROR_KINDS, ...(data.onViolation === 'quarantine-rows' ? ['rows-quarantined'] : []), ...(slaSeconds(data) === undefined ? [] : ['freshness'])];
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
      expect(alarm.AlarmActions.length, name).toBe(1);
      expect(JSON.stringify(alarm.AlarmActions[0]), name).toContain(topicArn);
      if (kind === 'freshness') {
        // Measured by the scheduled check: one period per check, two missed or stale checks in a row breach.
        expect([alarm.Namespace, alarm.MetricName, alarm.Statistic, alarm.Threshold, alarm.Period, alarm.EvaluationPeriods], name).toEqual([
          METRICS_NAMESPACE,
          'LastLoadAgeSeconds',
          'Maximum',
          slaSeconds(data)! + settingsOf.freshnessGraceSeconds,
          settingsOf.freshnessCheckMinutes * 60,
          settingsOf.freshnessBreachingChecks,
        ]);
        expect([alarm.ComparisonOperator, alarm.TreatMissingData], name).toEqual(['GreaterThanThreshold', 'breaching']);
        continue;
      }
      const thresholdKey = THRESHOLD_OF[kind] ?? 'warningRuleBreaches';
      expect([alarm.Threshold, alarm.Period, alarm.EvaluationPeriods], name).toEqual([
        settingsOf[thresholdKey],
        settingsOf.periodSeconds,
        settingsOf.evaluationPeriods,
      ]);
      expect([alarm.ComparisonOperator, alarm.TreatMissingData], name).toEqual(['GreaterThanOrEqualToThreshold', 'notBreaching']);
      expect(alarm.AlarmDescription, name).toMatch(kind.startsWith('warning-') ? /^\[warning, low priority\] / : /^\[error\] /);
      expect(alarm.AlarmDescription, name).toContain(`Runbook: ${ALARMS_RUNBOOK}`);
    }
  }
}

/** One synthesized shipped app for every describe of this file. */
let shippedApps: Promise<ShippedApp> | undefined;
function shippedOnce(): Promise<ShippedApp> {
  shippedApps ??= shippedApp();
  return shippedApps;
}

function identityOf(organization: string, environmentSettings: EnvironmentSettings): EnvironmentIdentity {
  return { organization, environment: environmentSettings.name, account: environmentSettings.account, region: environmentSettings.region };
}

describe('dataset alarms from a fixture catalog', () => {
  const alarmSettings: AlarmSettings = {
    ...DEFAULT_ALARM_SETTINGS,
    periodSeconds: 60,
    evaluationPeriods: 3,
    rejectedFiles: 2,
    warningRuleBreaches: 5,
    freshnessBreachingChecks: 3,
    bytesScannedBandWidth: 2.5,
    bytesScannedPeriodSeconds: 7200,
  };
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
  // Both SLAs: the frequency decides. Freshness only: its maxAge does.
  const updatedAt = column('updated_at', { kind: 'timestamp' }, 'When the row last changed');
  const freshBy = (file: string, maxAge: number) => ({ column: 'updated_at', maxAge, position: { file, line: 9, column: 5 } });
  const payments = dataset('sales', 'payments', { columns: [column('id', { kind: 'string' }, 'Identifier'), updatedAt], frequency: 3600, freshness: freshBy('contracts/sales/payments.yaml', 86_400) });
  const refunds = dataset('sales', 'refunds', { columns: [column('id', { kind: 'string' }, 'Identifier'), updatedAt], freshness: freshBy('contracts/sales/refunds.yaml', 7200) });
  const fixtureCatalog = catalog(domain('web', [events]), domain('sales', [orders, payments, refunds]));
  const built = buildApp(fixtureCatalog, settings({ environments: [environment('dev', { alarms: alarmSettings })] }));
  const stage = built.stage('dev');
  const identity = identityOf('acme', environment('dev'));
  const web = domainAlarms(stage, 'web');

  it('gives every dataset each alarm kind, with the thresholds, period and evaluation periods of cdk.json', () => {
    expectStageAlarms(stage, identity, environment('dev', { alarms: alarmSettings }), (name) => fixtureCatalog.domains.find((d) => d.name === name)!.datasets);
  });

  it("watches bytes scanned per bytesScannedPeriodSeconds, not the other alarms' period, against a band as wide as given, a fraction too", () => {
    const template = Template.fromStack(stage.domains.get('sales')!.domain);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) => String(alarm.Properties.AlarmName).endsWith('-bytes-scanned'));
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      const metrics = alarm.Properties.Metrics as { Expression?: string; MetricStat?: { Period: number } }[];
      expect(metrics.some((metric) => metric.Expression?.startsWith('ANOMALY_DETECTION_BAND(') && metric.Expression.endsWith(', 2.5)'))).toBe(true);
      const periods = metrics.filter((metric) => metric.MetricStat !== undefined).map((metric) => metric.MetricStat!.Period);
      expect(new Set(periods)).toEqual(new Set([7200]));
    }
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

  it('gives a quarantine-file dataset without an SLA no rows-quarantined and no freshness alarm', () => {
    const ordersAlarms = [...domainAlarms(stage, 'sales').keys()].filter((name) => name.startsWith('dev-sales-orders-'));
    expect(ordersAlarms.sort()).toEqual(ERROR_KINDS.map((kind) => `dev-sales-orders-${kind}`).sort());
  });

  it("sets a freshness alarm's threshold from the contract: its frequency when declared, else its freshness maxAge, plus the grace", () => {
    const sales = domainAlarms(stage, 'sales');
    expect(sales.get('dev-sales-payments-freshness')!.Threshold).toBe(3600 + alarmSettings.freshnessGraceSeconds);
    expect(sales.get('dev-sales-refunds-freshness')!.Threshold).toBe(7200 + alarmSettings.freshnessGraceSeconds);
    expect(sales.get('dev-sales-refunds-freshness')!.AlarmDescription).toMatch(/^\[error\] sales\/refunds was last loaded longer ago than its contract allows/);
  });
});

describe('dataset alarms of the shipped app', () => {
  let shipped: ShippedApp;
  beforeAll(async () => {
    shipped = await shippedOnce();
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

describe('the domain-level alarms of the shipped app', () => {
  let shipped: ShippedApp;
  beforeAll(async () => {
    shipped = await shippedOnce();
  });

  it("run per domain with an SLA dataset, on cdk.json's schedule, over exactly those datasets, their errors alarmed to the platform topic", () => {
    let checked = 0;
    for (const stage of shipped.stages) {
      const environmentSettings = shipped.settings.environments.find((candidate) => candidate.name === stage.stageName)!;
      const identity = identityOf(shipped.settings.organization, environmentSettings);
      for (const { name: domainName, datasets } of shipped.catalog.domains) {
        const template = Template.fromStack(stage.domains.get(domainName)!.domain);
        const withSla = datasets.filter((data) => data.frequency !== undefined || data.freshness !== undefined);
        const functionName = `${identity.organization}-${identity.environment}-${domainName}-freshness-check`;
        const functions = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: functionName } }));
        if (withSla.length === 0) {
          expect(functions, `${stage.stageName}/${domainName}`).toEqual([]);
          continue;
        }
        checked += withSla.length;
        expect(functions).toHaveLength(1);
        expect(freshnessCheckConfig(identity, datasets).targets.map((target) => `${target.domain}/${target.dataset}`)).toEqual(withSla.map((data) => data.names.ref));
        template.hasResourceProperties('AWS::Events::Rule', {
          ScheduleExpression: `rate(${environmentSettings.alarms.freshnessCheckMinutes} minutes)`,
          Targets: [{ Arn: { 'Fn::GetAtt': [template.getResourceId('AWS::Lambda::Function', { Properties: { FunctionName: functionName } }), 'Arn'] } }],
        });
        const errors = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `${identity.environment}-platform-${domainName}-freshness-check-errors` } }));
        expect(errors).toHaveLength(1);
        const properties = (errors[0] as AlarmResource).Properties;
        expect([properties.MetricName, properties.Threshold]).toEqual(['Errors', environmentSettings.alarms.freshnessCheckErrors]);
        expect(JSON.stringify(properties.AlarmActions)).toContain(`:sns:${identity.region}:${identity.account}:${identity.organization}-${identity.environment}-platform-alarms"`);
        expect(properties.AlarmActions).toHaveLength(1);
      }
    }
    // The shipped contracts declare SLAs, so checks are asserted, not only their absence.
    expect(checked).toBeGreaterThan(0);
  });

  it("watch each domain workgroup's bytes scanned against an anomaly band as wide as cdk.json says, notifying the domain's topic", () => {
    for (const stage of shipped.stages) {
      const environmentSettings = shipped.settings.environments.find((candidate) => candidate.name === stage.stageName)!;
      const identity = identityOf(shipped.settings.organization, environmentSettings);
      for (const { name: domainName } of shipped.catalog.domains) {
        const stack = stage.domains.get(domainName)!.domain;
        const template = Template.fromStack(stack);
        const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;
        const workgroups = { workgroup: stack.workgroup.name, 'pipeline-workgroup': stack.pipelineWorkgroup.name };
        const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) => String(alarm.Properties.AlarmName).endsWith('-bytes-scanned'));
        expect(alarms.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual(Object.keys(workgroups).map((kind) => `${identity.environment}-${domainName}-${kind}-bytes-scanned`).sort());
        for (const [kind, workgroup] of Object.entries(workgroups)) {
          const alarm = alarms.find((candidate) => candidate.Properties.AlarmName === `${identity.environment}-${domainName}-${kind}-bytes-scanned`)!.Properties as {
            ComparisonOperator: string;
            ThresholdMetricId: string;
            Metrics: { Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }; Stat: string; Period: number } }[];
            AlarmActions: { Ref: string }[];
          };
          expect(alarm.ComparisonOperator).toBe('GreaterThanUpperThreshold');
          const band = alarm.Metrics.find((metric) => metric.Id === alarm.ThresholdMetricId)!;
          const bandInput = /^ANOMALY_DETECTION_BAND\((\w+), (\d+(?:\.\d+)?)\)$/.exec(band.Expression ?? '');
          expect(bandInput, `${domainName} ${kind}`).not.toBeNull();
          expect(Number(bandInput![2])).toBe(environmentSettings.alarms.bytesScannedBandWidth);
          // The band is over the workgroup's ProcessedBytes sums, and nothing else.
          const inputs = alarm.Metrics.filter((metric) => metric.MetricStat !== undefined);
          expect(inputs.length).toBeGreaterThan(0);
          for (const input of inputs) {
            const { Metric, Stat, Period } = input.MetricStat!;
            expect([Metric.Namespace, Metric.MetricName, Stat, Period, Metric.Dimensions.find((dimension) => dimension.Name === 'WorkGroup')!.Value]).toEqual([
              'AWS/Athena',
              'ProcessedBytes',
              'Sum',
              environmentSettings.alarms.bytesScannedPeriodSeconds,
              workgroup,
            ]);
          }
          expect(alarm.Metrics.find((metric) => metric.Id === bandInput![1])!.Expression).toBe(inputs.map((input) => `FILL(${input.Id}, 0)`).join(' + '));
          expect(alarm.AlarmActions).toHaveLength(1);
          expect(resources[alarm.AlarmActions[0]!.Ref]!.Properties['TopicName']).toBe(`${identity.organization}-${identity.environment}-${domainName}-alerts`);
        }
      }
    }
  });
});

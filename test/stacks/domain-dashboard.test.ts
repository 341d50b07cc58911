import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  athenaPipelineWorkgroupName,
  athenaWorkgroupName,
  domainAlertTopicName,
  domainDashboardName,
  domainFunctionName,
  domainHealthAlarmName,
  type EnvironmentIdentity,
  pipelineStateMachineName,
  platformDashboardName,
  validatorFunctionName,
} from '../../lib/config/names.ts';
import { readSettings } from '../../lib/config/settings.ts';
import { overviewWidgetTitles } from '../../lib/constructs/platform-dashboard.ts';
import { domainWidgetTitles, ruleWidgetTitles, validationWidgetTitles } from '../../lib/constructs/domain-dashboard.ts';
import { METRICS_NAMESPACE, VALIDATION_METRICS } from '../../lib/ingest/validation-metrics.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { deriveRules } from '../../lib/validation/derive-rules.ts';
import { buildApp } from './build.ts';
import { dashboardsOf, plottedMetrics, type SynthesizedDashboard, widgetTitled } from './dashboard-widgets.ts';
import { catalog, domain, marketingDomain, salesDomain } from './fixtures.ts';

const identity: EnvironmentIdentity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
/** A domain with models and no datasets: its row has no validation widgets and no health alarm. */
const reportingDomain = domain('reporting', []);
const domains = catalog(salesDomain, marketingDomain, reportingDomain).domains;
/** Not Athena's default price, so the cost expressions show they read the setting. */
const PRICE = 6.75;

let stage: LakehouseStage;
const dashboards = new Map<string, SynthesizedDashboard[]>();
const templates = new Map<string, Template>();
let overview: SynthesizedDashboard;
let overviewTemplate: Template;

beforeAll(() => {
  // Settings read as from a cdk.json, so the price goes the way a user's does.
  const settings = readSettings({
    organization: 'acme',
    datasetStacksPerDomain: 4,
    environments: { dev: { account: identity.account, region: identity.region, athenaBytesScannedCutoffPerQuery: 10_737_418_240, athenaUsdPerTerabyteScanned: PRICE } },
  });
  stage = buildApp(catalog(salesDomain, marketingDomain, reportingDomain), settings).stage('dev');
  overviewTemplate = Template.fromStack(stage.platformMonitoring!);
  [overview] = dashboardsOf(overviewTemplate);
  for (const [name, stacks] of stage.domains) {
    const template = Template.fromStack(stacks.monitoring);
    templates.set(name, template);
    dashboards.set(name, dashboardsOf(template));
  }
});

describe('the dashboard of every domain', () => {
  it('is one, named <org>-<env>-<domain>, in the stack <env>-<Domain>Monitoring', () => {
    expect([...dashboards.keys()].sort()).toEqual(domains.map((domain) => domain.name).sort());
    for (const domain of domains) {
      expect(dashboards.get(domain.name)!.map((dashboard) => dashboard.name)).toEqual([domainDashboardName(identity, domain.name)]);
    }
    expect(stage.domains.get('sales')!.monitoring.stackName).toBe('dev-SalesMonitoring');
  });

  it("has, per dataset, a files widget (validated, passed, rejected) and a rows widget (loaded, quarantined) over that dataset's EMF metrics", () => {
    for (const domain of domains) {
      const [dashboard] = dashboards.get(domain.name)!;
      for (const dataset of domain.datasets) {
        const titles = validationWidgetTitles(dataset);
        const dimensions = `Domain=${domain.name} Dataset=${dataset.name} Environment=dev`;
        const files = dashboard!.widgets.filter((widget) => widget.properties.title === titles.files);
        const rows = dashboard!.widgets.filter((widget) => widget.properties.title === titles.rows);
        expect(files).toHaveLength(1);
        expect(rows).toHaveLength(1);
        const sorted = (metrics: string[]) => metrics.map((metric) => metric.split(' ').sort().join(' ')).sort();
        expect(sorted(plottedMetrics(files[0]!))).toEqual(
          sorted([VALIDATION_METRICS.filesValidated, VALIDATION_METRICS.filesFailed].map((name) => `${METRICS_NAMESPACE}/${name} ${dimensions}`)),
        );
        expect(sorted(plottedMetrics(rows[0]!))).toEqual(
          sorted([VALIDATION_METRICS.rowsValidated, VALIDATION_METRICS.rowsQuarantined].map((name) => `${METRICS_NAMESPACE}/${name} ${dimensions}`)),
        );
        const labels = (widget: (typeof files)[number]) =>
          (widget.properties.metrics ?? []).map((line) => (line.at(-1) as { label?: string; visible?: boolean })).filter((options) => options.visible !== false).map((options) => options.label);
        expect(labels(files[0]!)).toEqual(['Validated', 'Passed', 'Rejected']);
        expect(labels(rows[0]!)).toEqual(['Loaded', 'Quarantined']);
      }
    }
  });

  it("draws the domain's router and alert topic and each dataset's validator (errors, throttles, duration) and pipeline (executions, failures, duration), found by their derived names", () => {
    for (const domain of domains) {
      const plotted = dashboards.get(domain.name)![0]!.widgets.flatMap(plottedMetrics);
      const expected = [
        `AWS/Lambda/Errors FunctionName=${domainFunctionName(identity, domain.name, 'router')}`,
        `AWS/SNS/NumberOfNotificationsFailed TopicName=${domainAlertTopicName(identity, domain.name)}`,
        ...domain.datasets.flatMap((dataset) => [
          `AWS/Lambda/Errors FunctionName=${validatorFunctionName(identity, dataset)}`,
          `AWS/Lambda/Throttles FunctionName=${validatorFunctionName(identity, dataset)}`,
          `AWS/Lambda/Duration FunctionName=${validatorFunctionName(identity, dataset)}`,
          ...['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionTime'].map(
            (metric) => `AWS/States/${metric} StateMachineArn=arn:<ref:AWS::Partition>:states:eu-west-1:111111111111:stateMachine:${pipelineStateMachineName(identity, dataset)}`,
          ),
        ]),
      ];
      expect(plotted).toEqual(expect.arrayContaining(expected));
    }
  });

  it("draws each dataset's failed rows per rule that judges rows, and no freshness or trend widget for a contract without an SLA or such rules", () => {
    const orders = domains.find((domain) => domain.name === 'sales')!.datasets.find((dataset) => dataset.name === 'orders')!;
    const [dashboard] = dashboards.get('sales')!;
    const failedRows = widgetTitled(dashboard!, ruleWidgetTitles(orders).failedRows)!;
    const rules = deriveRules(orders).filter((rule) => rule.scope === 'row').map((rule) => rule.id);
    expect(rules.length).toBeGreaterThan(1);
    expect(plottedMetrics(failedRows)).toEqual(rules.map((rule) => `${METRICS_NAMESPACE}/${VALIDATION_METRICS.ruleFailedRows} Dataset=orders Domain=sales Environment=dev Rule=${rule}`));
    for (const domain of domains) {
      for (const dataset of domain.datasets) {
        expect(widgetTitled(dashboards.get(domain.name)![0]!, ruleWidgetTitles(dataset).freshnessLag)).toBeUndefined();
        expect(widgetTitled(dashboards.get(domain.name)![0]!, ruleWidgetTitles(dataset).lastLoad)).toBeUndefined();
        expect(widgetTitled(dashboards.get(domain.name)![0]!, ruleWidgetTitles(dataset).trends)).toBeUndefined();
      }
    }
  });

  it("draws the bytes its two workgroups scanned and their cost at the environment's price, and no model tests without a build", () => {
    for (const domain of domains) {
      const [dashboard] = dashboards.get(domain.name)!;
      const titles = domainWidgetTitles(domain.name);
      const workgroups = [athenaWorkgroupName(identity, domain.name), athenaPipelineWorkgroupName(identity, domain.name)];
      const bytes = widgetTitled(dashboard!, titles.bytesScanned)!.properties.metrics!.map((line) => (line[0] as { expression: string; label: string }));
      expect(bytes.map((line) => line.label)).toEqual(workgroups);
      bytes.forEach((line, index) => expect(line.expression).toContain(`MetricName="ProcessedBytes" (WorkGroup="${workgroups[index]}")`));
      const [cost, ...more] = widgetTitled(dashboard!, titles.scanCost)!.properties.metrics!.map((line) => (line[0] as { expression: string }).expression);
      expect(more).toEqual([]);
      expect(cost).toBe(`SUM(SEARCH('{AWS/Athena,QueryState,QueryType,WorkGroup} MetricName="ProcessedBytes" (WorkGroup="${workgroups[0]}" OR WorkGroup="${workgroups[1]}")', 'Sum', 3600)) / 1000000000000 * ${PRICE}`);
      expect(widgetTitled(dashboard!, titles.modelTests)).toBeUndefined();
    }
  });

  it('imports nothing from another stack, so no export ties the stacks together', () => {
    for (const template of templates.values()) {
      expect(JSON.stringify(template.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetAtt/);
      expect(Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))).toHaveLength(1);
    }
  });
});

describe('the platform overview', () => {
  it('is one dashboard <org>-<env>-platform in the stack <env>-PlatformMonitoring, deployed after every domain monitoring stack, importing nothing', () => {
    expect(dashboardsOf(overviewTemplate).map((dashboard) => dashboard.name)).toEqual([platformDashboardName(identity)]);
    expect(stage.platformMonitoring!.stackName).toBe('dev-PlatformMonitoring');
    const after = stage.platformMonitoring!.dependencies.map((stack) => stack.stackName).sort();
    expect(after).toEqual(domains.map((domain) => stage.domains.get(domain.name)!.monitoring.stackName).sort());
    expect(JSON.stringify(overviewTemplate.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetAtt/);
  });

  it("has per domain with datasets its files, quarantined rows and pipeline failures summed over them, and its health alarm's state", () => {
    for (const domain of domains.filter((candidate) => candidate.datasets.length > 0)) {
      const titles = overviewWidgetTitles(domain.name);
      const expressions = (title: string) => (widgetTitled(overview, title)!.properties.metrics ?? []).map((line) => JSON.stringify(line));
      for (const metric of [VALIDATION_METRICS.filesValidated, VALIDATION_METRICS.filesFailed]) {
        expect(expressions(titles.files).some((line) => line.includes(`MetricName=\\"${metric}\\" Environment=\\"dev\\" Domain=\\"${domain.name}\\"`))).toBe(true);
      }
      expect(expressions(titles.rows).some((line) => line.includes(`MetricName=\\"${VALIDATION_METRICS.rowsQuarantined}\\"`) && line.includes(`Domain=\\"${domain.name}\\"`))).toBe(true);
      const failures = widgetTitled(overview, titles.pipelineFailures)!;
      expect(plottedMetrics(failures).sort()).toEqual(
        domain.datasets.map((dataset) => `AWS/States/ExecutionsFailed StateMachineArn=arn:<ref:AWS::Partition>:states:eu-west-1:111111111111:stateMachine:${pipelineStateMachineName(identity, dataset)}`).sort(),
      );
      const health = widgetTitled(overview, titles.health)!;
      expect(health.type).toBe('alarm');
      expect(JSON.stringify(health.properties)).toContain(`:cloudwatch:eu-west-1:111111111111:alarm:${domainHealthAlarmName(identity, domain.name)}"`);
    }
    // A domain without datasets has no health alarm to show, nor validation to sum.
    const reporting = overviewWidgetTitles('reporting');
    for (const title of [reporting.files, reporting.rows, reporting.pipelineFailures, reporting.health]) expect(widgetTitled(overview, title)).toBeUndefined();
  });

  it("names every domain, with the bytes its two workgroups scanned and their cost at the environment's price", () => {
    for (const domain of domains) {
      expect(overview.widgets.some((widget) => widget.properties.markdown?.startsWith(`## ${domain.name}`))).toBe(true);
      const titles = overviewWidgetTitles(domain.name);
      const bytes = JSON.stringify(widgetTitled(overview, titles.bytesScanned)!.properties.metrics);
      const cost = JSON.stringify(widgetTitled(overview, titles.scanCost)!.properties.metrics);
      for (const workgroup of [athenaWorkgroupName(identity, domain.name), athenaPipelineWorkgroupName(identity, domain.name)]) {
        expect(bytes).toContain(`WorkGroup=\\"${workgroup}\\"`);
        expect(cost).toContain(`WorkGroup=\\"${workgroup}\\"`);
      }
      expect(cost).toContain(`/ 1000000000000 * ${PRICE}`);
    }
  });
});

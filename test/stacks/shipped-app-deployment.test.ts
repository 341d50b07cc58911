/**
 * The shipped app (every environment of `cdk.json`, every domain of `contracts/`, builds included)
 * as CloudFormation will deploy it: which workgroup each query runs in, measured over every state
 * machine, role and table the app synthesizes, the order its tables and pipelines are created in,
 * what a failed first create leaves behind, and what the table owner may ask during a rollback.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  athenaPipelineWorkgroupName,
  athenaWorkgroupName,
  buildStateMachineName,
  domainAlertTopicName,
  domainDashboardName,
  domainHealthAlarmName,
  domainFunctionName,
  type EnvironmentIdentity,
  glueDatabaseName,
  maintenanceStateMachineName,
  pipelineStateMachineName,
  platformDashboardName,
  promotionStateMachineName,
  trainingStateMachineName,
} from '../../lib/config/names.ts';
import type { EnvironmentSettings, LakehouseSettings } from '../../lib/config/settings.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { listTransitions } from '../../lib/local/stepfunctions/transitions.ts';
import { loadMlModels } from '../../lib/ml/load.ts';
import type { MlModel } from '../../lib/ml/model.ts';
import { domainWidgetTitles, ruleWidgetTitles, validationWidgetTitles } from '../../lib/constructs/domain-dashboard.ts';
import { overviewWidgetTitles } from '../../lib/constructs/platform-dashboard.ts';
import { DomainHealthAlarm } from '../../lib/constructs/domain-health-alarm.ts';
import { deriveRules } from '../../lib/validation/derive-rules.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { unquotedRelations } from './athena-identifiers.ts';
import { compositeAlarmsOf, errorLevelAlarmNames, watchedThroughout } from './composite-alarms.ts';
import { dashboardsOf, plottedMetrics, widgetTitled } from './dashboard-widgets.ts';
import { shippedApp } from './shipped-app.ts';
import { type Json, templateText } from './template-text.ts';

interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, Json>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

let settings: LakehouseSettings;
let catalog: Catalog;
let stages: readonly LakehouseStage[];
let mlModels: readonly MlModel[];

beforeAll(async () => {
  ({ settings, catalog, stages } = await shippedApp());
  mlModels = await loadMlModels(catalog, () => settings);
}, 180_000);

function environmentOf(stage: LakehouseStage): EnvironmentSettings {
  return settings.environments.find((environment) => environment.name === stage.stageName)!;
}

function identityOf(stage: LakehouseStage): EnvironmentIdentity {
  const { account, region } = environmentOf(stage);
  return { organization: settings.organization, environment: stage.stageName, account, region };
}

/** What each state machine of a stage is: the domain it serves and its kind. */
function machineRoles(stage: LakehouseStage): Map<string, { domain: string; kind: string }> {
  const identity = identityOf(stage);
  const roles = new Map<string, { domain: string; kind: string }>();
  for (const { name: domain, datasets } of catalog.domains) {
    roles.set(buildStateMachineName(identity, domain), { domain, kind: 'build' });
    roles.set(maintenanceStateMachineName(identity, domain), { domain, kind: 'maintenance' });
    for (const dataset of datasets) roles.set(pipelineStateMachineName(identity, dataset), { domain, kind: 'pipeline' });
  }
  for (const model of mlModels) {
    roles.set(trainingStateMachineName(identity, model.domain, model.name), { domain: model.domain, kind: 'training' });
    roles.set(promotionStateMachineName(identity, model.domain, model.name), { domain: model.domain, kind: 'promotion' });
  }
  return roles;
}

function resources(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.findResources(type) as Record<string, TemplateResource>);
}

/** Every Task state calling Athena's StartQueryExecution, however deeply nested in Map or Parallel states. */
function athenaQueryStates(value: unknown, name = ''): { name: string; parameters: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap((item) => athenaQueryStates(item));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own =
    record['Type'] === 'Task' && typeof record['Resource'] === 'string' && record['Resource'].includes(':athena:startQueryExecution')
      ? [{ name, parameters: record['Parameters'] as Record<string, unknown> }]
      : [];
  return [...own, ...Object.entries(record).flatMap(([key, child]) => athenaQueryStates(child, key))];
}

interface DomainTemplates {
  readonly domain: string;
  readonly domainTemplate: Template;
  readonly datasetTemplates: readonly Template[];
}

function domainTemplates(stage: LakehouseStage): DomainTemplates[] {
  return [...stage.domains.entries()].map(([domain, stacks]) => ({
    domain,
    domainTemplate: Template.fromStack(stacks.domain),
    datasetTemplates: [...stacks.datasets.values()].map((stack) => Template.fromStack(stack)),
  }));
}

/** `[statement, where]` for every IAM policy statement of a template: inline, attached or managed. */
function policyStatements(template: Template): [Record<string, Json>, string][] {
  const documents: [Json, string][] = [
    ...resources(template, 'AWS::IAM::Policy').map(([id, policy]): [Json, string] => [policy.Properties['PolicyDocument']!, id]),
    ...resources(template, 'AWS::IAM::ManagedPolicy').map(([id, policy]): [Json, string] => [policy.Properties['PolicyDocument']!, id]),
    ...resources(template, 'AWS::IAM::Role').flatMap(([id, role]) =>
      ((role.Properties['Policies'] as { PolicyDocument: Json }[] | undefined) ?? []).map((policy): [Json, string] => [policy.PolicyDocument, id]),
    ),
  ];
  return documents.flatMap(([document, where]) =>
    ((document as { Statement: Record<string, Json>[] }).Statement ?? []).map((statement): [Record<string, Json>, string] => [statement, where]),
  );
}

describe('the pipeline workgroup of every domain', () => {
  it('exists beside the analysts\' workgroup, encrypted like it, without the analysts\' scan cutoff by default, leaving each pipeline its own results location', () => {
    for (const stage of stages) {
      const identity = identityOf(stage);
      const cutoff = environmentOf(stage).athenaBytesScannedCutoffPerQuery;
      expect(environmentOf(stage).pipelineBytesScannedCutoffPerQuery).toBeUndefined();
      for (const { domain, domainTemplate } of domainTemplates(stage)) {
        const byName = new Map(resources(domainTemplate, 'AWS::Athena::WorkGroup').map(([, workgroup]) => [workgroup.Properties['Name'] as string, workgroup]));
        expect([...byName.keys()].sort()).toEqual([athenaWorkgroupName(identity, domain), athenaPipelineWorkgroupName(identity, domain)].sort());
        const analysts = byName.get(athenaWorkgroupName(identity, domain))!.Properties['WorkGroupConfiguration'] as Record<string, Json>;
        const pipeline = byName.get(athenaPipelineWorkgroupName(identity, domain))!.Properties['WorkGroupConfiguration'] as Record<string, Json>;
        expect(analysts['BytesScannedCutoffPerQuery']).toBe(cutoff);
        expect(pipeline).not.toHaveProperty('BytesScannedCutoffPerQuery');
        const { BytesScannedCutoffPerQuery: _cutoff, ...analystsRest } = analysts;
        // Not enforced: an enforced location would override the per-pipeline one its loads name (issue 9 item 12).
        expect(pipeline).toEqual({ ...analystsRest, EnforceWorkGroupConfiguration: false });
        expect(analysts).toMatchObject({ EnforceWorkGroupConfiguration: true });
        expect(pipeline).toMatchObject({ ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } } });
      }
    }
  });

  it('runs every query of every state machine of the app', () => {
    const counted = new Map<string, number>();
    for (const stage of stages) {
      const identity = identityOf(stage);
      const roles = machineRoles(stage);
      const machines = stageStateMachines(stage);
      expect(machines.length).toBeGreaterThan(0);
      for (const machine of machines) {
        expect(roles.has(machine.name), `state machine ${machine.name} is a pipeline, build, maintenance, training or promotion`).toBe(true);
        const { domain, kind } = roles.get(machine.name)!;
        const queries = athenaQueryStates(machine.definition);
        counted.set(kind, (counted.get(kind) ?? 0) + queries.length);
        for (const query of queries) {
          expect({ machine: machine.name, state: query.name, workGroup: query.parameters['WorkGroup'] }).toEqual({
            machine: machine.name,
            state: query.name,
            workGroup: athenaPipelineWorkgroupName(identity, domain),
          });
        }
      }
    }
    // Every kind of machine the contracts make queries: a definition that stopped calling Athena would pass vacuously.
    expect([...counted.keys()].sort()).toEqual([...new Set([...machineRoles(stages[0]!).values()].map(({ kind }) => kind))].sort());
    for (const count of counted.values()) expect(count).toBeGreaterThan(0);
  });

  it('is where the table owner runs the DDL of every silver and gold table', () => {
    for (const stage of stages) {
      const identity = identityOf(stage);
      for (const { domain, domainTemplate, datasetTemplates } of domainTemplates(stage)) {
        const tables = [domainTemplate, ...datasetTemplates].flatMap((template) => resources(template, 'Custom::IcebergTable'));
        expect(tables.length).toBeGreaterThan(0);
        for (const [id, table] of tables) expect([id, table.Properties['workGroup']]).toEqual([id, athenaPipelineWorkgroupName(identity, domain)]);
      }
    }
  });

  it('is the only workgroup any role of the app may query in, and only its own domain\'s', () => {
    let athenaStatements = 0;
    for (const stage of stages) {
      const identity = identityOf(stage);
      for (const { domain, domainTemplate, datasetTemplates } of domainTemplates(stage)) {
        for (const [statement, where] of [domainTemplate, ...datasetTemplates].flatMap(policyStatements)) {
          const actions = [statement['Action']].flat() as string[];
          if (!actions.some((action) => action.startsWith('athena:') && action !== 'athena:GetDataCatalog')) continue;
          athenaStatements += 1;
          const workgroups = ([statement['Resource']].flat() as Json[]).map(templateText);
          expect({ where, workgroups }).toEqual({
            where,
            workgroups: workgroups.map(() => `arn:<ref:AWS::Partition>:athena:${identity.region}:${identity.account}:workgroup/${athenaPipelineWorkgroupName(identity, domain)}`),
          });
        }
      }
    }
    expect(athenaStatements).toBeGreaterThan(0);
  });
});

describe('creation order', () => {
  it('creates every gold table after its Glue database and the pipeline workgroup', () => {
    let goldTables = 0;
    for (const stage of stages) {
      for (const { domainTemplate } of domainTemplates(stage)) {
        const [[database]] = resources(domainTemplate, 'AWS::Glue::Database') as [[string, TemplateResource]];
        const pipelineWorkgroup = resources(domainTemplate, 'AWS::Athena::WorkGroup').find(([, workgroup]) => (workgroup.Properties['Name'] as string).endsWith('-pipeline'))![0];
        for (const [id, table] of resources(domainTemplate, 'Custom::IcebergTable')) {
          goldTables += 1;
          expect({ id, dependsOn: table.DependsOn }).toEqual({ id, dependsOn: expect.arrayContaining([database, pipelineWorkgroup]) });
        }
      }
    }
    expect(goldTables).toBeGreaterThan(0);
  });

  it('creates and updates every pipeline after its silver table', () => {
    let pipelines = 0;
    for (const stage of stages) {
      for (const { datasets } of stage.domains.values()) {
        for (const stack of datasets.values()) {
          const template = Template.fromStack(stack);
          const machines = resources(template, 'AWS::StepFunctions::StateMachine');
          expect(machines.length).toBe(stack.pipelines.size);
          for (const [dataset, pipeline] of stack.pipelines) {
            pipelines += 1;
            const machineId = stack.getLogicalId(pipeline.stateMachine.node.defaultChild as never);
            const tableId = stack.getLogicalId(stack.silverTables.get(dataset)!.resource.node.defaultChild as never);
            const machine = machines.find(([id]) => id === machineId)![1];
            expect({ dataset, dependsOn: machine.DependsOn }).toEqual({ dataset, dependsOn: expect.arrayContaining([tableId]) });
          }
        }
      }
    }
    expect(pipelines).toBe(stages.length * [...stages[0]!.domains.values()].reduce((sum, { datasets }) => sum + [...datasets.values()].reduce((n, stack) => n + stack.pipelines.size, 0), 0));
    expect(pipelines).toBeGreaterThan(0);
  });

  it('deploys each dataset stack after its domain stack, which holds the database, workgroups and table owner its silver tables need', () => {
    for (const stage of stages) {
      const assembly = stage.synth();
      const platform = assembly.getStackArtifact(stage.platform.artifactId);
      for (const { domain, datasets } of stage.domains.values()) {
        expect(assembly.getStackArtifact(domain.artifactId).dependencies.map((artifact) => artifact.id)).toContain(platform.id);
        for (const stack of datasets.values()) {
          expect(assembly.getStackArtifact(stack.artifactId).dependencies.map((artifact) => artifact.id)).toContain(domain.artifactId);
        }
      }
    }
  });
});

describe('names in Athena statements', () => {
  it('are quoted, database and table, in every statement of every state machine of every environment (a dataset may be called order)', () => {
    for (const stage of stages) {
      const databases = catalog.domains.map((domain) => glueDatabaseName(identityOf(stage), domain.name));
      expect(unquotedRelations(stageStateMachines(stage), databases)).toEqual([]);
    }
  });
});

/** Every resource of every stack of every environment, named `<stage>/<stack>/<logical id> (<type>)`. */
function everyResource(): { stage: LakehouseStage; name: string; resource: TemplateResource }[] {
  return stages.flatMap((stage) =>
    stage.synth().stacks.flatMap((artifact) =>
      Object.entries((artifact.template as { Resources: Record<string, TemplateResource> }).Resources).map(([id, resource]) => ({
        stage,
        name: `${artifact.hierarchicalId}/${id} (${resource.Type})`,
        resource,
      })),
    ),
  );
}

describe('what a failed first create leaves behind (RetainExceptOnCreate)', () => {
  it('nothing: no resource of any stack keeps a plain Retain, which would survive a rolled-back create and block the retry', () => {
    expect(everyResource().filter(({ resource }) => resource.DeletionPolicy === 'Retain').map(({ name }) => name)).toEqual([]);
  });

  it('every retained environment still keeps its data stores on update and delete', () => {
    const retained = settings.environments.filter((environment) => environment.removalPolicy === 'retain').map(({ name }) => name);
    expect(retained.length).toBeGreaterThan(0);
    const kept = everyResource().filter(({ stage, resource }) => retained.includes(stage.stageName) && resource.DeletionPolicy === 'RetainExceptOnCreate');
    expect(kept.filter(({ resource }) => resource.UpdateReplacePolicy !== 'Retain').map(({ name }) => name)).toEqual([]);
    expect([...new Set(kept.map(({ resource }) => resource.Type))]).toEqual(
      expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Glue::Database', 'AWS::Glue::Table', 'Custom::IcebergTable']),
    );
  });
});

describe('the table owner during a rollback', () => {
  it("may read the status of exactly the stacks holding its domain's Iceberg tables, and of no other", () => {
    for (const stage of stages) {
      const identity = identityOf(stage);
      for (const [domain, stacks] of stage.domains) {
        const expected = [stacks.domain, ...stacks.datasets.values()]
          .filter((stack) => resources(Template.fromStack(stack), 'Custom::IcebergTable').length > 0)
          .map((stack) =>
            stack === stacks.domain
              ? '<ref:AWS::StackId>'
              : `arn:<ref:AWS::Partition>:cloudformation:${identity.region}:${identity.account}:stack/${stack.stackName}/*`,
          );
        expect(expected.length).toBeGreaterThan(0);
        const template = Template.fromStack(stacks.domain);
        const functionName = domainFunctionName(identity, domain, 'athena-ddl');
        const [, handler] = resources(template, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties['FunctionName'] === functionName)!;
        const handlerRole = (handler.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const policies = new Map(resources(template, 'AWS::IAM::Policy'));
        const grants = policyStatements(template)
          .filter(([statement]) => [statement['Action']].flat().includes('cloudformation:DescribeStacks'))
          .map(([statement, where]) => ({
            roles: (policies.get(where)?.Properties['Roles'] as { Ref: string }[] | undefined)?.map((role) => role.Ref),
            resources: [statement['Resource']!].flat().map(templateText).sort(),
          }));
        expect(grants).toEqual([{ roles: [handlerRole], resources: expected.sort() }]);
      }
    }
  });
});

describe('the transitions state coverage counts', () => {
  it('have an id of their own in every state machine of every environment, and lead to states of that machine', () => {
    for (const stage of stages) {
      for (const machine of stageStateMachines(stage)) {
        const states = new Set(listStates(machine.definition).map((state) => state.name));
        const transitions = listTransitions(machine.definition);
        const ids = transitions.map((transition) => transition.id);
        expect(states.size, machine.name).toBeGreaterThan(0);
        expect(ids.length, machine.name).toBeGreaterThan(0);
        expect(ids.filter((id, index) => ids.indexOf(id) !== index), machine.name).toEqual([]);
        expect(transitions.filter((transition) => 'to' in transition && !states.has(transition.to)), machine.name).toEqual([]);
      }
    }
  });
});

describe('the dashboards', () => {
  it('are one per domain of every environment, in its monitoring stack, with the validation widgets of each of its datasets and its build', () => {
    for (const stage of stages) {
      const identity = identityOf(stage);
      const everyDashboard = stage.node.findAll().filter((construct): construct is Stack => construct instanceof Stack).flatMap((stack) => dashboardsOf(Template.fromStack(stack)));
      expect(everyDashboard.map((dashboard) => dashboard.name).sort()).toEqual([...catalog.domains.map((domain) => domainDashboardName(identity, domain.name)), platformDashboardName(identity)].sort());
      for (const domain of catalog.domains) {
        const stacks = stage.domains.get(domain.name)!;
        const [dashboard, ...others] = dashboardsOf(Template.fromStack(stacks.monitoring));
        expect(others).toEqual([]);
        expect(dashboard!.name).toBe(domainDashboardName(identity, domain.name));
        const titles = dashboard!.widgets.map((widget) => widget.properties.title);
        for (const dataset of domain.datasets) expect(titles).toEqual(expect.arrayContaining(Object.values(validationWidgetTitles(dataset))));
        const plotted = dashboard!.widgets.flatMap(plottedMetrics);
        const build = `AWS/States/ExecutionsFailed StateMachineArn=arn:<ref:AWS::Partition>:states:${identity.region}:${identity.account}:stateMachine:${buildStateMachineName(identity, domain.name)}`;
        if (stacks.domain.build === undefined) expect(plotted).not.toContain(build);
        else expect(plotted).toContain(build);
      }
    }
    // The shipped contracts have models, so a build's widgets are checked, not only their absence.
    expect(stages.flatMap((stage) => [...stage.domains.values()]).some((stacks) => stacks.domain.build !== undefined)).toBe(true);
  });

  /** Every dataset of every environment with its domain's dashboard. */
  function eachDatasetDashboard(check: (dataset: Catalog['domains'][number]['datasets'][number], dashboard: ReturnType<typeof dashboardsOf>[number], where: string) => void): void {
    for (const stage of stages) {
      for (const domain of catalog.domains) {
        const [dashboard] = dashboardsOf(Template.fromStack(stage.domains.get(domain.name)!.monitoring));
        for (const dataset of domain.datasets) check(dataset, dashboard!, `${stage.stageName}/${dataset.names.ref}`);
      }
    }
  }

  it("draw, per dataset, one failed-rows line per rule that judges rows, under the rule id the validator emits, and no other", () => {
    eachDatasetDashboard((dataset, dashboard, where) => {
      const rowRules = deriveRules(dataset).filter((rule) => rule.scope === 'row').map((rule) => rule.id);
      const widget = widgetTitled(dashboard, ruleWidgetTitles(dataset).failedRows);
      const rules = plottedMetrics(widget!).map((metric) => {
        const [name, ...pairs] = metric.split(' ');
        const dimensions = Object.fromEntries(pairs.map((pair) => pair.split('=')));
        expect([name, dimensions['Environment'], dimensions['Domain'], dimensions['Dataset']], where).toEqual(['ContractLakehouse/RuleFailedRows', where.split('/')[0], dataset.domain, dataset.name]);
        return dimensions['Rule'];
      });
      expect(rules, where).toEqual(rowRules);
    });
    // The shipped orders contract's quality rules are among them, under their declared ids.
    const orders = catalog.domains.flatMap((domain) => domain.datasets).find((dataset) => dataset.names.ref === 'sales/orders')!;
    const [dashboard] = dashboardsOf(Template.fromStack(stages[0]!.domains.get('sales')!.monitoring));
    const lines = plottedMetrics(widgetTitled(dashboard!, ruleWidgetTitles(orders).failedRows)!);
    for (const rule of orders.quality.filter((quality) => quality.metric === 'nullValues' || quality.metric === 'missingValues')) {
      expect(lines.some((line) => line.endsWith(`Rule=${rule.id ?? `${rule.column}.${rule.metric}`}`))).toBe(true);
    }
  });

  /** The threshold of every freshness alarm of a stage, by alarm name, as its dataset stacks synthesize it. */
  function freshnessAlarmThresholds(stage: LakehouseStage): Map<string, number> {
    const thresholds = new Map<string, number>();
    for (const stacks of stage.domains.values()) {
      for (const stack of stacks.datasets.values()) {
        for (const [, alarm] of resources(Template.fromStack(stack), 'AWS::CloudWatch::Alarm')) {
          const name = String(alarm.Properties['AlarmName']);
          if (name.endsWith('-freshness')) thresholds.set(name, alarm.Properties['Threshold'] as number);
        }
      }
    }
    return thresholds;
  }

  it("draw each dataset's newest row age at ingest against its freshness maxAge, and its time since the last load against its freshness alarm's threshold", () => {
    const drawn: string[] = [];
    for (const stage of stages) {
      const alarmThresholds = freshnessAlarmThresholds(stage);
      for (const domain of catalog.domains) {
        const [dashboard] = dashboardsOf(Template.fromStack(stage.domains.get(domain.name)!.monitoring));
        for (const dataset of domain.datasets) {
          const where = `${stage.stageName}/${dataset.names.ref}`;
          const titles = ruleWidgetTitles(dataset);
          const lag = widgetTitled(dashboard!, titles.freshnessLag);
          const lastLoad = widgetTitled(dashboard!, titles.lastLoad);
          const alarmThreshold = alarmThresholds.get(`${stage.stageName}-${dataset.domain}-${dataset.name}-freshness`);
          expect(lag === undefined, where).toBe(dataset.freshness === undefined);
          expect(lastLoad === undefined, where).toBe(alarmThreshold === undefined);
          if (lag !== undefined) {
            expect(plottedMetrics(lag).map((metric) => metric.split(' ')[0]), where).toEqual(['ContractLakehouse/FreshnessLagSeconds']);
            expect(lag.properties.annotations?.horizontal?.map((annotation) => annotation.value), where).toEqual([dataset.freshness!.maxAge]);
          }
          if (lastLoad !== undefined) {
            drawn.push(where);
            expect(plottedMetrics(lastLoad).map((metric) => metric.split(' ')[0]), where).toEqual(['ContractLakehouse/LastLoadAgeSeconds']);
            expect(lastLoad.properties.annotations?.horizontal?.map((annotation) => annotation.value), where).toEqual([alarmThreshold]);
          }
        }
      }
    }
    // Frequency only (customers), maxAge only (web_events) and both (orders) are all shipped.
    expect(new Set(drawn.map((where) => where.split('/').slice(1).join('/')))).toEqual(new Set(['sales/orders', 'sales/customers', 'sales/order_items', 'marketing/web_events']));
    // sales/orders: a 1-day frequency and a 2-day maxAge. The alarm (and its line) is the frequency plus the grace; the lag's line is the maxAge.
    const orders = catalog.domains.flatMap((domain) => domain.datasets).find((dataset) => dataset.names.ref === 'sales/orders')!;
    expect([orders.frequency, orders.freshness?.maxAge]).toEqual([86_400, 172_800]);
    const dev = stages.find((stage) => stage.stageName === 'dev')!;
    expect(freshnessAlarmThresholds(dev).get('dev-sales-orders-freshness')).toBe(86_400 + environmentOf(dev).alarms.freshnessGraceSeconds);
  });

  it("draw the observed value of exactly each dataset's missing-value and class-balance rules", () => {
    const drawn: string[] = [];
    eachDatasetDashboard((dataset, dashboard, where) => {
      const trendRules = deriveRules(dataset).filter((rule) => ['nullValues', 'missingValues', 'classBalance'].includes(rule.kind)).map((rule) => rule.id);
      const widget = widgetTitled(dashboard, ruleWidgetTitles(dataset).trends);
      if (trendRules.length === 0) {
        expect(widget, where).toBeUndefined();
        return;
      }
      drawn.push(...trendRules.map((rule) => `${dataset.names.ref}:${rule}`));
      expect(plottedMetrics(widget!).map((metric) => metric.replace(/^ContractLakehouse\/RuleObservedValue Dataset=\w+ Domain=\w+ Environment=\w+ Rule=/, '')), where).toEqual(trendRules);
    });
    expect(drawn.some((rule) => rule.endsWith(':classBalance'))).toBe(true);
  });

  it("include per environment the platform overview, naming every domain, its health alarm's state where it has one, and its Athena cost at the environment's price", () => {
    for (const stage of stages) {
      const identity = identityOf(stage);
      const [overview, ...others] = dashboardsOf(Template.fromStack(stage.platformMonitoring!));
      expect(others).toEqual([]);
      expect(overview!.name).toBe(platformDashboardName(identity));
      const titles = overview!.widgets.map((widget) => widget.properties.title);
      for (const domain of catalog.domains) {
        const row = overviewWidgetTitles(domain.name);
        expect(overview!.widgets.some((widget) => widget.properties.markdown?.startsWith(`## ${domain.name}`)), `${stage.stageName}/${domain.name}`).toBe(true);
        expect(titles).toEqual(expect.arrayContaining([row.bytesScanned, row.scanCost]));
        const cost = JSON.stringify(overview!.widgets.find((widget) => widget.properties.title === row.scanCost)!.properties.metrics);
        expect(cost).toContain(`* ${environmentOf(stage).athenaUsdPerTerabyteScanned}`);
        const monitoring = stage.domains.get(domain.name)!.monitoring;
        const health = overview!.widgets.find((widget) => widget.properties.title === row.health);
        const hasHealthAlarm = monitoring.node.children.some((child) => child instanceof DomainHealthAlarm);
        expect(health === undefined, `${stage.stageName}/${domain.name}`).toBe(!hasHealthAlarm);
        if (health !== undefined) expect(JSON.stringify(health.properties)).toContain(`:alarm:${domainHealthAlarmName(identity, domain.name)}"`);
        expect(stage.platformMonitoring!.dependencies).toContain(monitoring);
      }
    }
  });

  it("draw per domain the test failures of exactly the models whose build publishes them, under the same dimensions, and its workgroups' bytes scanned and cost", () => {
    let models = 0;
    for (const stage of stages) {
      const identity = identityOf(stage);
      for (const domain of catalog.domains) {
        const [dashboard] = dashboardsOf(Template.fromStack(stage.domains.get(domain.name)!.monitoring));
        const titles = domainWidgetTitles(domain.name);
        const published = publishedTestFailures(stage, domain.name);
        models += published.length;
        const widget = widgetTitled(dashboard!, titles.modelTests);
        const sorted = (line: string) => line.split(' ').sort().join(' ');
        const expected = published.map(({ dimensions }) => sorted(['ContractLakehouse/ModelTestFailures', ...dimensions.map(({ Name, Value }) => `${Name}=${Value}`)].join(' ')));
        expect(widget === undefined ? [] : plottedMetrics(widget).map(sorted).sort(), `${stage.stageName}/${domain.name}`).toEqual(expected.sort());
        const bytes = JSON.stringify(widgetTitled(dashboard!, titles.bytesScanned)!.properties.metrics);
        const cost = JSON.stringify(widgetTitled(dashboard!, titles.scanCost)!.properties.metrics);
        for (const workgroup of [athenaWorkgroupName(identity, domain.name), athenaPipelineWorkgroupName(identity, domain.name)]) {
          expect(bytes).toContain(`WorkGroup=\\"${workgroup}\\"`);
          expect(cost).toContain(`WorkGroup=\\"${workgroup}\\"`);
        }
        expect(cost).toContain(`/ 1000000000000 * ${environmentOf(stage).athenaUsdPerTerabyteScanned}`);
      }
    }
    // The shipped models have error-severity tests, so the lines are checked, not only their absence.
    expect(models).toBeGreaterThan(0);
  });
});

/**
 * The models each domain's build publishes `ModelTestFailures` for, read from the synthesized build
 * machine's PutMetricData Tasks: the metric and the Model dimension as the alarms must name them.
 */
function publishedTestFailures(stage: LakehouseStage, domain: string): { model: string; dimensions: { Name: string; Value: string }[] }[] {
  const machine = stageStateMachines(stage).find((candidate) => candidate.name === buildStateMachineName(identityOf(stage), domain));
  if (machine === undefined) return [];
  return listStates(machine.definition).flatMap((state) => {
    if (!(state.resource ?? '').endsWith(':cloudwatch:putMetricData')) return [];
    const parameters = (state.definition as unknown as { Parameters: { Namespace: string; MetricData: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[] } }).Parameters;
    const [datum] = parameters.MetricData;
    if (parameters.Namespace !== 'ContractLakehouse' || datum!.MetricName !== 'ModelTestFailures') return [];
    return [{ model: datum!.Dimensions.find((dimension) => dimension.Name === 'Model')!.Value, dimensions: datum!.Dimensions }];
  });
}

function testsFailedName(identity: EnvironmentIdentity, model: string): string {
  const [domain, name] = model.split('/');
  return `${identity.environment}-${domain}-${name}-tests-failed`;
}

describe('the tests-failed alarms', () => {
  it("are one per model whose build publishes test failures, in its domain stack, on that metric, with cdk.json's threshold, notifying the domain's topic", () => {
    let published = 0;
    for (const stage of stages) {
      const identity = identityOf(stage);
      const alarmSettings = environmentOf(stage).alarms;
      for (const domain of catalog.domains) {
        const stacks = stage.domains.get(domain.name)!;
        const template = Template.fromStack(stacks.domain);
        const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
          (alarm) => alarm.Properties as { AlarmName?: string; Namespace: string; MetricName: string; Dimensions: unknown[]; Threshold: number; Period: number; AlarmActions: unknown[]; AlarmDescription: string },
        );
        const models = publishedTestFailures(stage, domain.name);
        published += models.length;
        const testsFailed = alarms.filter((alarm) => alarm.AlarmName?.endsWith('-tests-failed'));
        expect(testsFailed.map((alarm) => alarm.AlarmName).sort()).toEqual(models.map(({ model }) => testsFailedName(identity, model)).sort());
        for (const { model, dimensions } of models) {
          const alarm = testsFailed.find((candidate) => candidate.AlarmName === testsFailedName(identity, model))!;
          expect([alarm.Namespace, alarm.MetricName, alarm.Threshold, alarm.Period]).toEqual(['ContractLakehouse', 'ModelTestFailures', alarmSettings.modelTestFailures, alarmSettings.periodSeconds]);
          const sorted = (list: unknown[]) => [...(list as { Name: string }[])].sort((a, b) => a.Name.localeCompare(b.Name));
          expect(sorted(alarm.Dimensions)).toEqual(sorted(dimensions));
          // The topic is in the same stack: the action refers to it.
          const [action, ...others] = alarm.AlarmActions as { Ref: string }[];
          expect(others).toEqual([]);
          expect(template.toJSON().Resources[action!.Ref].Properties.TopicName).toBe(domainAlertTopicName(identity, domain.name));
          expect(alarm.AlarmDescription).toMatch(/^\[error\] .* First: .* Runbook: README\.md#alarms \(tests-failed\)\.$/);
        }
      }
    }
    // The shipped models have error-severity tests, so alarms are checked, not only their absence.
    expect(published).toBeGreaterThan(0);
  });
});

describe('the health alarms', () => {
  it("are one per domain of every environment, in its monitoring stack, over exactly its datasets' error-level alarms, notifying the domain's topic", () => {
    for (const stage of stages) {
      const identity = identityOf(stage);
      for (const domain of catalog.domains) {
        const stacks = stage.domains.get(domain.name)!;
        const composites = compositeAlarmsOf(Template.fromStack(stacks.monitoring));
        const top = composites.filter((composite) => composite.name === domainHealthAlarmName(identity, domain.name));
        expect(top, `${stage.stageName}/${domain.name}`).toHaveLength(1);
        expect(JSON.stringify(top[0]!.actions)).toContain(`:sns:${identity.region}:${identity.account}:${domainAlertTopicName(identity, domain.name)}"`);
        expect(top[0]!.actions).toHaveLength(1);
        const models = publishedTestFailures(stage, domain.name).map(({ model }) => testsFailedName(identity, model));
        const expected = [...domain.datasets.flatMap((dataset) => errorLevelAlarmNames(identity, dataset)), ...models];
        expect(watchedThroughout(composites).sort()).toEqual(expected.sort());
        // Every name it watches is an alarm a dataset stack or the domain stack of the domain creates.
        const created = [stacks.domain, ...stacks.datasets.values()].flatMap((stack) =>
          Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((alarm) => (alarm.Properties as { AlarmName: string }).AlarmName),
        );
        expect(created).toEqual(expect.arrayContaining(expected));
        expect(created.filter((name) => /-warning-/.test(name)).some((name) => expected.includes(name))).toBe(false);
      }
    }
  });
});

describe('the alarm descriptions', () => {
  it('name their real subject and runbook paragraph in every alarm of every stack of every environment: no placeholder is left in', () => {
    let described = 0;
    for (const stage of stages) {
      for (const stack of stage.node.findAll().filter((construct): construct is Stack => construct instanceof Stack)) {
        const template = Template.fromStack(stack);
        for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']) {
          for (const [id, alarm] of resources(template, type)) {
            const description = templateText(alarm.Properties['AlarmDescription'] ?? '');
            described += 1;
            expect(description, `${stack.stackName}/${id}`).not.toMatch(/</);
          }
        }
      }
    }
    expect(described).toBeGreaterThan(0);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../lib/contracts/problems.ts';
import { enableNagChecks } from '../../lib/nag/nag-checks.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { ModelsAtSynth } from '../../lib/transforms/models-at-synth.ts';
import { buildApp } from '../stacks/build.ts';
import { settings } from '../stacks/fixtures.ts';
import { catalogWith, modelFile } from '../transforms/helpers.ts';
import { type Json, templateText } from '../stacks/template-text.ts';

const catalog = catalogWith({
  'sales/status_counts': modelFile('materialized: table', "SELECT status, count(*) AS n, max(order_date) AS latest FROM {{ ref('orders') }} GROUP BY status"),
  'sales/shipped_counts': modelFile('materialized: view', "SELECT n FROM {{ ref('status_counts') }} WHERE status = 'shipped'"),
  'sales/daily_amounts': modelFile(
    'materialized: incremental\nunique_key: order_date',
    "SELECT order_date, CAST(sum(amount) AS DECIMAL(18,2)) AS amount FROM {{ ref('orders') }} GROUP BY order_date",
  ),
  'marketing/order_mix': modelFile('materialized: table', "SELECT currency, count(*) AS n FROM {{ ref('sales/orders') }} GROUP BY currency"),
});

let models: ModelsAtSynth;
let stage: LakehouseStage;

beforeAll(async () => {
  const dag = compileTransforms(catalog);
  models = { dag, columns: await inferModelColumns(dag) };
  [stage] = buildLakehouseApp(new App(), catalog, settings(), models) as [LakehouseStage];
}, 180_000);

interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, Json>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string[];
}

function resources(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

function domainTemplate(domain: string): Template {
  return Template.fromStack(stage.domains.get(domain)!.domain);
}

/** Custom::IcebergTable resources by table name. */
function icebergTables(template: Template): Map<string, TemplateResource & { logicalId: string }> {
  return new Map(
    Object.entries(resources(template, 'Custom::IcebergTable')).map(([logicalId, resource]) => [resource.Properties['table'] as string, { ...resource, logicalId }]),
  );
}

const goldBucket = '<import:acme-dev-platform-GoldBucketName>';

describe('gold tables owned by the Athena DDL custom resource', () => {
  it('creates a table and its staging table for each table and incremental model, and none for a view', () => {
    expect([...icebergTables(domainTemplate('sales')).keys()].sort()).toEqual(['daily_amounts', 'daily_amounts__staging', 'status_counts', 'status_counts__staging']);
    expect([...icebergTables(domainTemplate('marketing')).keys()].sort()).toEqual(['order_mix', 'order_mix__staging']);
    expect([...stage.domains.get('sales')!.domain.goldTables.keys()].sort()).toEqual(['daily_amounts', 'daily_amounts__staging', 'status_counts', 'status_counts__staging']);
  });

  it('creates each table with the inferred columns in Athena types, at s3://<gold bucket>/<domain>/<table>/', () => {
    const tables = icebergTables(domainTemplate('sales'));
    const statusCounts = tables.get('status_counts')!;
    expect(statusCounts.Properties['database']).toBe('acme_dev_sales');
    expect(statusCounts.Properties['workGroup']).toBe('acme-dev-sales-pipeline');
    expect(statusCounts.Properties['columns']).toEqual([
      { name: 'status', type: 'string' },
      { name: 'n', type: 'bigint' },
      { name: 'latest', type: 'date' },
    ]);
    expect(templateText(statusCounts.Properties['createStatement']!)).toBe(
      [
        'CREATE TABLE IF NOT EXISTS `acme_dev_sales`.`status_counts` (',
        '  `status` string,',
        '  `n` bigint,',
        '  `latest` date',
        ')',
        `LOCATION 's3://${goldBucket}/sales/status_counts/'`,
        "TBLPROPERTIES ('table_type'='ICEBERG')",
      ].join('\n'),
    );
    const staging = tables.get('daily_amounts__staging')!;
    expect(staging.Properties['columns']).toEqual([
      { name: 'order_date', type: 'date' },
      { name: 'amount', type: 'decimal(18,2)' },
    ]);
    expect(templateText(staging.Properties['createStatement']!)).toContain(`LOCATION 's3://${goldBucket}/sales/daily_amounts__staging/'`);
    expect(templateText(icebergTables(domainTemplate('marketing')).get('order_mix')!.Properties['createStatement']!)).toContain(
      `LOCATION 's3://${goldBucket}/marketing/order_mix/'`,
    );
  });

  it('retains every gold table when the resource or its stack is deleted', () => {
    for (const table of icebergTables(domainTemplate('sales')).values()) {
      expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
    }
  });

  it("uses the domain's own Athena DDL provider, in the same stack", () => {
    const template = domainTemplate('sales');
    const providers = Object.keys(resources(template, 'AWS::Lambda::Function')).filter((id) => id.startsWith('TableOwnerProviderframeworkonEvent'));
    expect(providers).toHaveLength(1);
    for (const table of icebergTables(template).values()) {
      expect(table.Properties['ServiceToken']).toEqual({ 'Fn::GetAtt': [providers[0], 'Arn'] });
    }
  });

  it('makes the build state machine wait for every gold table of its domain', () => {
    const template = domainTemplate('sales');
    const [machine] = Object.values(resources(template, 'AWS::StepFunctions::StateMachine')).filter((resource) =>
      templateText(resource.Properties['StateMachineName']!).endsWith('-build'),
    );
    const tableIds = [...icebergTables(template).values()].map((table) => table.logicalId);
    expect(tableIds).toHaveLength(4);
    expect(machine!.DependsOn).toEqual(expect.arrayContaining(tableIds));
  });

  it("lets the provider write Iceberg metadata under the domain's gold prefix, and nowhere else in the gold zone", () => {
    const statements = Object.values(resources(domainTemplate('sales'), 'AWS::IAM::Policy'))
      .filter((policy) => templateText(policy.Properties['PolicyName']!).startsWith('TableOwnerRole'))
      .flatMap((policy) => (policy.Properties['PolicyDocument'] as { Statement: { Sid?: string; Resource: Json }[] }).Statement);
    const resourcesOf = (sid: string) => [statements.find((statement) => statement.Sid === sid)!.Resource].flat().map(templateText);
    const goldObjects = resourcesOf('WriteResultsAndTableMetadata').filter((arn) => arn.includes(goldBucket));
    expect(goldObjects).toEqual([`arn:<ref:AWS::Partition>:s3:::${goldBucket}/sales/*`]);
    expect(resourcesOf('FindBuckets')).toContain(`arn:<ref:AWS::Partition>:s3:::${goldBucket}`);
  });
});

describe('a domain without table models', () => {
  it('owns no gold table and gets no grant on the gold zone', () => {
    const template = Template.fromStack(buildApp().stage('dev').domains.get('sales')!.domain);
    expect(icebergTables(template).size).toBe(0);
    expect(JSON.stringify(template.toJSON())).not.toContain('GoldBucketName');
  });
});

describe('a model whose inferred column has no Iceberg type', () => {
  it('fails the app naming the model file, the model and the column', async () => {
    const bad = catalogWith({ 'sales/totals': modelFile('materialized: table', "SELECT status, sum(CAST(1 AS BIGINT)) AS lines FROM {{ ref('orders') }} GROUP BY status") });
    const dag = compileTransforms(bad);
    const columns = await inferModelColumns(dag);
    const build = () => buildLakehouseApp(new App(), bad, settings(), { dag, columns });
    expect(build).toThrow(ContractError);
    expect(build).toThrow(/transforms\/totals\.sql:\d+:\d+: model 'sales\/totals': column 'lines' has DuckDB type HUGEINT/);
  });
});

describe('cdk-nag with gold tables', () => {
  it('finds nothing unacknowledged in an App whose domains build models', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-gold-nag-'));
    const app = new App({ outdir, postCliContext: { '@aws-cdk/core:failSynthOnValidationErrors': true } });
    buildLakehouseApp(app, catalog, settings(), models);
    enableNagChecks(app);
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)),
    );
    expect(findings).toEqual([]);
  }, 180_000);
});

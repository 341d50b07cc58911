/**
 * The build role's grants grow with every model and input (issue 9 item 11): a domain of 40
 * models stays within IAM's quotas (inline policies 10,240 bytes per role, managed policies 6,144
 * bytes each, 10 per role), and a domain that cannot fails synth with the fix.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachGrowingStatements, checkInlinePolicy, IAM_POLICY_LIMITS } from '../../lib/constructs/policy-size.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import { settings } from '../stacks/fixtures.ts';
import { catalogWith, modelFile } from '../transforms/helpers.ts';

const MODELS = 40;

/** IAM counts a policy's bytes without whitespace; the synthesized JSON has none and its intrinsics are longer than their values. */
function bytes(document: unknown): number {
  return JSON.stringify(document).length;
}

let template: Template;

beforeAll(async () => {
  // Each model reads a silver table and the model before it, as real domains chain them.
  const models = Object.fromEntries(
    Array.from({ length: MODELS }, (_, index) => [
      `sales/revenue_by_day_${index}`,
      modelFile(
        'materialized: table',
        index === 0
          ? "SELECT order_date, sum(amount) AS revenue FROM {{ ref('orders') }} GROUP BY order_date"
          : `SELECT order_date, revenue * 2 AS revenue FROM {{ ref('revenue_by_day_${index - 1}') }}`,
      ),
    ]),
  );
  const contracts = catalogWith(models);
  const dag = compileTransforms(contracts);
  const [stage] = buildLakehouseApp(new App(), contracts, settings(), { dag, columns: await inferModelColumns(dag) });
  template = Template.fromStack(stage!.domains.get('sales')!.domain);
}, 180_000);

describe(`the build role of a domain with ${MODELS} models`, () => {
  it("keeps its inline policy under IAM's 10,240 bytes per role", () => {
    const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('BuildRole'));
    expect(role).toBeDefined();
    const inline = (role![1]['Properties'] as { Policies?: { PolicyDocument: unknown }[] }).Policies ?? [];
    const total = inline.reduce((sum, policy) => sum + bytes(policy.PolicyDocument), 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(IAM_POLICY_LIMITS.inlineBytesPerRole);
  });

  it('holds the per-model grants in at most 10 managed policies of at most 6,144 bytes, attached to the build role, naming every model table', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.startsWith('BuildGrants'));
    expect(policies.length).toBeGreaterThan(1);
    expect(policies.length).toBeLessThanOrEqual(IAM_POLICY_LIMITS.managedPoliciesPerRole);
    const documents = policies.map(([, policy]) => (policy['Properties'] as { PolicyDocument: unknown; Roles: unknown[] }));
    for (const document of documents) {
      expect(bytes(document.PolicyDocument)).toBeLessThanOrEqual(IAM_POLICY_LIMITS.managedPolicyBytes);
      expect(JSON.stringify(document.Roles)).toMatch(/BuildRole/);
    }
    const granted = JSON.stringify(documents.map((document) => document.PolicyDocument));
    for (let index = 0; index < MODELS; index += 1) {
      expect(granted).toContain(`table/acme_dev_sales/revenue_by_day_${index}"`);
      expect(granted).toContain(`table/acme_dev_sales/revenue_by_day_${index}__staging"`);
    }
  });
});

describe('the synth-time guard', () => {
  const stack = new Stack(new App(), 'Guarded', { env: { account: '111111111111', region: 'eu-west-1' } });
  const statement = (index: number): iam.PolicyStatement =>
    new iam.PolicyStatement({
      sid: `Grant${index}`,
      actions: ['glue:GetTable'],
      resources: Array.from({ length: 40 }, (_, table) => `arn:aws:glue:eu-west-1:111111111111:table/acme_dev_sales/a_rather_long_model_name_${index}_${table}`),
    });

  it('refuses a domain whose grants need more managed policies than IAM attaches to a role, naming the fix', () => {
    const role = new iam.Role(stack, 'TooMany', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    expect(() =>
      attachGrowingStatements(stack, {
        role,
        what: "build of domain 'sales'",
        statements: Array.from({ length: 40 }, (_, index) => statement(index)),
        description: 'grants',
        fix: 'move some of its models to another domain',
      }),
    ).toThrow(/build of domain 'sales': its grants need \d+ managed policies of up to 6144 bytes, over the 10 .* move some of its models/);
  });

  it('refuses an inline policy over 10,240 bytes, naming the fix', () => {
    expect(() => checkInlinePolicy(stack, "pipeline of 'sales/orders'", [statement(1), statement(2), statement(3)], 'shorten its names')).toThrow(
      /pipeline of 'sales\/orders': its inline policy would take up to \d+ bytes, over IAM's 10240 per role.*shorten its names/,
    );
  });
});

/**
 * The shipped app (every environment of `cdk.json`, every domain of `contracts/`, builds included)
 * as CloudFormation creates, updates and rolls it back, measured over every resource of every
 * stack: what a failed first create leaves behind (issue 9 item 4), and whether the owner of the
 * Iceberg tables may ask if the stack holding a table is rolling back (item 3).
 */
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { domainFunctionName } from '../../lib/config/names.ts';
import type { LakehouseSettings } from '../../lib/config/settings.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { shippedApp } from './shipped-app.ts';

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

let settings: LakehouseSettings;
let stages: readonly LakehouseStage[];

beforeAll(async () => {
  ({ settings, stages } = await shippedApp());
}, 180_000);

function resourcesOf(artifact: CloudFormationStackArtifact): [string, TemplateResource][] {
  return Object.entries((artifact.template as { Resources: Record<string, TemplateResource> }).Resources);
}

/** Every stack of every environment with its resources. */
function everyStack(): { stage: LakehouseStage; artifact: CloudFormationStackArtifact; resources: [string, TemplateResource][] }[] {
  return stages.flatMap((stage) => stage.synth().stacks.map((artifact) => ({ stage, artifact, resources: resourcesOf(artifact) })));
}

/** An ARN as the template builds it, with the partition filled in and the own stack's id named. */
function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const reference = (value as { Ref?: string }).Ref;
  if (reference === 'AWS::Partition') return 'aws';
  if (reference !== undefined) return reference;
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map(arnText).join(separator);
}

describe('retained resources on a failed first create (RetainExceptOnCreate)', () => {
  it('no resource of any stack keeps a plain Retain, which would survive a rolled-back create and block the retry', () => {
    const plainRetain = everyStack().flatMap(({ artifact, resources }) =>
      resources
        .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
        .map(([logicalId, resource]) => `${artifact.hierarchicalId}/${logicalId} (${resource.Type})`),
    );
    expect(plainRetain).toEqual([]);
  });

  it('every retained environment still keeps its data stores on update and delete', () => {
    const retainedEnvironments = settings.environments.filter((environment) => environment.removalPolicy === 'retain').map(({ name }) => name);
    expect(retainedEnvironments.length).toBeGreaterThan(0);
    const kept = everyStack()
      .filter(({ stage }) => retainedEnvironments.includes(stage.stageName))
      .flatMap(({ resources }) => resources.filter(([, resource]) => resource.DeletionPolicy === 'RetainExceptOnCreate'));
    expect(kept.filter(([, resource]) => resource.UpdateReplacePolicy !== 'Retain')).toEqual([]);
    expect([...new Set(kept.map(([, resource]) => resource.Type))]).toEqual(
      expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Glue::Database', 'AWS::Glue::Table', 'Custom::IcebergTable']),
    );
  });
});

describe('the table owner during a rollback', () => {
  it("may read the status of exactly the stacks holding its domain's Iceberg tables, and of no other", () => {
    for (const stage of stages) {
      const environment = settings.environments.find(({ name }) => name === stage.stageName)!;
      const identity = { organization: settings.organization, environment: stage.stageName, account: environment.account, region: environment.region };
      for (const [domain, stacks] of stage.domains) {
        const domainArtifact = stage.synth().getStackArtifact(stacks.domain.artifactId);
        const holdsTables = (artifact: CloudFormationStackArtifact): boolean => resourcesOf(artifact).some(([, resource]) => resource.Type === 'Custom::IcebergTable');
        const expected = [stacks.domain, ...stacks.datasets.values()]
          .map((stack) => stage.synth().getStackArtifact(stack.artifactId))
          .filter(holdsTables)
          .map((artifact) =>
            artifact === domainArtifact ? 'AWS::StackId' : `arn:aws:cloudformation:${environment.region}:${environment.account}:stack/${artifact.stackName}/*`,
          );
        expect(expected.length).toBeGreaterThan(0);

        const resources = resourcesOf(domainArtifact);
        const functionName = domainFunctionName(identity, domain, 'athena-ddl');
        const [, handler] = resources.find(([, resource]) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.['FunctionName'] === functionName)!;
        const roleId = (handler.Properties!['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const grants = resources
          .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
          .flatMap(([, policy]) => {
            const properties = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
            return properties.PolicyDocument.Statement.filter((statement) => [statement.Action].flat().includes('cloudformation:DescribeStacks')).map((statement) => ({
              roles: properties.Roles.map((role) => role.Ref),
              resources: [statement.Resource].flat().map(arnText),
            }));
          });
        expect(grants).toEqual([{ roles: [roleId], resources: expect.arrayContaining(expected) }]);
        expect(grants[0]!.resources).toHaveLength(expected.length);
      }
    }
  });
});

import type { Stack } from 'aws-cdk-lib';
import type { LakehouseStage } from '../stacks/lakehouse-stage.ts';

/** What one synthesized stack would deploy: resource counts by CloudFormation type. */
export interface StackSummary {
  readonly stackName: string;
  readonly resources: number;
  readonly byType: ReadonlyMap<string, number>;
}

export interface EnvironmentSummary {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly platform: StackSummary;
  /** The platform overview dashboard's stack; absent when `-c domains=...` selects domains. */
  readonly platformMonitoring?: StackSummary;
  /** Domain name -> its domain stack, dataset stacks and monitoring stack, with the datasets they hold. */
  readonly domains: ReadonlyMap<string, { readonly stacks: readonly StackSummary[]; readonly datasets: readonly string[] }>;
}

function summarizeStack(stage: LakehouseStage, stack: Stack, assembly: ReturnType<LakehouseStage['synth']>): StackSummary {
  const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, { Type: string }> };
  const byType = new Map<string, number>();
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type === 'AWS::CDK::Metadata') continue;
    byType.set(resource.Type, (byType.get(resource.Type) ?? 0) + 1);
  }
  const resources = [...byType.values()].reduce((sum, count) => sum + count, 0);
  return { stackName: `${stage.stageName}/${stack.stackName}`, resources, byType };
}

/** Reads what each environment would deploy from its synthesized templates (after `app.synth()`). */
export function summarizeDeployment(stages: readonly LakehouseStage[]): EnvironmentSummary[] {
  return stages.map((stage) => {
    const assembly = stage.synth();
    return {
      environment: stage.stageName,
      account: stage.account ?? 'unknown',
      region: stage.region ?? 'unknown',
      platform: summarizeStack(stage, stage.platform, assembly),
      ...(stage.platformMonitoring === undefined ? {} : { platformMonitoring: summarizeStack(stage, stage.platformMonitoring, assembly) }),
      domains: new Map(
        [...stage.domains.entries()].map(([name, stacks]) => [
          name,
          {
            stacks: [stacks.domain, ...stacks.datasets.values(), stacks.monitoring].map((stack) => summarizeStack(stage, stack, assembly)),
            datasets: [...stacks.datasets.values()].flatMap((stack) => [...stack.tables.keys()]).sort(),
          },
        ]),
      ),
    };
  });
}

/** Short readable type names: `AWS::S3::Bucket` -> `S3 Bucket`. */
function typeLabel(type: string): string {
  return type.replace(/^AWS::/, '').replace('::', ' ');
}

export function renderDeploymentSummary(summaries: readonly EnvironmentSummary[]): string {
  const describe = (summary: StackSummary) =>
    `${summary.stackName} (${summary.resources} resources: ${[...summary.byType.entries()]
      .map(([type, count]) => `${count} ${typeLabel(type)}`)
      .join(', ')})`;
  return summaries
    .map((environment) =>
      [
        `${environment.environment}  account ${environment.account}, region ${environment.region}`,
        `  platform  ${describe(environment.platform)}`,
        ...[...environment.domains.entries()].flatMap(([domain, { stacks, datasets }]) => [
          `  ${domain}  datasets: ${datasets.join(', ')}`,
          ...stacks.map((stack) => `    ${describe(stack)}`),
        ]),
        ...(environment.platformMonitoring === undefined ? [] : [`  overview  ${describe(environment.platformMonitoring)}`]),
      ].join('\n'),
    )
    .join('\n\n');
}

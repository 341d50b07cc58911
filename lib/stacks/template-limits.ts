/**
 * CloudFormation's per-template quotas, checked on the templates as `app.synth()` wrote them: the
 * CDK only warns about a template's size, and a stack over it would fail at deployment, after the
 * stacks before it were already changed. Measured after synthesis because nothing before it knows
 * a template's bytes (a dataset's cost depends on its columns, rules and the states of its pipeline).
 */
import { statSync } from 'node:fs';
import { SettingsError } from '../config/settings.ts';
import type { LakehouseStage } from './lakehouse-stage.ts';

/**
 * "Template body size in an Amazon S3 object": 1 MB, CloudFormation's quotas page
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 * The page does not say which megabyte; the CDK's own warning (TEMPLATE_BODY_MAXIMUM_SIZE) and
 * cfn-lint count 1,000,000 bytes, the stricter reading, so this does too. The CDK deploys a
 * template as the file `app.synth()` wrote, so the file's bytes are what counts.
 */
export const TEMPLATE_BODY_LIMIT_BYTES = 1_000_000;

/** "Resources": at most 500 per template, on the same page. */
export const TEMPLATE_RESOURCE_LIMIT = 500;

/** One synthesized template, as CloudFormation will receive it. */
export interface SynthesizedTemplate {
  /** The stack's path, as `cdk deploy` selects it: `dev/SalesDatasets4`. */
  readonly stack: string;
  readonly bytes: number;
  readonly resources: number;
  /** A domain's dataset stack, which `datasetStacksPerDomain` makes smaller. */
  readonly holdsDatasets: boolean;
}

/** Each stack's template of each stage, read from the cloud assembly `app.synth()` wrote. */
export function synthesizedTemplates(stages: readonly LakehouseStage[]): SynthesizedTemplate[] {
  return stages.flatMap((stage) => {
    const datasetStacks = new Set([...stage.domains.values()].flatMap((stacks) => [...stacks.datasets.values()].map((stack) => stack.artifactId)));
    // Already synthesized by `app.synth()`: the stage returns the assembly it wrote.
    return stage.synth().stacks.map((artifact) => ({
      stack: artifact.hierarchicalId,
      bytes: statSync(artifact.templateFullPath).size,
      resources: Object.keys((artifact.template as { Resources?: object }).Resources ?? {}).length,
      holdsDatasets: datasetStacks.has(artifact.id),
    }));
  });
}

/** What to do about a stack over a limit: only dataset stacks are split by a setting. */
function remedy(template: SynthesizedTemplate, datasetStacksPerDomain: number): string {
  return template.holdsDatasets
    ? `raise datasetStacksPerDomain in cdk.json (now ${datasetStacksPerDomain}), before the first deployment if you can, since it moves datasets between stacks`
    : "move some of its domain's datasets or models to another domain";
}

/** One line per template over a quota, naming the stack, its measure, the limit and what to change. Pure. */
export function templateLimitProblems(templates: readonly SynthesizedTemplate[], datasetStacksPerDomain: number): string[] {
  const count = (value: number) => value.toLocaleString('en-US');
  return templates.flatMap((template) => [
    ...(template.bytes > TEMPLATE_BODY_LIMIT_BYTES
      ? [
          `stack ${template.stack}: its template is ${count(template.bytes)} bytes, over CloudFormation's limit of ` +
            `${count(TEMPLATE_BODY_LIMIT_BYTES)} bytes per template: ${remedy(template, datasetStacksPerDomain)}`,
        ]
      : []),
    ...(template.resources > TEMPLATE_RESOURCE_LIMIT
      ? [
          `stack ${template.stack}: its template has ${count(template.resources)} resources, over CloudFormation's limit of ` +
            `${TEMPLATE_RESOURCE_LIMIT} per template: ${remedy(template, datasetStacksPerDomain)}`,
        ]
      : []),
  ]);
}

/**
 * Fails the synth, after `app.synth()`, when a template would not deploy: a `SettingsError`, so
 * `cdk synth` prints every problem and exits 1 without a stack trace.
 */
export function checkTemplateLimits(lakehouse: { readonly stages: readonly LakehouseStage[]; readonly settings: { readonly datasetStacksPerDomain: number } }): void {
  const problems = templateLimitProblems(synthesizedTemplates(lakehouse.stages), lakehouse.settings.datasetStacksPerDomain);
  if (problems.length > 0) throw new SettingsError(problems);
}

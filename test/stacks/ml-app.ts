/**
 * The app the ML stack tests synthesize: made by createLakehouseApp, as bin/app.ts makes it, from a
 * copy of the contracts holding the churn spec (none is shipped), and synthesized once with
 * cdk-nag on, which fails on any unacknowledged finding as cdk synth does.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { createLakehouseApp, type LakehouseApp } from '../../lib/stacks/create-lakehouse-app.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { CHURN_SPEC, mlProject } from '../ml/ml-project.ts';

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly violations: readonly { readonly ruleName: string; readonly violatingConstructs: readonly { readonly constructPath: string }[] }[];
  }[];
}

export interface MlApp {
  /** The app as createLakehouseApp made it, already synthesized (`offlineEnvironmentOf` runs it offline). */
  readonly lakehouse: LakehouseApp;
  /** The app's one stage. */
  readonly stage: LakehouseStage;
  /** The marketing stack's template, where the churn model lives. */
  readonly template: Template;
  /** The synthesized state machine of that name. */
  readonly machine: SynthesizedStateMachine;
  /** What cdk-nag reported, `<rule> at <construct path>`. */
  nagFindings(): string[];
}

/** Synthesizes the app with `context` (one environment) and picks the state machine `machineName`. */
export async function synthesizeMlApp(context: Record<string, unknown>, machineName: string): Promise<MlApp> {
  const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-ml-app-'));
  const lakehouse = await createLakehouseApp(join(mlProject({ 'churn.yaml': CHURN_SPEC }), 'contracts'), { outdir, context });
  const [stage] = lakehouse.stages as [LakehouseStage];
  lakehouse.app.synth();
  const marketing = stage.domains.get('marketing')!.domain;
  const template = Template.fromJSON(stage.synth().getStackArtifact(marketing.artifactId).template as Record<string, unknown>);
  const machine = stageStateMachines(stage).find((candidate) => candidate.name === machineName);
  if (machine === undefined) throw new Error(`no state machine ${machineName}`);
  return {
    lakehouse,
    stage,
    template,
    machine,
    nagFindings() {
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
      return report.pluginReports.flatMap((plugin) =>
        plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)),
      );
    },
  };
}

/** The state `name` of `machine`'s definition as written, which fails loudly when there is none. */
export function definitionState(machine: SynthesizedStateMachine, name: string): Record<string, unknown> {
  const state = (machine.definition.States as unknown as Record<string, Record<string, unknown>>)[name];
  if (state === undefined) throw new Error(`no state ${name}`);
  return state;
}

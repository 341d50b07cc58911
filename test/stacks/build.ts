/** Builds the lakehouse App for a test and finds its stacks. */
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { LakehouseSettings } from '../../lib/config/settings.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { catalog, marketingDomain, salesDomain, settings } from './fixtures.ts';

export interface BuiltApp {
  readonly app: App;
  readonly stages: readonly LakehouseStage[];
  stage(name: string): LakehouseStage;
}

export function buildApp(
  appCatalog: Catalog = catalog(salesDomain, marketingDomain),
  appSettings: LakehouseSettings = settings(),
  props: AppProps = {},
): BuiltApp {
  const app = new App(props);
  const stages = buildLakehouseApp(app, appCatalog, appSettings);
  return {
    app,
    stages,
    stage(name) {
      const found = stages.find((stage) => stage.stageName === name);
      if (found === undefined) throw new Error(`no stage '${name}'`);
      return found;
    },
  };
}

/** The template of a domain's dataset stack holding `dataset`. */
export function datasetTemplate(stage: LakehouseStage, domain: string, dataset: string): Template {
  const stacks = stage.domains.get(domain)?.datasets;
  const stack = [...(stacks?.values() ?? [])].find((candidate) => candidate.tables.has(dataset));
  if (stack === undefined) throw new Error(`no dataset stack holds ${domain}/${dataset}`);
  return Template.fromStack(stack);
}

/** Resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, unknown>; DeletionPolicy?: string }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown>; DeletionPolicy?: string }>;
}

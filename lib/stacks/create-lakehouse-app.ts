import { App, type AppProps } from 'aws-cdk-lib';
import { type LakehouseSettings, readSettings } from '../config/settings.ts';
import { loadCatalog } from '../contracts/load.ts';
import type { Catalog } from '../contracts/model.ts';
import { enableNagChecks } from '../nag/nag-checks.ts';
import { buildLakehouseApp } from './lakehouse-app.ts';
import type { LakehouseStage } from './lakehouse-stage.ts';

export interface LakehouseApp {
  readonly app: App;
  readonly settings: LakehouseSettings;
  readonly catalog: Catalog;
  readonly stages: readonly LakehouseStage[];
}

/**
 * The one way the app is assembled, whether the CDK CLI runs it (`bin/app.ts`), the demo prints
 * it, or the offline runtime reads its state machines: same settings, same contracts, same nag
 * checks. Throws `SettingsError` or `ContractError` with every problem listed.
 */
export function createLakehouseApp(contractsRoot: string, appProps: AppProps = {}): LakehouseApp {
  const app = new App({
    ...appProps,
    postCliContext: { ...appProps.postCliContext, '@aws-cdk/core:failSynthOnValidationErrors': true },
  });
  const settings = readSettings(app.node.getAllContext(), process.env);
  const catalog = loadCatalog(contractsRoot, settings.domains === undefined ? {} : { domains: settings.domains });
  const stages = buildLakehouseApp(app, catalog, settings);
  enableNagChecks(app);
  return { app, settings, catalog, stages };
}

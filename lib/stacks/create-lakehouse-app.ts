import { App, type AppProps } from 'aws-cdk-lib';
import { type LakehouseSettings, readSettings } from '../config/settings.ts';
import { loadCatalog } from '../contracts/load.ts';
import type { Catalog } from '../contracts/model.ts';
import { loadMlModels } from '../ml/load.ts';
import type { MlModel } from '../ml/model.ts';
import { enableNagChecks } from '../nag/nag-checks.ts';
import { compileTransforms } from '../transforms/compile.ts';
import { inferModelColumns } from '../transforms/infer-columns.ts';
import type { ModelsAtSynth } from '../transforms/models-at-synth.ts';
import { buildLakehouseApp } from './lakehouse-app.ts';
import type { LakehouseStage } from './lakehouse-stage.ts';

export interface LakehouseApp {
  readonly app: App;
  readonly settings: LakehouseSettings;
  /** The domains `-c domains=...` selects (every domain without it): those the app deploys. */
  readonly catalog: Catalog;
  /** Every domain, even with `-c domains=...`: the app compiles models over these. */
  readonly modelCatalog: Catalog;
  readonly stages: readonly LakehouseStage[];
}

interface LoadedApp {
  readonly app: App;
  readonly settings: LakehouseSettings;
  readonly catalog: Catalog;
  /** Every domain, even with `-c domains=...`: a selected domain's models may read the others'. */
  readonly modelCatalog: Catalog;
}

function loadApp(contractsRoot: string, appProps: AppProps): LoadedApp {
  const app = new App({
    ...appProps,
    postCliContext: { ...appProps.postCliContext, '@aws-cdk/core:failSynthOnValidationErrors': true },
  });
  const settings = readSettings(app.node.getAllContext(), process.env);
  const catalog = loadCatalog(contractsRoot, settings.domains === undefined ? {} : { domains: settings.domains });
  return { app, settings, catalog, modelCatalog: settings.domains === undefined ? catalog : loadCatalog(contractsRoot) };
}

function assemble(loaded: LoadedApp, models: ModelsAtSynth, mlModels: readonly MlModel[]): LakehouseApp {
  const stages = buildLakehouseApp(loaded.app, loaded.catalog, loaded.settings, models, mlModels);
  enableNagChecks(loaded.app);
  return { app: loaded.app, settings: loaded.settings, catalog: loaded.catalog, modelCatalog: loaded.modelCatalog, stages };
}

/**
 * The one way the app is assembled, whether the CDK CLI runs it (`bin/app.ts`), the demo prints
 * it, the offline runtime reads its state machines or a test synthesizes it: same settings, same
 * contracts, same nag checks, and each domain's build, its gold tables and their columns, and the
 * training of each ML model spec (`contracts/<domain>/ml/*.yaml`; none costs nothing). Every
 * domain's models are compiled into one DAG (a bad ref or a cycle fails here) and their columns
 * inferred on DuckDB before any construct is built. Throws `SettingsError` or `ContractError`
 * with every problem listed.
 */
export async function createLakehouseApp(contractsRoot: string, appProps: AppProps = {}): Promise<LakehouseApp> {
  const loaded = loadApp(contractsRoot, appProps);
  const dag = compileTransforms(loaded.modelCatalog);
  const columns = await inferModelColumns(dag);
  const mlModels = await loadMlModels(loaded.modelCatalog, () => loaded.settings);
  return assemble(loaded, { dag, columns }, mlModels);
}

import type { App } from 'aws-cdk-lib';
import type { LakehouseSettings } from '../config/settings.ts';
import type { Catalog } from '../contracts/model.ts';
import type { MlModel } from '../ml/model.ts';
import type { ModelsAtSynth } from '../transforms/models-at-synth.ts';
import { LakehouseStage } from './lakehouse-stage.ts';

/**
 * One Stage per environment of `cdk.json`, each with the platform and every domain of the catalog;
 * with `models`, each domain with models also gets its build, and with `mlModels` too, each ML
 * model its training.
 */
export function buildLakehouseApp(
  app: App,
  catalog: Catalog,
  settings: LakehouseSettings,
  models?: ModelsAtSynth,
  mlModels?: readonly MlModel[],
): LakehouseStage[] {
  return settings.environments.map(
    (environment) =>
      new LakehouseStage(app, {
        settings,
        environment,
        catalog,
        ...(models === undefined ? {} : { models }),
        ...(mlModels === undefined ? {} : { mlModels }),
      }),
  );
}

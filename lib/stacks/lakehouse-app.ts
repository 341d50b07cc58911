import type { App } from 'aws-cdk-lib';
import type { LakehouseSettings } from '../config/settings.ts';
import type { Catalog } from '../contracts/model.ts';
import { LakehouseStage } from './lakehouse-stage.ts';

/** One Stage per environment of `cdk.json`, each with the platform and every domain of the catalog. */
export function buildLakehouseApp(app: App, catalog: Catalog, settings: LakehouseSettings): LakehouseStage[] {
  return settings.environments.map((environment) => new LakehouseStage(app, { settings, environment, catalog }));
}

/** The app the CDK CLI builds from the shipped `contracts/` and `cdk.json`, models and builds included, without a child process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { type LakehouseSettings, readSettings } from '../../lib/config/settings.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface ShippedApp {
  readonly settings: LakehouseSettings;
  readonly catalog: Catalog;
  /** One per environment, each domain with its build. */
  readonly stages: readonly LakehouseStage[];
}

export async function shippedApp(): Promise<ShippedApp> {
  const context = (JSON.parse(readFileSync(join(repo, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const settings = readSettings(context);
  const catalog = loadCatalog(join(repo, 'contracts'));
  const dag = compileTransforms(catalog);
  return { settings, catalog, stages: buildLakehouseApp(new App(), catalog, settings, { dag, columns: await inferModelColumns(dag) }) };
}

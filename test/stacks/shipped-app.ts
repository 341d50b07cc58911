/**
 * The app the CDK CLI builds from the shipped `contracts/` and `cdk.json`, without a child
 * process: through `createLakehouseApp`, as `bin/app.ts` builds it, so models, builds and the ML
 * models' training and promotion are all there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LakehouseSettings } from '../../lib/config/settings.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { createLakehouseApp } from '../../lib/stacks/create-lakehouse-app.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface ShippedApp {
  readonly settings: LakehouseSettings;
  readonly catalog: Catalog;
  /** One per environment, each domain with its build and its ML models. */
  readonly stages: readonly LakehouseStage[];
}

export async function shippedApp(): Promise<ShippedApp> {
  const context = (JSON.parse(readFileSync(join(repo, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const { settings, catalog, stages } = await createLakehouseApp(join(repo, 'contracts'), { context });
  return { settings, catalog, stages };
}

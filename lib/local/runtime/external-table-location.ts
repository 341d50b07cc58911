/**
 * Where a synthesized external table (`AWS::Glue::Table`) finds its files when it is partitioned by
 * injected projection: its `storage.location.template`, read from the app, so an offline reader of
 * the table (the promotion's INSERT reads the transform output through one) looks where Athena would.
 */
import type { FeatureTable } from '../../ml/training-queries.ts';
import type { JsonObject } from '../stepfunctions/json.ts';
import type { SynthesizedEnvironment } from './synthesized-environment.ts';

const GLUE_TABLE_TYPE = 'AWS::Glue::Table';

/** The table's location template (`s3://.../${run_id}/output/`); an error when the app declares none. */
export async function externalTableLocation(environment: SynthesizedEnvironment, table: FeatureTable): Promise<string> {
  for (const resource of await environment.resources(GLUE_TABLE_TYPE)) {
    const input = resource.property('TableInput') as JsonObject | undefined;
    if (resource.property('DatabaseName') !== table.database || input?.['Name'] !== table.table) continue;
    const template = (input['Parameters'] as JsonObject | undefined)?.['storage.location.template'];
    if (typeof template === 'string') return template;
  }
  throw new Error(`the synthesized ${environment.identity.environment} environment declares no external table ${table.database}.${table.table} with a location template`);
}

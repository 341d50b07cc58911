import type { LakeColumn } from '../pipeline/lake-write.ts';
import type { TransformDag } from './model.ts';

/**
 * Every domain's models as the app needs them at synth: the DAG (`compileTransforms`) and each
 * model's columns (`inferModelColumns`, async, so computed before any construct is built).
 * Environment-independent: each environment places the tables in its own databases.
 */
export interface ModelsAtSynth {
  readonly dag: TransformDag;
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
}

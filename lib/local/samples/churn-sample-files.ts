/**
 * The churn example's sample deliveries for an ML model: rows for every dataset its feature model
 * reads (`churnSamples`), written as delivery files under `folder` (`writeSampleFiles`).
 */
import { join } from 'node:path';
import type { Catalog } from '../../contracts/model.ts';
import type { MlModel } from '../../ml/model.ts';
import { churnSamples } from '../../ml/samples/churn-samples.ts';
import { compileTransforms } from '../../transforms/compile.ts';
import { type SampleDelivery, writeSampleFiles } from './write-sample-files.ts';

/** The shipped example's ML model, whose samples `npm run samples:churn` and the demo write. */
export const CHURN_EXAMPLE_MODEL = 'marketing/churn';

/** Where in a workspace the generated deliveries go (never a contracts folder's hand-written samples). */
export function churnSamplesFolder(workspace: string): string {
  return join(workspace, 'samples', 'churn');
}

export interface ChurnSampleFilesOptions {
  /** The contracts the files must satisfy, with the transforms the model's feature model is among. */
  readonly catalog: Catalog;
  readonly model: Pick<MlModel, 'id' | 'featureModel' | 'key'>;
  readonly seed: number;
  readonly customers: number;
  readonly deliveredAt: Date;
  readonly folder: string;
}

export function writeChurnSampleFiles(options: ChurnSampleFilesOptions): SampleDelivery[] {
  const featureModel = compileTransforms(options.catalog).models.find((model) => model.id === options.model.featureModel);
  if (featureModel === undefined) throw new Error(`${options.model.id}: its feature model '${options.model.featureModel}' is not among the transforms`);
  const samples = churnSamples({ featureModel, key: options.model.key, seed: options.seed, customers: options.customers, deliveredAt: options.deliveredAt });
  return writeSampleFiles(samples, options.folder, `churn-seed-${options.seed}`);
}

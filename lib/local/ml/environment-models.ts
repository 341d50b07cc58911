/**
 * The ML models of an environment's contracts, loaded and checked as its training and promotion
 * services load them: names depend only on the organization and this environment.
 */
import { loadMlModels } from '../../ml/load.ts';
import type { MlModel } from '../../ml/model.ts';
import type { SynthesizedEnvironment } from '../runtime/synthesized-environment.ts';

export async function environmentMlModels({ identity, modelCatalog }: Pick<SynthesizedEnvironment, 'identity' | 'modelCatalog'>): Promise<readonly MlModel[]> {
  return loadMlModels(modelCatalog, () => ({ organization: identity.organization, environments: [{ name: identity.environment }] }));
}

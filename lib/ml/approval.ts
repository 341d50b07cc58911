import type { EnvironmentSettings, ModelApproval } from '../config/settings.ts';
import type { MlModel } from './model.ts';

/**
 * The approval a new version of `model` gets in `environment`: the stricter of the two, so a spec
 * can demand manual approval everywhere but never skip an environment's review. A spec saying
 * `auto` where the environment says `manual` is not an error: the environment's rule holds.
 */
export function approvalIn(model: Pick<MlModel, 'approval'>, environment: Pick<EnvironmentSettings, 'modelApproval'>): ModelApproval {
  return model.approval === 'manual' || environment.modelApproval === 'manual' ? 'manual' : 'auto';
}

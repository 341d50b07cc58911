import type { EnvironmentSettings, ModelApproval } from '../config/settings.ts';
import { approvalIn } from '../ml/approval.ts';
import type { MlModel } from '../ml/model.ts';

/** One row of `contracts list --ml --json`. */
export interface MlModelListing {
  /** `<domain>/<model>`. */
  readonly model: string;
  readonly domain: string;
  readonly featureModel: string;
  readonly key: readonly string[];
  readonly label: string;
  readonly algorithm: string;
  readonly objective: string;
  /** As written in the spec's words: `validation:auc >= 0.8`. */
  readonly thresholds: readonly string[];
  /** The approval a new version gets, per environment of `cdk.json`. */
  readonly approval: Readonly<Record<string, ModelApproval>>;
  /** `after-feature-build` or the schedule expression. */
  readonly trigger: string;
  readonly file: string;
}

export function mlModelListing(model: MlModel, environments: readonly EnvironmentSettings[]): MlModelListing {
  return {
    model: model.id,
    domain: model.domain,
    featureModel: model.featureModel,
    key: model.key,
    label: model.label,
    algorithm: model.algorithm.name,
    objective: model.algorithm.objective,
    thresholds: model.thresholds.map((threshold) => `${threshold.metric} ${threshold.operator} ${threshold.value}`),
    approval: Object.fromEntries(environments.map((environment) => [environment.name, approvalIn(model, environment)])),
    trigger: model.trigger.kind === 'schedule' ? model.trigger.expression : model.trigger.kind,
    file: model.file,
  };
}

/** The columns of the text listing, one row per model. */
export const ML_MODEL_HEADERS = ['ML MODEL', 'FEATURES', 'LABEL', 'ALGORITHM', 'THRESHOLDS', 'APPROVAL', 'TRIGGER'];

export function mlModelRow(listing: MlModelListing): string[] {
  return [
    listing.model,
    listing.featureModel,
    listing.label,
    `${listing.algorithm} ${listing.objective}`,
    listing.thresholds.join(', '),
    Object.entries(listing.approval).map(([environment, approval]) => `${environment}=${approval}`).join(' '),
    listing.trigger,
  ];
}

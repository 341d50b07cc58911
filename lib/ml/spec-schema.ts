import { strictObject, text, type JsonSchema } from '../contracts/schema-parts.ts';
import { THRESHOLD_OPERATORS } from './model.ts';
import { XGBOOST_HYPERPARAMETERS, XGBOOST_OBJECTIVES } from './xgboost.ts';

/** The value a `trigger` string may take; a schedule is `{schedule: <expression>}`. */
export const AFTER_FEATURE_BUILD = 'after-feature-build';

const columnName: JsonSchema = { type: 'string', minLength: 1, description: 'a column name' };

/**
 * The structure of `contracts/<domain>/ml/<model>.yaml`, this project's own format. What depends
 * on other files (the feature model, its columns, metric names for the objective) is checked
 * after it, in `checkMlSpec`.
 */
export const mlSpecSchema: JsonSchema = strictObject(
  {
    description: text,
    featureModel: {
      type: 'string',
      pattern: '^([a-z][a-z0-9_]*/)?[a-z][a-z0-9_]*$',
      description: "a gold model as '<domain>/<model>' (or '<model>' in the spec's own domain)",
    },
    key: {
      if: { type: 'array' },
      then: { type: 'array', items: columnName, minItems: 1, uniqueItems: true },
      else: columnName,
    },
    label: columnName,
    split: strictObject({
      fraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      seed: { type: 'integer', minimum: 0 },
      cutoff: strictObject(
        {
          column: columnName,
          at: { type: 'string', minLength: 1, description: "an ISO-8601 date or time such as '2026-06-01' or '2026-06-01T00:00:00Z'" },
        },
        ['column', 'at'],
      ),
    }),
    algorithm: strictObject(
      {
        name: { type: 'string', enum: ['xgboost'] },
        objective: { type: 'string', enum: Object.keys(XGBOOST_OBJECTIVES) },
        hyperparameters: strictObject(XGBOOST_HYPERPARAMETERS, ['num_round']),
      },
      ['objective', 'hyperparameters'],
    ),
    thresholds: {
      type: 'array',
      minItems: 1,
      items: {
        if: { type: 'object' },
        then: strictObject(
          { metric: text, operator: { type: 'string', enum: THRESHOLD_OPERATORS }, value: { type: 'number' } },
          ['metric', 'operator', 'value'],
        ),
        else: { type: 'string', description: "a threshold such as 'validation:auc >= 0.8'" },
      },
    },
    approval: { type: 'string', enum: ['auto', 'manual'] },
    trigger: {
      if: { type: 'object' },
      then: strictObject({ schedule: text }, ['schedule']),
      else: { type: 'string', enum: [AFTER_FEATURE_BUILD] },
    },
  },
  ['featureModel', 'key', 'label', 'split', 'algorithm', 'thresholds'],
);

/** The spec as the schema lets it through. */
export interface RawMlSpec {
  readonly description?: string;
  readonly featureModel: string;
  readonly key: string | readonly string[];
  readonly label: string;
  readonly split: {
    readonly fraction?: number;
    readonly seed?: number;
    readonly cutoff?: { readonly column: string; readonly at: string };
  };
  readonly algorithm: {
    readonly name?: 'xgboost';
    readonly objective: string;
    readonly hyperparameters: Readonly<Record<string, number | string | readonly string[]>>;
  };
  readonly thresholds: readonly (string | { readonly metric: string; readonly operator: string; readonly value: number })[];
  readonly approval?: 'auto' | 'manual';
  readonly trigger?: string | { readonly schedule: string };
}

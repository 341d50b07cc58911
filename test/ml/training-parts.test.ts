/** The pure parts of a model's training: names, image, hyperparameters, statements and the Register event. */
import { describe, expect, it } from 'vitest';
import { trainingJobPrefix } from '../../lib/config/names.ts';
import { parseRegisterEvent, RegisterEventError } from '../../lib/ml/register-request.ts';
import { trainingHyperparameters } from '../../lib/ml/training-hyperparameters.ts';
import { unloadStatement } from '../../lib/ml/training-queries.ts';
import { xgboostImageUri } from '../../lib/ml/xgboost-image.ts';

const identity = { organization: 'acme', environment: 'dev' };

describe('trainingJobPrefix', () => {
  it("leaves room for a run id in SageMaker's 63 characters and never starts another model's prefix", () => {
    const long = trainingJobPrefix(identity, 'marketing', 'customer_lifetime_value_estimate');
    expect(`${long}-${'0'.repeat(36)}`.length).toBeLessThanOrEqual(63);
    const churn = trainingJobPrefix(identity, 'marketing', 'churn');
    const churnEu = trainingJobPrefix(identity, 'marketing', 'churn_eu');
    expect(`${churnEu}-`.startsWith(`${churn}-`)).toBe(false);
    expect(churn).toMatch(/^acme-dev-marketin-[0-9a-f]{8}$/);
  });
});

describe('xgboostImageUri', () => {
  it("names the region's registry, and refuses a region it does not know", () => {
    expect(xgboostImageUri('us-east-1')).toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(xgboostImageUri('cn-north-1')).toBe('450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1');
    expect(() => xgboostImageUri('xx-nowhere-1')).toThrow(/not known for region 'xx-nowhere-1'/);
  });
});

describe('trainingHyperparameters', () => {
  it('gives SageMaker strings, the objective, and eval_metric as one comma-separated list', () => {
    expect(
      trainingHyperparameters({
        name: 'xgboost',
        objective: 'binary:logistic',
        hyperparameters: { num_round: 50, eta: 0.1, eval_metric: ['auc'] },
        evalMetrics: ['auc', 'logloss'],
      }),
    ).toEqual({ eta: '0.1', eval_metric: 'auc,logloss', num_round: '50', objective: 'binary:logistic' });
  });
});

describe('unloadStatement', () => {
  const model = {
    key: ['customer_id'],
    label: 'churned',
    features: [{ name: 'orders', type: 'BIGINT' }],
    split: { kind: 'cutoff', column: 'signed_up_at', at: '2026-06-01' },
  } as const;
  const paths = { snapshotId: '$.snapshot.id', channelUri: '$.files.train' };

  it('puts rows before the cut-off in training and every other row, a missing time too, in validation', () => {
    const train = unloadStatement(model as never, { database: 'acme_dev_marketing', table: 'features' }, 'train', paths);
    const validation = unloadStatement(model as never, { database: 'acme_dev_marketing', table: 'features' }, 'validation', paths);
    const predicate = `coalesce("signed_up_at" < from_iso8601_timestamp('2026-06-01'), false)`;
    expect(train.render(['42', 's3://audit/ml/marketing/churn/runs/r1/training-set/train/'])).toBe(
      `UNLOAD (SELECT CAST("churned" AS DOUBLE) AS "churned", CAST("orders" AS DOUBLE) AS "orders" FROM "acme_dev_marketing"."features" ` +
        `FOR VERSION AS OF 42 WHERE ${predicate}) TO 's3://audit/ml/marketing/churn/runs/r1/training-set/train/' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
    );
    expect(validation.template).toContain(`WHERE NOT (${predicate})) TO '{}'`);
    expect(train.argumentPaths).toEqual(['$.snapshot.id', '$.files.train']);
  });
});

describe('parseRegisterEvent', () => {
  const event = {
    runId: 'r1',
    featureSnapshotId: '42',
    trainingSet: 's3://audit/ml/x/',
    artifact: 's3://audit/ml/x/model.tar.gz',
    metricsDocument: 's3://audit/ml/x/metrics.json',
    metrics: [{ MetricName: 'validation:auc', Value: 0.9 }],
  };

  it('takes the state machine payload and names a field that is wrong', () => {
    expect(parseRegisterEvent(event)).toEqual(event);
    expect(() => parseRegisterEvent({ ...event, featureSnapshotId: '' })).toThrow(new RegisterEventError(`Register event: 'featureSnapshotId' must be a non-empty string, got ""`));
    expect(() => parseRegisterEvent({ ...event, metrics: [{ MetricName: 'validation:auc', Value: 'high' }] })).toThrow(/numeric Value/);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature, Row } from '../../../lib/local/ml/feature-encoding.ts';
import { readLocalModel, score, writeLocalModel } from '../../../lib/local/ml/local-model.ts';
import { trainLocally, trainOnSplit, type TrainingRequest } from '../../../lib/local/ml/local-trainer.ts';
import { splitRows } from '../../../lib/local/ml/train-validation-split.ts';

/** A seeded generator (mulberry32), so every run of the test sees the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const PLANS = ['basic', 'pro', 'enterprise'];

/** Customers whose churn depends on their features (or, with `signal` false, on nothing). */
function customers(count: number, signal: boolean): Row[] {
  const next = random(20261205);
  return Array.from({ length: count }, (_, index) => {
    const orders = Math.floor(next() * 20);
    const daysSinceLastOrder = next() < 0.05 ? null : Math.floor(next() * 180);
    const plan = PLANS[Math.floor(next() * PLANS.length)]!;
    const newsletter = next() < 0.5;
    const risk = 0.02 * (daysSinceLastOrder ?? 90) - 0.25 * orders + (plan === 'basic' ? 1 : 0) - (newsletter ? 0.5 : 0);
    const churned = signal ? next() < 1 / (1 + Math.exp(-risk)) : next() < 0.5;
    return { customer_id: `C${String(index).padStart(5, '0')}`, orders: BigInt(orders), days_since_last_order: daysSinceLastOrder, plan, newsletter, churned };
  });
}

const features: Feature[] = [
  { name: 'orders', kind: 'numeric' },
  { name: 'days_since_last_order', kind: 'numeric' },
  { name: 'plan', kind: 'categorical' },
  { name: 'newsletter', kind: 'boolean' },
];

const request = (rows: Row[], hyperparameters: TrainingRequest['hyperparameters'] = { num_round: 15, max_depth: 4, eta: 0.2 }): TrainingRequest => ({
  rows,
  features,
  label: 'churned',
  key: ['customer_id'],
  split: { kind: 'fraction', trainFraction: 0.7, seed: 7 },
  hyperparameters,
});

describe('the local trainer', () => {
  const withSignal = customers(600, true);
  const trained = trainLocally(request(withSignal));

  it('learns a label that depends on the features: validation AUC well above 0.5', () => {
    expect(trained.metrics['validation:auc']).toBeGreaterThan(0.75);
    expect(trained.metrics['validation:error']).toBeLessThan(0.35);
    expect(trained.trainingRows + trained.validationRows).toBe(600);
    expect(trained.trainingRows / 600).toBeCloseTo(0.7, 1);
  });

  it('finds nothing in random labels: validation AUC near 0.5, so a threshold gate can refuse', () => {
    // More validation rows than the other tests: AUC's chance spread shrinks with their count.
    const { metrics } = trainLocally({ ...request(customers(1000, false), { num_round: 10, max_depth: 4 }), split: { kind: 'fraction', trainFraction: 0.5, seed: 7 } });
    expect(Math.abs(metrics['validation:auc']! - 0.5)).toBeLessThan(0.08);
  });

  it('is deterministic for a seed, whatever order the rows come in', () => {
    const again = trainLocally(request([...withSignal].reverse()));
    expect(again.metrics).toEqual(trained.metrics);
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(trained.model));
  });

  it('trains channels read in another order to the same model, as an UNLOAD writes its rows in any order', () => {
    const { training, validation } = splitRows(withSignal, request(withSignal).split, ['customer_id']);
    const channels = { features, label: 'churned', hyperparameters: { num_round: 15, max_depth: 4, eta: 0.2 } };
    const asRead = trainOnSplit({ ...channels, training, validation });
    const shuffled = trainOnSplit({ ...channels, training: [...training].reverse(), validation: [...validation].reverse() });
    expect(shuffled.metrics).toEqual(asRead.metrics);
    expect(JSON.stringify(shuffled.model)).toBe(JSON.stringify(asRead.model));
  });

  it('names a channel row by its values, since its position changes with the order', () => {
    const { training, validation } = splitRows(withSignal, request(withSignal).split, ['customer_id']);
    const bad = training.map((row, index) => (index === 3 ? { ...row, orders: 'many' } : row));
    expect(() => trainOnSplit({ features, label: 'churned', hyperparameters: { num_round: 5 }, training: bad, validation })).toThrow(
      /^the row churned=(true|false), orders=many, days_since_last_order=.*: numeric feature 'orders' holds "many"$/,
    );
  });

  it('writes a JSON model that scores rows as the trained one does', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'local-model-')), 'model.json');
    writeLocalModel(path, trained.model);
    const sample = withSignal.slice(0, 50);
    const probabilities = score(readLocalModel(path), sample);
    expect(probabilities).toEqual(score(trained.model, sample));
    expect(probabilities.every((probability) => probability >= 0 && probability <= 1)).toBe(true);
    expect(score(trained.model, [{ orders: 3n, days_since_last_order: null, plan: 'unseen-plan', newsletter: null }])).toHaveLength(1);
    expect(() => score(trained.model, [sample[0]!, { ...sample[1]!, newsletter: 'yes' }])).toThrow(`row 2: boolean feature 'newsletter' holds "yes"`);
  });

  it('maps the hyperparameters that have an equivalent and names the ones ignored offline', () => {
    expect(trained.model.ignoredHyperparameters).toEqual(['eta']);
    expect(trained.model.forest.baseModel.nEstimators).toBe(15);
    expect(trained.model.learner).toBe('ml-random-forest@2.1.0');
    expect(() => trainLocally(request(withSignal, { num_round: 0 }))).toThrow('hyperparameter num_round: 0 is not a whole number of 1 or more');
  });

  it('encodes a categorical as one column per category seen in training, sorted', () => {
    expect(trained.model.encoding.find((column) => column.name === 'plan')).toEqual({ name: 'plan', kind: 'categorical', categories: ['basic', 'enterprise', 'pro'] });
  });

  it('names a row whose label or feature is not what it must be', () => {
    const badLabel = withSignal.map((row, index) => (index === 42 ? { ...row, churned: 'maybe' } : row));
    expect(() => trainLocally(request(badLabel))).toThrow(`the row with customer_id "C00042": label 'churned' is "maybe"; a binary label is true/false or 1/0`);
    const badFeature = withSignal.map((row, index) => (index === 7 ? { ...row, orders: 'many' } : row));
    expect(() => trainLocally(request(badFeature))).toThrow(`the row with customer_id "C00007": numeric feature 'orders' holds "many"`);
  });
});

describe('the train/validation split', () => {
  const rows = customers(400, true).map((row, index) => ({ ...row, signed_up: new Date(Date.UTC(2026, 0, 1) + index * 86_400_000) }));

  it('by a cut-off: rows before it train, the rest validate', () => {
    const { training, validation } = splitRows(rows, { kind: 'cutoff', column: 'signed_up', at: '2026-06-01' }, ['customer_id']);
    expect(training).toHaveLength(151);
    expect(training.every((row) => (row['signed_up'] as Date) < new Date('2026-06-01'))).toBe(true);
    expect(validation).toHaveLength(249);
  });

  it('by a fraction: a row keeps its side whatever the other rows are', () => {
    const all = splitRows(rows, { kind: 'fraction', trainFraction: 0.5, seed: 1 }, ['customer_id']);
    const half = splitRows(rows.slice(0, 200), { kind: 'fraction', trainFraction: 0.5, seed: 1 }, ['customer_id']);
    const side = (row: Row) => (all.training.includes(row) ? 'training' : 'validation');
    expect(half.training.every((row) => side(row) === 'training')).toBe(true);
    expect(half.validation.every((row) => side(row) === 'validation')).toBe(true);
    const otherSeed = splitRows(rows, { kind: 'fraction', trainFraction: 0.5, seed: 2 }, ['customer_id']);
    expect(otherSeed.training).not.toEqual(all.training);
  });
});

import { describe, expect, it } from 'vitest';
import { buildSelectionInputs } from '../../lib/transforms/build-selection.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { catalogWith, modelFile } from './helpers.ts';

const dag = compileTransforms(
  catalogWith({
    'sales/a': modelFile('materialized: table', "SELECT * FROM {{ ref('orders') }}"),
    'sales/b': modelFile('materialized: view', "SELECT * FROM {{ ref('a') }}"),
    'sales/c': modelFile('materialized: table', "SELECT * FROM {{ ref('b') }}"),
    'marketing/mix': modelFile('materialized: table', "SELECT currency FROM {{ ref('sales/orders') }}"),
  }),
);

describe('buildSelectionInputs', () => {
  it("names each selected model by its outcome key in its own domain's input", () => {
    expect(Object.fromEntries(buildSelectionInputs(dag, '+sales/b'))).toEqual({
      sales: { models: { sales__a: true, sales__b: true } },
    });
    expect(Object.fromEntries(buildSelectionInputs(dag, 'b+'))).toEqual({
      sales: { models: { sales__b: true, sales__c: true } },
    });
  });

  it('gives no input to a domain without a selected model', () => {
    expect([...buildSelectionInputs(dag, 'marketing/mix')]).toEqual([['marketing', { models: { marketing__mix: true } }]]);
  });

  it('refuses a selector that names no model', () => {
    expect(() => buildSelectionInputs(dag, 'sales/d')).toThrow("no model 'sales/d'");
  });
});

import { describe, expect, it } from 'vitest';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { selectModels } from '../../lib/transforms/select-models.ts';
import { catalogWith, modelFile } from './helpers.ts';

const dag = compileTransforms(
  catalogWith({
    'sales/a': modelFile('materialized: table', "SELECT * FROM {{ ref('orders') }}"),
    'sales/b': modelFile('materialized: table', "SELECT * FROM {{ ref('a') }}"),
    'sales/c': modelFile('materialized: table', "SELECT * FROM {{ ref('b') }}"),
    'sales/d': modelFile('materialized: table', "SELECT * FROM {{ ref('orders') }}"),
  }),
);

describe('selectModels', () => {
  it('selects like dbt: all, one, +upstream, downstream+, both', () => {
    expect(selectModels(dag)).toEqual(['sales/a', 'sales/b', 'sales/c', 'sales/d']);
    expect(selectModels(dag, 'sales/b')).toEqual(['sales/b']);
    expect(selectModels(dag, 'b')).toEqual(['sales/b']);
    expect(selectModels(dag, '+sales/b')).toEqual(['sales/a', 'sales/b']);
    expect(selectModels(dag, 'sales/b+')).toEqual(['sales/b', 'sales/c']);
    expect(selectModels(dag, '+b+')).toEqual(['sales/a', 'sales/b', 'sales/c']);
  });

  it('refuses an unknown model with a did-you-mean', () => {
    expect(() => selectModels(dag, '+sales/bb')).toThrow("no model 'sales/bb'; did you mean 'sales/b'?");
  });
});

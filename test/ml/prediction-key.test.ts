/**
 * How `models lineage --prediction` names a prediction (lib/ml/prediction-key.ts): the key's
 * value, or `col=value,col=value` naming each key column once, else a message naming the key.
 */
import { describe, expect, it } from 'vitest';
import { parsePredictionKey, PredictionKeyError } from '../../lib/ml/prediction-key.ts';

const churn = { id: 'marketing/churn', key: ['customer_id'] };
const regional = { id: 'marketing/churn_by_region', key: ['customer_id', 'region'] };

describe('a prediction key', () => {
  it("is the value of a one-column key, with or without the column's name", () => {
    expect(parsePredictionKey(churn, 'C00042')).toEqual({ customer_id: 'C00042' });
    expect(parsePredictionKey(churn, 'customer_id=C00042')).toEqual({ customer_id: 'C00042' });
    // Only the key's own name is a prefix: any other text is the value.
    expect(parsePredictionKey(churn, 'region=eu')).toEqual({ customer_id: 'region=eu' });
  });

  it('names every column of a key of several, in any order, in the key order', () => {
    expect(Object.entries(parsePredictionKey(regional, 'region=eu,customer_id=C1'))).toEqual([
      ['customer_id', 'C1'],
      ['region', 'eu'],
    ]);
  });

  it('is refused, naming the key columns, when a column is unknown, missing, repeated or the value empty', () => {
    const syntax = "marketing/churn_by_region's key is customer_id=<value>,region=<value>";
    for (const [text, problem] of [
      ['C1', "'C1' is no key column"],
      ['customer_id=C1,country=eu', "'country=eu' is no key column"],
      ['customer_id=C1', 'no value for region'],
      ['customer_id=C1,region=eu,region=us', 'region is given twice'],
    ] as const) {
      const error = (() => {
        try {
          parsePredictionKey(regional, text);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, text).toBeInstanceOf(PredictionKeyError);
      expect((error as Error).message).toContain(problem);
      expect((error as Error).message).toContain(syntax);
    }
    expect(() => parsePredictionKey(churn, 'customer_id=')).toThrow("an empty key; marketing/churn's key is <customer_id> or customer_id=<value>");
  });
});

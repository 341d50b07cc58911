import { describe, expect, it } from 'vitest';
import { csvFilter, processRecords } from '../../../lib/local/ml/csv-data-processing.ts';
import { INFERENCE_DATA_PROCESSING } from '../../../lib/ml/prediction-queries.ts';

describe("a batch transform's CSV DataProcessing offline", () => {
  it('selects fields as SageMaker CSV filters do: whole record, indices, negative indices and slices', () => {
    const fields = ['k', 'a', 'b', 'c'];
    expect(csvFilter('$')(fields)).toEqual(fields);
    expect(csvFilter('$[1:]')(fields)).toEqual(['a', 'b', 'c']);
    expect(csvFilter('$[:-1]')(fields)).toEqual(['k', 'a', 'b']);
    expect(csvFilter('$[0,-1]')(fields)).toEqual(['k', 'c']);
    expect(csvFilter('$[2]')(fields)).toEqual(['b']);
    expect(() => csvFilter('$[7]')(fields)).toThrow('index 7 is outside a record of 4 fields');
    expect(() => csvFilter('$.features')).toThrow("filter '$.features' is not");
  });

  it("gives the model the features only and keeps the key with the score, as the promotion's transform declares", () => {
    const seen: string[][] = [];
    const records = [
      ['key1', '1', '2'],
      ['key2', '', '4'],
    ];
    const output = processRecords(INFERENCE_DATA_PROCESSING, records, (inputs) => {
      seen.push(...inputs);
      return inputs.map((input) => [String(input.length)]);
    });
    expect(seen).toEqual([
      ['1', '2'],
      ['', '4'],
    ]);
    expect(output).toEqual([
      ['key1', '2'],
      ['key2', '2'],
    ]);
  });

  it('writes the output alone without a join, and refuses a join source SageMaker does not have', () => {
    expect(processRecords({}, [['1']], () => [['0.5']])).toEqual([['0.5']]);
    expect(() => processRecords({ JoinSource: 'Output' }, [['1']], () => [['0.5']])).toThrow("JoinSource 'Output' is not Input or None");
  });
});

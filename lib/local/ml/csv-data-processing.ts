/**
 * A batch transform's `DataProcessing` for CSV records, as SageMaker defines it: a record is the
 * array of its fields; `InputFilter` picks the fields the model reads, `JoinSource: Input` appends
 * the model's output fields to the whole input record (`None` keeps the output alone), and
 * `OutputFilter` picks the fields written. Filters are the JSONPath subset SageMaker accepts on
 * CSV: `$`, `$[i]`, `$[i,j,...]` and `$[start:end]`, negative indices counting from the end. Pure.
 */

export interface DataProcessing {
  readonly InputFilter?: string;
  readonly JoinSource?: string;
  readonly OutputFilter?: string;
}

export class DataProcessingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataProcessingError';
  }
}

type Filter = (fields: readonly string[]) => string[];

function indexIn(text: string, length: number, filter: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new DataProcessingError(`filter '${filter}': '${text}' is not an index`);
  const index = Number(text);
  const resolved = index < 0 ? length + index : index;
  if (resolved < 0 || resolved >= length) throw new DataProcessingError(`filter '${filter}': index ${index} is outside a record of ${length} fields`);
  return resolved;
}

/** The fields a CSV JSONPath filter selects; an error naming the filter for any other form. */
export function csvFilter(filter: string): Filter {
  if (filter === '$') return (fields) => [...fields];
  const match = /^\$\[([^\]]+)\]$/.exec(filter);
  if (match === null) throw new DataProcessingError(`filter '${filter}' is not $, $[i], $[i,j,...] or $[start:end]`);
  const inside = match[1]!;
  if (inside.includes(':')) {
    const [start, end, ...rest] = inside.split(':');
    if (rest.length > 0) throw new DataProcessingError(`filter '${filter}': a slice has no step offline`);
    return (fields) => {
      const bound = (text: string | undefined, otherwise: number): number => {
        if (text === undefined || text.trim() === '') return otherwise;
        const index = Number(text);
        if (!Number.isInteger(index)) throw new DataProcessingError(`filter '${filter}': '${text}' is not an index`);
        return Math.min(Math.max(index < 0 ? fields.length + index : index, 0), fields.length);
      };
      return fields.slice(bound(start, 0), bound(end, fields.length));
    };
  }
  const indices = inside.split(',');
  return (fields) => indices.map((index) => fields[indexIn(index, fields.length, filter)]!);
}

/**
 * The output record of each input record: `predict` gets the filtered inputs of every record at
 * once (a model scores a batch) and answers one list of output fields per record.
 */
export function processRecords(processing: DataProcessing, records: readonly (readonly string[])[], predict: (inputs: readonly string[][]) => string[][]): string[][] {
  const input = csvFilter(processing.InputFilter ?? '$');
  const output = csvFilter(processing.OutputFilter ?? '$');
  const join = processing.JoinSource ?? 'None';
  if (join !== 'None' && join !== 'Input') throw new DataProcessingError(`JoinSource '${join}' is not Input or None`);
  const predictions = predict(records.map(input));
  if (predictions.length !== records.length) throw new DataProcessingError(`the model answered ${predictions.length} records for ${records.length}`);
  return records.map((record, index) => output(join === 'Input' ? [...record, ...predictions[index]!] : predictions[index]!));
}

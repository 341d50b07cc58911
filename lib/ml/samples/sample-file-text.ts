/**
 * Generated rows as the file a dataset's contract takes: CSV with the contract's delimiter, quote
 * and escape (a header when it says so), or JSON Lines; every column of the contract, in its order.
 * Pure.
 */
import type { Dataset } from '../../contracts/model.ts';
import type { SampleRow, SampleValue } from './column-values.ts';

export interface SampleFile {
  /** `.csv` or `.jsonl`: the extension the validator reads the contract's format from. */
  readonly extension: string;
  readonly text: string;
}

function csvField(value: SampleValue, dataset: Dataset): string {
  if (value === null) return '';
  const text = String(value);
  const { delimiter, quote, escape } = dataset.csv;
  if (![delimiter, quote, '\n', '\r'].some((special) => text.includes(special))) return text;
  return `${quote}${text.replaceAll(quote, `${escape}${quote}`)}${quote}`;
}

export function sampleFileText(dataset: Dataset, rows: readonly SampleRow[]): SampleFile {
  const names = dataset.columns.map((column) => column.name);
  switch (dataset.format) {
    case 'csv': {
      const lines = rows.map((row) => names.map((name) => csvField(row[name] ?? null, dataset)).join(dataset.csv.delimiter));
      return { extension: '.csv', text: [...(dataset.csv.header ? [names.join(dataset.csv.delimiter)] : []), ...lines].map((line) => `${line}\n`).join('') };
    }
    case 'json':
      return { extension: '.jsonl', text: rows.map((row) => `${JSON.stringify(Object.fromEntries(names.map((name) => [name, row[name] ?? null])))}\n`).join('') };
    case 'parquet':
      throw new Error(`${dataset.names.ref}: sample files are written as CSV or JSON Lines; its contract takes Parquet`);
  }
}

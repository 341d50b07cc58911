/**
 * The CSV files the pipelines' scenarios deliver, made from each dataset's shipped clean sample
 * (a JSON Lines sample converted, since the scenarios' contracts take CSV), each named after what
 * it is for.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../../contracts/model.ts';

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? `"${value.replaceAll('"', '""')}"` : String(value);
}

/** A JSON Lines sample as CSV, the keys of its first object as the header. */
function jsonLinesAsCsv(text: string): string {
  const records = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const columns = Object.keys(records[0]!);
  return [columns.join(','), ...records.map((record) => columns.map((column) => csvField(record[column])).join(','))].join('\n') + '\n';
}

export const lines = (csv: string): string[] => csv.trimEnd().split('\n');

export class Deliveries {
  /**
   * @param samples the shipped contracts folder, whose `<domain>/samples/<dataset>.csv` or `.jsonl` is each dataset's clean sample
   * @param folder where the delivered files are written
   */
  constructor(
    private readonly samples: string,
    private readonly folder: string,
  ) {}

  /** The dataset's clean sample, as CSV. */
  sample(dataset: Dataset): string {
    const base = join(this.samples, dataset.domain, 'samples', dataset.name);
    return existsSync(`${base}.csv`) ? readFileSync(`${base}.csv`, 'utf8') : jsonLinesAsCsv(readFileSync(`${base}.jsonl`, 'utf8'));
  }

  /** A CSV file for the dataset, its content made from the clean sample. */
  file(dataset: Dataset, purpose: string, content: (sample: string) => string): string {
    const file = join(this.folder, `${dataset.domain}-${dataset.name}-${purpose}.csv`);
    writeFileSync(file, content(this.sample(dataset)));
    return file;
  }

  clean(dataset: Dataset): string {
    return this.file(dataset, 'clean', (sample) => sample);
  }
}

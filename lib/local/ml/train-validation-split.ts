/**
 * Divides a training run's rows between training and validation, deterministically:
 * - a fraction: each row by a hash of the seed and its key, so a row's side never depends on the
 *   order rows arrive in or on the other rows (a re-run on the same training set splits alike);
 * - a cut-off: rows whose cut-off column is before `at` train, the rest validate, which keeps the
 *   future out of training.
 * Each side comes back ordered by key, so training reads the rows in one order whatever the input's.
 */
import { createHash } from 'node:crypto';
import type { Row } from './feature-encoding.ts';

export type TrainValidationSplit =
  | { readonly kind: 'fraction'; readonly trainFraction: number; readonly seed: number }
  | { readonly kind: 'cutoff'; readonly column: string; readonly at: string };

export class SplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitError';
  }
}

function keyText(row: Row, key: readonly string[]): string {
  return JSON.stringify(key.map((column) => {
    const value = row[column];
    return typeof value === 'bigint' ? value.toString() : value;
  }));
}

/** Milliseconds since the epoch of a date or timestamp value, however the reader handed it out. */
function instant(value: unknown, what: string): number {
  const time = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
  if (value === null || value === undefined || Number.isNaN(time)) throw new SplitError(`${what} is ${JSON.stringify(String(value))}, not a date or timestamp`);
  return time;
}

export function splitRows(rows: readonly Row[], split: TrainValidationSplit, key: readonly string[]): { training: Row[]; validation: Row[] } {
  if (key.length === 0) throw new SplitError('rows need key columns to be split and ordered deterministically');
  const keyed = rows.map((row, index) => ({ row, index, key: keyText(row, key) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let inTraining: (entry: { row: Row; index: number; key: string }) => boolean;
  if (split.kind === 'fraction') {
    if (!(split.trainFraction > 0 && split.trainFraction < 1)) throw new SplitError(`the training fraction must be between 0 and 1, not ${split.trainFraction}`);
    inTraining = ({ key: text }) => createHash('sha256').update(`${split.seed}\u0000${text}`).digest().readUInt32BE(0) / 2 ** 32 < split.trainFraction;
  } else {
    const cutoff = instant(split.at, 'the cut-off');
    inTraining = ({ row, index }) => instant(row[split.column], `row ${index + 1}: cut-off column '${split.column}'`) < cutoff;
  }
  const training: Row[] = [];
  const validation: Row[] = [];
  for (const entry of keyed) (inTraining(entry) ? training : validation).push(entry.row);
  return { training, validation };
}

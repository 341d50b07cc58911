import { parseArgs } from 'node:util';
import { MAX_ROWS, type BenchFormat } from './orders-data.ts';

export interface BenchOptions {
  /** File sizes in rows, ascending, each once. */
  readonly rows: readonly number[];
  readonly runs: number;
  readonly formats: readonly BenchFormat[];
}

export type ParsedArguments = { readonly help: true } | { readonly help: false; readonly options: BenchOptions };

export const USAGE = `usage: npm run bench:validate -- [--rows 1000000,5000000] [--runs 3] [--formats csv,parquet]

Times the validation of generated orders files (bench/data/, reused when present): parsing,
the generated metrics query, a hand-written equivalent and the whole validateFile, each run in
a child process; prints a table per format and size, then a verdict against issue 3's targets.
Exits 0 whether targets are met (PASS) or missed (MISS): it reports, it does not gate; exits 1
when a check fails (FAIL: the figures time other work than they name), 2 on a usage error.`;

export class UsageError extends Error {}

const FORMATS: readonly BenchFormat[] = ['csv', 'parquet'];

function list(value: string, flag: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${flag}: expected a comma-separated list, got '${value}'`);
  return items;
}

function positiveInteger(text: string, flag: string): number {
  const value = /^[0-9][0-9_]*$/.test(text) ? Number(text.replaceAll('_', '')) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag}: expected a positive whole number, got '${text}'`);
  return value;
}

function format(text: string): BenchFormat {
  const found = FORMATS.find((known) => known === text);
  if (found === undefined) throw new UsageError(`--formats: unknown format '${text}'; expected ${FORMATS.join(' or ')}`);
  return found;
}

/** The benchmark's command-line flags; throws `UsageError` with what to change. */
export function parseBenchArguments(args: readonly string[]): ParsedArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        rows: { type: 'string', default: '1000000,5000000' },
        runs: { type: 'string', default: '3' },
        formats: { type: 'string', default: 'csv,parquet' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const rows = [...new Set(list(values.rows, '--rows').map((item) => positiveInteger(item, '--rows')))].sort((a, b) => a - b);
  if (rows.at(-1)! > MAX_ROWS) throw new UsageError(`--rows: at most ${MAX_ROWS.toLocaleString('en-US')} rows (order ids have eight digits)`);
  const formats = [...new Set(list(values.formats, '--formats').map(format))];
  return { help: false, options: { rows, runs: positiveInteger(values.runs, '--runs'), formats } };
}

/**
 * `npm run bench:validate`: issue 3, item 9. Times the validation of deterministic orders files
 * (generated once into bench/data/ and reused) against the narrow benchmark contract; see
 * `USAGE` in bench/options.ts. Tables and verdict go to stdout, progress to stderr.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_MEMORY_LIMIT } from '../lib/validation/run-validation.ts';
import { BENCH_CONTRACT, benchDataset } from './bench-dataset.ts';
import { sectionProblems } from './checks.ts';
import { measureInChild } from './measure-in-child.ts';
import { MEASUREMENT_LABELS, MEASUREMENTS, type MeasurementKind, type MeasurementResult } from './measurement.ts';
import { parseBenchArguments, UsageError, USAGE, type BenchOptions } from './options.ts';
import { ensureOrdersFile, GENERATOR_VERSION, type BenchFormat } from './orders-data.ts';
import { formatSection, formatVerdicts } from './report.ts';
import type { CheckedSection, SectionResults } from './section.ts';
import { exitCodeOf, verdicts } from './targets.ts';

const DATA_DIRECTORY = fileURLToPath(new URL('./data/', import.meta.url));

const progress = (message: string) => process.stderr.write(`${message}\n`);
const loads = () => loadavg().map((load) => load.toFixed(2)).join(' ');
const where = (format: BenchFormat, rows: number) => `[${format} ${rows.toLocaleString('en-US')}]`;

async function duckDbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const [[version] = []] = (await connection.runAndReadAll('SELECT version()')).getRows();
    connection.closeSync();
    return String(version);
  } finally {
    instance.closeSync();
  }
}

async function header(options: BenchOptions): Promise<string> {
  return [
    `bench:validate ${new Date().toISOString()}: node ${process.version}, DuckDB ${await duckDbVersion()}, ` +
      `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})`,
    `load average (1, 5, 15 min) at start: ${loads()}; the machine is shared, so other work slows every figure`,
    `contract ${relative(process.cwd(), BENCH_CONTRACT)} (${benchDataset('csv').columns.length} columns), generator v${GENERATOR_VERSION}; ` +
      `DuckDB memory_limit ${DEFAULT_MEMORY_LIMIT} as validateFile sets it; ` +
      `${options.runs} run${options.runs === 1 ? '' : 's'} of each measurement, each run in its own process; MB = 2^20 bytes`,
    ...(options.runs < 3 ? ['fewer than 3 runs: these medians are a smoke test, not the benchmark'] : []),
  ].join('\n');
}

async function measureFile(format: BenchFormat, rows: number, file: string, runs: number): Promise<SectionResults> {
  const results = Object.fromEntries(MEASUREMENTS.map((kind) => [kind, [] as MeasurementResult[]])) as Record<MeasurementKind, MeasurementResult[]>;
  // Runs interleave the measurements, so a change in the machine's load falls on all of them alike.
  for (let run = 1; run <= runs; run += 1) {
    for (const kind of MEASUREMENTS) {
      const result = await measureInChild({ kind, format, file });
      results[kind].push(result);
      progress(`${where(format, rows)} run ${run}/${runs} ${MEASUREMENT_LABELS[kind]}: ${result.seconds.toFixed(3)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    }
  }
  return { format, rows, fileBytes: (await stat(file)).size, runs: results };
}

async function main(options: BenchOptions): Promise<void> {
  process.stdout.write(`${await header(options)}\n`);
  const files: { format: BenchFormat; rows: number; file: string }[] = [];
  for (const format of options.formats) {
    for (const rows of options.rows) {
      progress(`${where(format, rows)} preparing the data file`);
      const { file, generated } = await ensureOrdersFile(DATA_DIRECTORY, rows, format);
      progress(`${where(format, rows)} ${generated ? 'generated' : 'reusing'} ${file}`);
      files.push({ format, rows, file });
    }
  }
  const sections: CheckedSection[] = [];
  for (const { format, rows, file } of files) {
    const section = await measureFile(format, rows, file, options.runs);
    const checked = { ...section, problems: sectionProblems(section) };
    sections.push(checked);
    process.stdout.write(`\n${formatSection(checked)}\n`);
  }
  const judged = verdicts(sections);
  process.stdout.write(`\n${formatVerdicts(judged)}\nload average at end: ${loads()}\n`);
  process.exitCode = exitCodeOf(judged);
  if (process.exitCode !== 0) process.stderr.write('bench:validate: a check failed, so some figures time other work than they name (FAIL above)\n');
}

try {
  const parsed = parseBenchArguments(process.argv.slice(2));
  if (parsed.help) process.stdout.write(`${USAGE}\n`);
  else await main(parsed.options);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  process.exitCode = 2;
}

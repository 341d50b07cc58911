/**
 * `npm run bench:assembly` (issue 10 item 1): what the synthesized-assembly cache saves, for the
 * shipped contracts' dev environment. Per run, each measurement in a process of its own (its own
 * peak RSS and module imports): building the app and synthesizing the dev Stage without the cache,
 * computing the cache key, a hit (reading the entry and its state machines), and a whole process
 * opening the dev state machines as `lakehouse run` does, first on an empty cache, then on the
 * entry that run stored. Medians of `--runs` (default 3). A check that fails (the ways disagree on
 * the state machines, the empty cache did not store one entry, the warm one stored another) makes
 * the figures FAIL and the command exit 1; 2 on a usage error. Each run's project is a temporary
 * folder, so the repository's `.lake/` is left alone.
 */
import { fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../lib/cli/table.ts';
import { projectAssemblyCacheDirectory } from '../lib/local/assembly-cache/assembly-cache.ts';
import type { AssemblyMeasurementKind, AssemblyMeasurementRequest, AssemblyMeasurementResult } from './assembly-measurement.ts';
import { median } from './median.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./run-assembly-measurement.ts', import.meta.url));
const USAGE = 'usage: npm run bench:assembly -- [--runs <n>]';
const progress = (message: string) => process.stderr.write(`${message}\n`);
const loads = () => loadavg().map((load) => load.toFixed(2)).join(' ');

interface Timed extends AssemblyMeasurementResult {
  /** From starting the process to its exit, measured by this one. */
  readonly wallSeconds: number;
}

function measureInChild(request: AssemblyMeasurementRequest): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [JSON.stringify(request)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let result: AssemblyMeasurementResult | undefined;
    child.on('message', (message) => {
      result = message as AssemblyMeasurementResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve({ ...result, wallSeconds: (performance.now() - started) / 1000 });
      else reject(new Error(`bench:assembly: the ${request.kind} measurement failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

function entries(projectRoot: string): string[] {
  try {
    return readdirSync(projectAssemblyCacheDirectory(projectRoot)).sort();
  } catch {
    return [];
  }
}

interface Run {
  readonly byKind: Readonly<Record<AssemblyMeasurementKind, Timed>>;
  readonly cold: Timed;
  readonly problems: readonly string[];
}

async function measureRun(run: number, runs: number): Promise<Run> {
  const projectRoot = mkdtempSync(join(tmpdir(), 'bench-assembly-'));
  const outdir = mkdtempSync(join(tmpdir(), 'bench-assembly-synth-'));
  copyFileSync(join(repo, 'cdk.json'), join(projectRoot, 'cdk.json'));
  const measure = async (kind: AssemblyMeasurementKind, label: string, key?: string) => {
    const result = await measureInChild({ kind, projectRoot, outdir, ...(key === undefined ? {} : { key }) });
    progress(`run ${run}/${runs} ${label}: ${result.seconds.toFixed(3)} s (process ${result.wallSeconds.toFixed(1)} s), peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    return result;
  };
  try {
    const problems: string[] = [];
    const cold = await measure('process', 'process, empty cache');
    const stored = entries(projectRoot);
    if (stored.length !== 1) problems.push(`run ${run}: the process on an empty cache left ${stored.length} entries, not 1`);
    const warm = await measure('process', 'process, warm cache');
    if (entries(projectRoot).join() !== stored.join()) problems.push(`run ${run}: the process on a warm cache stored another entry: it missed`);
    const synthesize = await measure('synthesize', 'synthesize');
    const key = await measure('key', 'key');
    // The entry stored above, not a key computed again: the code may have been edited since.
    const hit = await measure('hit', 'hit', stored[0]);
    const digests = new Set([cold, warm, synthesize, hit].map((result) => result.machinesDigest));
    if (digests.size !== 1) problems.push(`run ${run}: synthesis, the cache and the two processes read different state machines`);
    if (!(synthesize.machineCount! > 0)) problems.push(`run ${run}: synthesis read no state machine`);
    return { byKind: { synthesize, key, hit, process: warm }, cold, problems };
  } finally {
    rmSync(projectRoot, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
  }
}

function row(label: string, seconds: readonly number[], peaks: readonly number[] | undefined, failed: boolean): string[] {
  const figure = (value: string) => (failed ? `FAIL (${value})` : value);
  return [
    label,
    seconds.map((value) => value.toFixed(3)).join(' '),
    figure(median(seconds).toFixed(3)),
    peaks === undefined ? '' : median(peaks).toFixed(0),
  ];
}

let runs: number;
try {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } }, strict: true, allowPositionals: false });
  runs = /^[1-9][0-9]*$/.test(values.runs) ? Number(values.runs) : Number.NaN;
  if (!Number.isSafeInteger(runs)) throw new Error(`--runs: expected a positive whole number, got '${values.runs}'`);
} catch (error) {
  progress(`bench:assembly: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

process.stdout.write(
  `bench:assembly ${new Date().toISOString()}: node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})\n` +
    `load average (1, 5, 15 min) at start: ${loads()}; the machine may be shared, so other work slows every figure\n` +
    `the shipped contracts' dev environment; ${runs} run${runs === 1 ? '' : 's'}, each measurement in its own process; MB = 2^20 bytes\n\n`,
);
const measured: Run[] = [];
for (let run = 1; run <= runs; run += 1) measured.push(await measureRun(run, runs));
const problems = measured.flatMap((run) => run.problems);
const failed = problems.length > 0;
const of = (kind: AssemblyMeasurementKind) => measured.map((run) => run.byKind[kind]);
process.stdout.write(
  `${renderTable(
    ['MEASUREMENT', 'RUNS (s)', 'MEDIAN (s)', 'PEAK RSS (MB)'],
    [
      row('import lib/stacks and aws-cdk-lib (a miss only)', of('synthesize').map((result) => result.importSeconds!), undefined, failed),
      row('createLakehouseApp + synth of the dev Stage, no cache', of('synthesize').map((result) => result.seconds), of('synthesize').map((result) => result.peakRssMb), failed),
      row('cache key (contracts, context, variables, lib/, lambdas/, lock file)', of('key').map((result) => result.seconds), of('key').map((result) => result.peakRssMb), failed),
      row('cache hit: read the entry and its state machines', of('hit').map((result) => result.seconds), of('hit').map((result) => result.peakRssMb), failed),
      row('process opening the dev state machines, empty cache', measured.map((run) => run.cold.wallSeconds), measured.map((run) => run.cold.peakRssMb), failed),
      row('process opening the dev state machines, warm cache', of('process').map((result) => result.wallSeconds), of('process').map((result) => result.peakRssMb), failed),
    ],
  )}\n`,
);
process.stdout.write(
  failed
    ? `${problems.map((problem) => `CHECK FAILED: ${problem}`).join('\n')}\n`
    : 'checks: synthesis, the cache and both processes read the same state machines; the empty cache stored one entry, the warm one none\n',
);
process.exitCode = failed ? 1 : 0;

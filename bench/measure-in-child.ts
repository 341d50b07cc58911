import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MeasurementRequest, MeasurementResult } from './measurement.ts';

const RUNNER = fileURLToPath(new URL('./run-measurement.ts', import.meta.url));

/**
 * Runs one measurement in a fresh `node --import tsx` process and returns what it reports. A
 * process per run gives each its own peak RSS (`/usr/bin/time -v` is not on every CI image)
 * and each DuckDB instance a cold start, as each delivered file gets. Its output goes to stderr,
 * so stdout carries only the tables.
 */
export function measureInChild(request: MeasurementRequest): Promise<MeasurementResult> {
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [JSON.stringify(request)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let result: MeasurementResult | undefined;
    child.on('message', (message) => {
      result = message as MeasurementResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`${request.kind} of ${request.file} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/**
 * One run of one `bench:assembly` measurement, in a process of its own so that its peak RSS and
 * its module imports are its own: started by bench/assembly.ts with an `AssemblyMeasurementRequest`
 * (JSON) as first argument, it sends an `AssemblyMeasurementResult` back over IPC. lib/stacks is
 * imported only by the measurement that synthesizes, as openOfflineEnvironment imports it only on
 * a miss.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openOfflineEnvironment, projectAssemblyInputs } from '../lib/cli/offline-environment.ts';
import { readCdkJsonContext } from '../lib/config/cdk-json.ts';
import { AssemblyCache, projectAssemblyCacheDirectory } from '../lib/local/assembly-cache/assembly-cache.ts';
import { assemblyKey } from '../lib/local/assembly-cache/assembly-key.ts';
import type { AssemblyRequest } from '../lib/local/runtime/synthesized-environment.ts';
import { readCloudAssembly } from '../lib/local/stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../lib/local/stepfunctions/definitions.ts';
import type { AssemblyMeasurementRequest, AssemblyMeasurementResult } from './assembly-measurement.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const ENVIRONMENT = 'dev';

function elapsedSince(started: number): number {
  return (performance.now() - started) / 1000;
}

function digest(machines: readonly SynthesizedStateMachine[]): Pick<AssemblyMeasurementResult, 'machinesDigest' | 'machineCount'> {
  const hash = createHash('sha256').update(JSON.stringify(machines)).digest('hex');
  return { machinesDigest: hash, machineCount: machines.length };
}

/** `maxRSS` is in KiB. */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function measure(request: AssemblyMeasurementRequest): Promise<AssemblyMeasurementResult> {
  const assemblyRequest: AssemblyRequest = {
    contractsRoot: join(repo, 'contracts'),
    context: readCdkJsonContext(join(request.projectRoot, 'cdk.json')),
    environment: ENVIRONMENT,
  };
  switch (request.kind) {
    case 'synthesize': {
      let started = performance.now();
      const { synthesizeAssembly } = await import('../lib/stacks/synthesize-assembly.ts');
      const importSeconds = elapsedSince(started);
      started = performance.now();
      const directory = await synthesizeAssembly(assemblyRequest.contractsRoot, ENVIRONMENT, { outdir: request.outdir, context: assemblyRequest.context });
      const machines = synthesizedStateMachines(readCloudAssembly(directory));
      return { seconds: elapsedSince(started), importSeconds, peakRssMb: peakRssMb(), ...digest(machines) };
    }
    case 'key': {
      const started = performance.now();
      assemblyKey(projectAssemblyInputs(assemblyRequest));
      return { seconds: elapsedSince(started), peakRssMb: peakRssMb() };
    }
    case 'hit': {
      if (request.key === undefined) throw new Error('the hit measurement needs the key of the entry to read');
      const started = performance.now();
      const stacks = new AssemblyCache(projectAssemblyCacheDirectory(request.projectRoot)).read(request.key);
      if (stacks === undefined) throw new Error(`the cache of ${request.projectRoot} has no entry ${request.key}`);
      const machines = synthesizedStateMachines(stacks);
      return { seconds: elapsedSince(started), peakRssMb: peakRssMb(), ...digest(machines) };
    }
    case 'process': {
      // As `lakehouse run` opens its environment.
      const started = performance.now();
      const environment = openOfflineEnvironment({ projectRoot: request.projectRoot, contractsRoot: assemblyRequest.contractsRoot, environment: ENVIRONMENT });
      const machines = await environment.stateMachines();
      return { seconds: elapsedSince(started), peakRssMb: peakRssMb(), ...digest(machines) };
    }
  }
}

const send = process.send?.bind(process);
if (send === undefined) throw new Error('bench/assembly-measurement.ts runs as a child of bench/assembly.ts (it reports over IPC)');
const result = await measure(JSON.parse(process.argv[2] ?? '') as AssemblyMeasurementRequest);
await new Promise<void>((resolve, reject) => send(result, (error: Error | null) => (error ? reject(error) : resolve())));
process.disconnect();

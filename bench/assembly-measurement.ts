/** What a `bench:assembly` run measures and what it reports (bench/run-assembly-measurement.ts runs one). */
/** What one run times, in the order the benchmark runs them. */
export const ASSEMBLY_MEASUREMENTS = ['synthesize', 'key', 'hit', 'process'] as const;
export type AssemblyMeasurementKind = (typeof ASSEMBLY_MEASUREMENTS)[number];

export interface AssemblyMeasurementRequest {
  readonly kind: AssemblyMeasurementKind;
  /** A folder holding a copy of `cdk.json`; its `.lake/assemblies` is the cache measured. */
  readonly projectRoot: string;
  /** Where `synthesize` writes its assembly. */
  readonly outdir: string;
  /** The entry `hit` reads: the one the process on an empty cache stored. */
  readonly key?: string;
}

export interface AssemblyMeasurementResult {
  /** The work the measurement names, timed inside the process (the parent times `process` from the outside). */
  readonly seconds: number;
  /** `synthesize` only: importing lib/stacks and aws-cdk-lib, which a hit never does. */
  readonly importSeconds?: number;
  /** The process's peak resident set size over its whole life, in MiB. */
  readonly peakRssMb: number;
  /** A hash of every state machine read (name, ARN, definition), to check each way reads the same ones. */
  readonly machinesDigest?: string;
  readonly machineCount?: number;
}

import type { BenchFormat } from './orders-data.ts';

/** What one run times, in the order the benchmark runs them. */
export const MEASUREMENTS = ['parse', 'generated', 'handWritten', 'validate'] as const;
export type MeasurementKind = (typeof MEASUREMENTS)[number];

export const MEASUREMENT_LABELS: Readonly<Record<MeasurementKind, string>> = {
  parse: 'parse (openSource scan)',
  generated: 'metrics, generated',
  handWritten: 'metrics, hand-written',
  validate: 'validateFile + Parquet',
};

export interface MeasurementRequest {
  readonly kind: MeasurementKind;
  readonly format: BenchFormat;
  readonly file: string;
}

/** What validateFile reported, to check against the defects the generator wrote. */
export interface ValidationOutcome {
  readonly rowCount: number;
  readonly rowsPassed: number;
  readonly rowsQuarantined: number;
  /** Failing rows of every rule that failed any, by rule id. */
  readonly failures: Readonly<Record<string, number>>;
}

/** One run's result, sent by the child process that ran it. */
export interface MeasurementResult {
  readonly seconds: number;
  /** The child process's peak resident set size over its whole life, in MiB. */
  readonly peakRssMb: number;
  /** Measurements by rule id, from the metrics queries. */
  readonly ruleMetrics?: readonly (readonly [string, readonly (number | null)[]])[];
  readonly validation?: ValidationOutcome;
}

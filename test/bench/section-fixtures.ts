import type { MeasurementKind, MeasurementResult } from '../../bench/measurement.ts';
import type { BenchFormat } from '../../bench/orders-data.ts';
import type { CheckedSection } from '../../bench/section.ts';

export interface FixtureRun {
  readonly seconds: number;
  readonly peakRssMb?: number;
}

/** A section whose every measurement ran with the given figures (one run each unless more are given), its checks passed. */
export function sectionOf(
  format: BenchFormat,
  rows: number,
  runs: Readonly<Record<MeasurementKind, readonly FixtureRun[]>>,
  extra: Partial<Record<MeasurementKind, Partial<MeasurementResult>>> = {},
): CheckedSection {
  const results = (kind: MeasurementKind): MeasurementResult[] =>
    runs[kind].map(({ seconds, peakRssMb }) => ({ seconds, peakRssMb: peakRssMb ?? 200, ...extra[kind] }));
  return {
    format,
    rows,
    fileBytes: rows * 64,
    problems: [],
    runs: { parse: results('parse'), generated: results('generated'), handWritten: results('handWritten'), validate: results('validate') },
  };
}

/** Every measurement took these seconds, in one run each. */
export function uniform(seconds: number, peakRssMb?: number): Record<MeasurementKind, FixtureRun[]> {
  const run = peakRssMb === undefined ? { seconds } : { seconds, peakRssMb };
  return { parse: [run], generated: [run], handWritten: [run], validate: [run] };
}

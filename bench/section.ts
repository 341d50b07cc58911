import { median } from './median.ts';
import type { MeasurementKind, MeasurementResult } from './measurement.ts';
import type { BenchFormat } from './orders-data.ts';

/** Every run of every measurement over one file. */
export interface SectionResults {
  readonly format: BenchFormat;
  readonly rows: number;
  readonly fileBytes: number;
  readonly runs: Readonly<Record<MeasurementKind, readonly MeasurementResult[]>>;
}

/** A section and every way its figures cannot be trusted (`sectionProblems`); none when its checks passed. */
export interface CheckedSection extends SectionResults {
  readonly problems: readonly string[];
}

export interface MeasurementSummary {
  readonly seconds: readonly number[];
  readonly medianSeconds: number;
  /** The highest peak of any run. */
  readonly peakRssMb: number;
}

export const MIB = 1024 * 1024;

export function summarize(results: readonly MeasurementResult[]): MeasurementSummary {
  const seconds = results.map((result) => result.seconds);
  return { seconds, medianSeconds: median(seconds), peakRssMb: Math.max(...results.map((result) => result.peakRssMb)) };
}

/** How much longer the generated metrics query takes than the hand-written one, by median. */
export function generatedToHandWritten(section: SectionResults): number {
  return summarize(section.runs.generated).medianSeconds / summarize(section.runs.handWritten).medianSeconds;
}

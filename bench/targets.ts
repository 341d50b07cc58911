import { MEASUREMENT_LABELS, MEASUREMENTS, type MeasurementKind } from './measurement.ts';
import type { BenchFormat } from './orders-data.ts';
import { generatedToHandWritten, summarize, type SectionResults } from './section.ts';

/** Issue 3, item 9: on 2 cores, narrow rows. */
export const TARGETS = {
  maxGeneratedToHandWritten: 1.25,
  minMetricsRowsPerSecond: { csv: 2_000_000, parquet: 4_500_000 } as Readonly<Record<BenchFormat, number>>,
  maxPeakRssMb: 512,
  peakRssRows: 5_000_000,
  scalingRows: { small: 1_000_000, large: 5_000_000 },
  maxScalingFactor: 5.5,
} as const;

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  /** Undefined when the target's sizes were not measured. */
  readonly pass?: boolean;
}

const SCALED_MEASUREMENTS: readonly MeasurementKind[] = ['generated', 'validate'];

const count = (value: number) => value.toLocaleString('en-US');
const millions = (value: number) => `${(value / 1_000_000).toFixed(2)}M`;

function formatVerdicts(format: BenchFormat, sections: readonly SectionResults[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const bySize = new Map(sections.filter((section) => section.format === format).map((section) => [section.rows, section]));
  const where = (rows: number) => `${format} ${count(rows)} rows`;

  for (const section of bySize.values()) {
    const ratio = generatedToHandWritten(section);
    verdicts.push({
      target: `${where(section.rows)}: metrics generated / hand-written <= ${TARGETS.maxGeneratedToHandWritten}`,
      measured: ratio.toFixed(2),
      pass: ratio <= TARGETS.maxGeneratedToHandWritten,
    });
  }
  const minimum = TARGETS.minMetricsRowsPerSecond[format];
  for (const section of bySize.values()) {
    const { medianSeconds } = summarize(section.runs.generated);
    const rowsPerSecond = section.rows / medianSeconds;
    verdicts.push({
      target: `${where(section.rows)}: metrics with exact duplicate keys >= ${millions(minimum)} rows/s`,
      measured: `${millions(rowsPerSecond)} rows/s (${medianSeconds.toFixed(2)} s)`,
      pass: rowsPerSecond >= minimum,
    });
  }

  const large = bySize.get(TARGETS.peakRssRows);
  const rssTarget = `${where(TARGETS.peakRssRows)}: peak RSS < ${TARGETS.maxPeakRssMb} MB, every measurement`;
  if (large === undefined) verdicts.push({ target: rssTarget, measured: 'not measured' });
  else {
    const [kind, peak] = MEASUREMENTS.map((kind) => [kind, summarize(large.runs[kind]).peakRssMb] as const).reduce((a, b) => (b[1] > a[1] ? b : a));
    verdicts.push({ target: rssTarget, measured: `${peak.toFixed(0)} MB (${MEASUREMENT_LABELS[kind]})`, pass: peak < TARGETS.maxPeakRssMb });
  }

  const { small, large: largeRows } = TARGETS.scalingRows;
  for (const kind of SCALED_MEASUREMENTS) {
    const target = `${format}: ${MEASUREMENT_LABELS[kind]}, ${count(largeRows)} rows in <= ${TARGETS.maxScalingFactor}x the time of ${count(small)}`;
    const smallSection = bySize.get(small);
    const largeSection = bySize.get(largeRows);
    if (smallSection === undefined || largeSection === undefined) {
      verdicts.push({ target, measured: 'not measured' });
      continue;
    }
    const smallSeconds = summarize(smallSection.runs[kind]).medianSeconds;
    const largeSeconds = summarize(largeSection.runs[kind]).medianSeconds;
    const factor = largeSeconds / smallSeconds;
    verdicts.push({
      target,
      measured: `${factor.toFixed(2)}x (${largeSeconds.toFixed(2)} s / ${smallSeconds.toFixed(2)} s)`,
      pass: factor <= TARGETS.maxScalingFactor,
    });
  }
  return verdicts;
}

/** Each target of issue 3, item 9, judged on the measured sections, format by format. */
export function verdicts(sections: readonly SectionResults[]): Verdict[] {
  const formats = [...new Set(sections.map((section) => section.format))];
  return formats.flatMap((format) => formatVerdicts(format, sections));
}

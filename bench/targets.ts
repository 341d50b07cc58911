import { MEASUREMENT_LABELS, MEASUREMENTS, type MeasurementKind } from './measurement.ts';
import type { BenchFormat } from './orders-data.ts';
import { generatedToHandWritten, summarize, type CheckedSection } from './section.ts';

/** Issue 3, item 9: on 2 cores, narrow rows. */
export const TARGETS = {
  maxGeneratedToHandWritten: 1.25,
  minMetricsRowsPerSecond: { csv: 2_000_000, parquet: 4_500_000 } as Readonly<Record<BenchFormat, number>>,
  maxPeakRssMb: 512,
  peakRssRows: 5_000_000,
  scalingRows: { small: 1_000_000, large: 5_000_000 },
  maxScalingFactor: 5.5,
} as const;

/**
 * PASS and MISS judge a target on trusted figures; FAIL, whatever the figures, when a check of a
 * section they come from failed: then they time other work than the target names (a metrics
 * query that measures something else, a validation that missed defects); n/a when not measured.
 */
export type Outcome = 'PASS' | 'MISS' | 'FAIL' | 'n/a';

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly outcome: Outcome;
}

/** A target's verdict on figures from `sources`, whose failed checks outweigh whether the figures met it. */
function judged(target: string, measured: string, met: boolean, sources: readonly CheckedSection[]): Verdict {
  const untrusted = sources.some((section) => section.problems.length > 0);
  return untrusted ? { target, measured: `${measured}, from a section whose checks failed`, outcome: 'FAIL' } : { target, measured, outcome: met ? 'PASS' : 'MISS' };
}

const SCALED_MEASUREMENTS: readonly MeasurementKind[] = ['generated', 'validate'];

const count = (value: number) => value.toLocaleString('en-US');
const millions = (value: number) => `${(value / 1_000_000).toFixed(2)}M`;

function formatVerdicts(format: BenchFormat, sections: readonly CheckedSection[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const bySize = new Map(sections.filter((section) => section.format === format).map((section) => [section.rows, section]));
  const where = (rows: number) => `${format} ${count(rows)} rows`;

  for (const section of bySize.values()) {
    const failed = section.problems.length;
    verdicts.push({
      target: `${where(section.rows)}: checks (hand-written metrics equal the generated ones, validateFile finds the defects written)`,
      measured: failed === 0 ? 'all passed' : `${failed} failed (CHECK FAILED lines above)`,
      outcome: failed === 0 ? 'PASS' : 'FAIL',
    });
  }
  for (const section of bySize.values()) {
    const ratio = generatedToHandWritten(section);
    const target = `${where(section.rows)}: metrics generated / hand-written <= ${TARGETS.maxGeneratedToHandWritten}`;
    verdicts.push(judged(target, ratio.toFixed(2), ratio <= TARGETS.maxGeneratedToHandWritten, [section]));
  }
  const minimum = TARGETS.minMetricsRowsPerSecond[format];
  for (const section of bySize.values()) {
    const { medianSeconds } = summarize(section.runs.generated);
    const rowsPerSecond = section.rows / medianSeconds;
    const target = `${where(section.rows)}: metrics with exact duplicate keys >= ${millions(minimum)} rows/s`;
    verdicts.push(judged(target, `${millions(rowsPerSecond)} rows/s (${medianSeconds.toFixed(2)} s)`, rowsPerSecond >= minimum, [section]));
  }

  const large = bySize.get(TARGETS.peakRssRows);
  const rssTarget = `${where(TARGETS.peakRssRows)}: peak RSS < ${TARGETS.maxPeakRssMb} MB, every measurement`;
  if (large === undefined) verdicts.push({ target: rssTarget, measured: 'not measured', outcome: 'n/a' });
  else {
    const [kind, peak] = MEASUREMENTS.map((kind) => [kind, summarize(large.runs[kind]).peakRssMb] as const).reduce((a, b) => (b[1] > a[1] ? b : a));
    verdicts.push(judged(rssTarget, `${peak.toFixed(0)} MB (${MEASUREMENT_LABELS[kind]})`, peak < TARGETS.maxPeakRssMb, [large]));
  }

  const { small, large: largeRows } = TARGETS.scalingRows;
  for (const kind of SCALED_MEASUREMENTS) {
    const target = `${format}: ${MEASUREMENT_LABELS[kind]}, ${count(largeRows)} rows in <= ${TARGETS.maxScalingFactor}x the time of ${count(small)}`;
    const smallSection = bySize.get(small);
    const largeSection = bySize.get(largeRows);
    if (smallSection === undefined || largeSection === undefined) {
      verdicts.push({ target, measured: 'not measured', outcome: 'n/a' });
      continue;
    }
    const smallSeconds = summarize(smallSection.runs[kind]).medianSeconds;
    const largeSeconds = summarize(largeSection.runs[kind]).medianSeconds;
    const factor = largeSeconds / smallSeconds;
    const measured = `${factor.toFixed(2)}x (${largeSeconds.toFixed(2)} s / ${smallSeconds.toFixed(2)} s)`;
    verdicts.push(judged(target, measured, factor <= TARGETS.maxScalingFactor, [smallSection, largeSection]));
  }
  return verdicts;
}

/** Each section's checks, then each target of issue 3, item 9, judged on the measured sections, format by format. */
export function verdicts(sections: readonly CheckedSection[]): Verdict[] {
  const formats = [...new Set(sections.map((section) => section.format))];
  return formats.flatMap((format) => formatVerdicts(format, sections));
}

/** 1 when any verdict is FAIL: figures that time other work must not pass as a benchmark; missed targets only report. */
export function exitCodeOf(judged: readonly Verdict[]): 0 | 1 {
  return judged.some((verdict) => verdict.outcome === 'FAIL') ? 1 : 0;
}

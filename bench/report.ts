import { MEASUREMENT_LABELS, MEASUREMENTS } from './measurement.ts';
import { generatedToHandWritten, MIB, summarize, type CheckedSection } from './section.ts';
import type { Verdict } from './targets.ts';

/** Pads every column to its widest cell; numbers read best right-aligned, words left-aligned. */
function alignColumns(rows: readonly (readonly string[])[], rightAligned: (column: number) => boolean): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (rightAligned(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** One file's table: every run, medians, throughput, peak RSS, the ratio, and whether the figures can be trusted. */
export function formatSection(section: CheckedSection): string {
  const fileMb = section.fileBytes / MIB;
  const header = ['measurement', 'runs (s)', 'median s', 'rows/s', 'MB/s', 'peak RSS MB'];
  const body = MEASUREMENTS.map((kind) => {
    const { seconds, medianSeconds, peakRssMb } = summarize(section.runs[kind]);
    return [
      MEASUREMENT_LABELS[kind],
      seconds.map((value) => value.toFixed(3)).join(' '),
      medianSeconds.toFixed(3),
      `${(section.rows / medianSeconds / 1_000_000).toFixed(2)}M`,
      (fileMb / medianSeconds).toFixed(1),
      peakRssMb.toFixed(0),
    ];
  });
  const checks =
    section.problems.length === 0
      ? ['checks: the hand-written metrics equal the generated ones; validateFile found exactly the defects the generator wrote']
      : section.problems.map((problem) => `CHECK FAILED: ${problem}`);
  return [
    `${section.format}, ${section.rows.toLocaleString('en-US')} rows, ${fileMb.toFixed(1)} MB`,
    ...alignColumns([header, ...body], (column) => column > 1),
    `metrics generated / hand-written: ${generatedToHandWritten(section).toFixed(2)}`,
    ...checks,
  ].join('\n');
}

export function formatVerdicts(verdicts: readonly Verdict[]): string {
  const rows = verdicts.map((verdict) => [verdict.outcome, verdict.target, verdict.measured]);
  return ['verdict (issue 3, item 9 targets)', ...alignColumns(rows, () => false).map((line) => `  ${line}`)].join('\n');
}

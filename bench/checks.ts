import { metricDifferences } from './hand-written-metrics.ts';
import { MEASUREMENT_LABELS, type MeasurementResult, type ValidationOutcome } from './measurement.ts';
import { expectedFailures, expectedQuarantinedRows } from './orders-data.ts';
import type { SectionResults } from './section.ts';

function ruleMetrics(result: MeasurementResult | undefined): Map<string, readonly (number | null)[]> {
  return new Map(result?.ruleMetrics ?? []);
}

/** How validateFile's report differs from the rows and defects the generator wrote. */
export function validationMismatches(outcome: ValidationOutcome, rows: number): string[] {
  const mismatches: string[] = [];
  const quarantined = expectedQuarantinedRows(rows);
  const counts = [
    ['rowCount', outcome.rowCount, rows],
    ['rowsQuarantined', outcome.rowsQuarantined, quarantined],
    ['rowsPassed', outcome.rowsPassed, rows - quarantined],
  ] as const;
  for (const [name, reported, written] of counts) {
    if (reported !== written) mismatches.push(`validateFile reported ${name} ${reported}; the generator wrote ${written}`);
  }
  const broken = Object.fromEntries(Object.entries(expectedFailures(rows)).filter(([, count]) => count > 0));
  for (const [ruleId, reported] of Object.entries(outcome.failures)) {
    const count = broken[ruleId];
    if (count === undefined) mismatches.push(`validateFile failed ${ruleId} (${reported} rows); the generator broke no such rule`);
    else if (reported !== count) mismatches.push(`validateFile reported ${reported} failing rows for ${ruleId}; the generator wrote ${count}`);
  }
  for (const [ruleId, count] of Object.entries(broken)) {
    if (!(ruleId in outcome.failures)) mismatches.push(`validateFile passed ${ruleId}; the generator wrote ${count} failing rows`);
  }
  return mismatches;
}

/**
 * What makes a section's figures untrustworthy: hand-written metrics that are not the generated
 * ones (then the ratio compares different work), or a validation that did not find the defects
 * the generator wrote (then it did not do the work it is timed for).
 */
export function sectionProblems(section: SectionResults): string[] {
  const problems = new Set<string>();
  // Two runs that sent no measurements would compare equal: nothing compared must not pass.
  for (const kind of ['generated', 'handWritten'] as const) {
    if (section.runs[kind].some((result) => result.ruleMetrics === undefined || result.ruleMetrics.length === 0)) {
      problems.add(`a run of '${MEASUREMENT_LABELS[kind]}' sent no measurements`);
    }
  }
  const [generated] = section.runs.generated;
  const [handWritten] = section.runs.handWritten;
  if (generated !== undefined && handWritten !== undefined) {
    for (const difference of metricDifferences(ruleMetrics(generated), ruleMetrics(handWritten))) problems.add(difference);
  }
  for (const { validation } of section.runs.validate) {
    if (validation === undefined) problems.add('validateFile sent no outcome');
    else for (const mismatch of validationMismatches(validation, section.rows)) problems.add(mismatch);
  }
  return [...problems];
}

import type { NotEnforcedKind, Operator, Severity } from '../contracts/model.ts';

/**
 * The validation report: a public interface (DESIGN.md, "Public interfaces"). Scripts read it as
 * JSON, so renaming or removing a field, or changing what an existing field or value means, needs
 * a new `reportVersion`. Additions keep version 1, and readers must allow for them: a new field
 * (a rule's `status`), new members of an enum (rule kinds such as `multipleOf`, `format`, `between`,
 * `text`, `custom`, `sla`, `timezone`; the status `notEvaluated`) and new rules that never change the
 * file's verdict (`notEvaluated` rules: `passed` false, yet they never fail the file).
 */
export interface ValidationReport {
  readonly reportVersion: 1;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  readonly contractId: string;
  readonly contractVersion: string;
  /** The file as given: a path or an `s3://` URI. */
  readonly file: string;
  /** No rule of severity error failed; a `notEvaluated` rule never fails the file. */
  readonly passed: boolean;
  /** Data rows read; 0 when the file could not be read. */
  readonly rowCount: number;
  readonly rowsPassed: number;
  readonly rowsQuarantined: number;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly rules: readonly RuleResult[];
}

export type RuleKind =
  | 'readable'
  | 'schema'
  | 'required'
  | 'type'
  | 'unique'
  | 'minimum'
  | 'maximum'
  | 'exclusiveMinimum'
  | 'exclusiveMaximum'
  /** A translated Great Expectations `between`: one range, both ends. */
  | 'between'
  | 'pattern'
  | 'minLength'
  | 'maxLength'
  | 'multipleOf'
  | 'minItems'
  | 'maxItems'
  | 'uniqueItems'
  | 'validValues'
  | 'nullValues'
  | 'missingValues'
  | 'invalidValues'
  | 'duplicateValues'
  | 'rowCount'
  | 'freshness'
  | 'classBalance'
  | 'sql'
  /** A contract entry nothing enforces (`Dataset.notEnforced`): always status `notEvaluated`. */
  | NotEnforcedKind;

/** A quality threshold as reported; `seconds` is the unit of a freshness limit. */
export interface ReportThreshold {
  readonly operator: Operator;
  readonly value: number | readonly [number, number];
  readonly unit: 'rows' | 'percent' | 'seconds';
}

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface RuleSample {
  /** 1-based among data rows. */
  readonly row: number;
  /** The value as delivered; `"***"` for a sensitive column; an object by column for a multi-column key. */
  readonly value: JsonValue;
}

/**
 * `passed` and `failed` are the verdict of a rule that ran. `notEvaluated` is a rule of the
 * contract that nothing runs (a text rule, another engine's custom rule, an unchecked format, an
 * SLA kind not measured): `passed` is false, so it is never taken for a pass, yet it never fails
 * the file; `message` says why it was not evaluated.
 */
export type RuleStatus = 'passed' | 'failed' | 'notEvaluated';

export interface RuleResult {
  /** The contract's rule `id`, else `<column>.<kind>`, or `<kind>` for table-level rules; `#2`, `#3` when repeated. */
  readonly id: string;
  readonly kind: RuleKind;
  /** The column, or a nested field's path (`address.zip`, `lines[].qty`); null for table-level rules and rules over several columns. */
  readonly column: string | null;
  readonly severity: Severity;
  readonly status: RuleStatus;
  /** True only for status `passed`. */
  readonly passed: boolean;
  /** Rows failing the rule; 0 for table-level rules. */
  readonly failedCount: number;
  /** 0 to 100, of the rule's denominator: all rows for completeness rules, else the non-null values. */
  readonly failedPercent: number;
  /** The measured value compared with the threshold; null when nothing could be measured. */
  readonly observed: number | null;
  /** Null when any failing row fails the rule. */
  readonly threshold: ReportThreshold | null;
  /** At most 5 failing rows, for failed rules only. */
  readonly samples: readonly RuleSample[];
  /**
   * Only where there is a reason to give: why the file could not be read or did not match the
   * contract's columns (`readable`, `schema`), why a failed `sql` rule's query could not run, and
   * on every `notEvaluated` rule, why nothing runs it.
   */
  readonly message?: string;
}

/**
 * A rule's result when nothing was measured for it (the file could not be read, or nothing runs
 * the rule): not passed, no row counted or sampled, no value observed or compared, and `message`
 * says why.
 */
export function unmeasuredRuleResult(
  rule: Pick<RuleResult, 'id' | 'kind' | 'column' | 'severity'> & { readonly status: Exclude<RuleStatus, 'passed'>; readonly message: string },
): RuleResult {
  return {
    id: rule.id,
    kind: rule.kind,
    column: rule.column,
    severity: rule.severity,
    status: rule.status,
    passed: false,
    failedCount: 0,
    failedPercent: 0,
    observed: null,
    threshold: null,
    samples: [],
    message: rule.message,
  };
}

import { METRICS_NAMESPACE, VALIDATION_METRICS } from '../ingest/validation-metrics.ts';
import { OPERATIONAL_METRICS } from './operational-metrics.ts';

/**
 * Every kind of alarm the app creates, as text: the constructs render alarm descriptions from it
 * and the docs site renders one runbook page per kind, so what an on-call engineer reads in a
 * notification and on the runbook page are the same words.
 */

/** Where every alarm description sends the reader: the README's alarms section, one paragraph per alarm kind. */
export const ALARMS_RUNBOOK = 'README.md#alarms';

/** Error: data is missing or wrong, someone acts now. Warning: a tolerated rule is slipping. */
export type AlarmPriority = 'error' | 'warning';

export const ALARM_PRIORITY_LABEL: Record<AlarmPriority, string> = { error: '[error]', warning: '[warning, low priority]' };

/**
 * What an alarm is about: the `<domain>/<dataset>` (or domain, or model) it names, and what some
 * kinds also name. The docs site passes placeholders, the constructs the real names.
 */
export interface AlarmSubject {
  readonly name: string;
  readonly environment?: string;
  readonly rule?: string;
  readonly dashboard?: string;
}

/** Text that names its subject, or plain text. */
export type AlarmText = string | ((subject: AlarmSubject) => string);

export function renderAlarmText(text: AlarmText, subject: AlarmSubject): string {
  return typeof text === 'string' ? text : text(subject);
}

/** What an alarm is named after, which decides the start of its name (`alarmNamePattern`). */
export type AlarmScope = 'dataset' | 'model' | 'domain' | 'platform';

export interface AlarmKind {
  /** The end of the alarm's name; `<rule id>` stands for the part that varies per alarm. */
  readonly suffix: string;
  readonly scope: AlarmScope;
  readonly priority: AlarmPriority;
  /** One line, for a runbook page's heading. */
  readonly title: string;
  /** The metric the alarm watches, for the reader; a composite watches alarms, not a metric. */
  readonly metric?: { readonly namespace: string; readonly name: string };
  readonly whatBroke: AlarmText;
  readonly whatToDoFirst: AlarmText;
}

export const ALARM_KINDS = {
  pipelineFailed: {
    suffix: 'pipeline-failed',
    scope: 'dataset',
    priority: 'error',
    title: 'Pipeline failed',
    metric: { namespace: 'AWS/States', name: 'ExecutionsFailed' },
    whatBroke: ({ name }) => `The pipeline of ${name} failed: landed files were not loaded into silver.`,
    whatToDoFirst: 'open the failed execution, read its error and cause, fix, then re-land the file.',
  },
  pipelineTimedOut: {
    suffix: 'pipeline-timed-out',
    scope: 'dataset',
    priority: 'error',
    title: 'Pipeline timed out',
    metric: { namespace: 'AWS/States', name: 'ExecutionsTimedOut' },
    whatBroke: ({ name }) => `The pipeline of ${name} timed out: a load may hold the dataset's lock.`,
    whatToDoFirst: "find the stuck state in the execution's history (often an Athena query), then re-land the file.",
  },
  validatorErrors: {
    suffix: 'validator-errors',
    scope: 'dataset',
    priority: 'error',
    title: 'Validator crashed',
    metric: { namespace: 'AWS/Lambda', name: 'Errors' },
    whatBroke: ({ name }) => `The validator of ${name} crashed (not a contract failure): files go unvalidated.`,
    whatToDoFirst: "read the function's log for the error (memory, timeout, unreadable file).",
  },
  filesRejected: {
    suffix: 'files-rejected',
    scope: 'dataset',
    priority: 'error',
    title: 'Files rejected by their contract',
    metric: { namespace: METRICS_NAMESPACE, name: VALIDATION_METRICS.filesFailed },
    whatBroke: ({ name }) => `Files of ${name} failed an error-severity rule of their contract and were quarantined.`,
    whatToDoFirst: "read the file's validation report in the audit zone, then tell the producer.",
  },
  rowsQuarantined: {
    suffix: 'rows-quarantined',
    scope: 'dataset',
    priority: 'error',
    title: 'Rows quarantined',
    metric: { namespace: METRICS_NAMESPACE, name: VALIDATION_METRICS.rowsQuarantined },
    whatBroke: ({ name }) => `Rows of ${name} failed an error-severity rule and were quarantined; the rest loaded.`,
    whatToDoFirst: "read the validation report's failing rules and samples, then tell the producer.",
  },
  warningRule: {
    suffix: 'warning-<rule id>',
    scope: 'dataset',
    priority: 'warning',
    title: 'Warning rule breached',
    metric: { namespace: METRICS_NAMESPACE, name: VALIDATION_METRICS.ruleFailedRows },
    whatBroke: ({ name, rule }) => `Warning rule '${rule ?? '<rule id>'}' of ${name} had failing rows or failed; files still loaded.`,
    whatToDoFirst: 'check the trend in the validation reports, then agree with the producer or the contract owner.',
  },
  freshness: {
    suffix: 'freshness',
    scope: 'dataset',
    priority: 'error',
    title: 'Freshness SLA breached',
    metric: { namespace: METRICS_NAMESPACE, name: OPERATIONAL_METRICS.lastLoadAgeSeconds },
    whatBroke: ({ name }) =>
      `${name} was last loaded longer ago than its contract allows (its frequency SLA, else its freshness maxAge, plus the grace), or the freshness check stopped measuring it.`,
    whatToDoFirst:
      "look for the dataset's latest file in the landing zone: none means ask the producer; a file there means open the pipeline's latest execution (rejected or failed); no LastLoadAgeSeconds data means read the freshness check's log.",
  },
  testsFailed: {
    suffix: 'tests-failed',
    scope: 'model',
    priority: 'error',
    title: 'Model tests failed',
    metric: { namespace: METRICS_NAMESPACE, name: OPERATIONAL_METRICS.modelTestFailures },
    whatBroke: ({ name }) => `An error-severity test of model ${name} found failing rows: the model was not published and the models reading it were skipped.`,
    whatToDoFirst:
      "read the owner's alert (failures per test) or the failed build execution, run the failing test's query in the pipeline workgroup to see its rows, then fix the input data or the model.",
  },
  bytesScanned: {
    suffix: '<workgroup kind>-bytes-scanned',
    scope: 'domain',
    priority: 'warning',
    title: 'Bytes scanned far above normal',
    metric: { namespace: 'AWS/Athena', name: 'ProcessedBytes' },
    whatBroke: ({ name }) => `Athena queries in the ${name} workgroup scanned far more bytes than usual (above the anomaly band): cost is running up.`,
    whatToDoFirst:
      "find the largest queries in the workgroup's query history (Athena console, sorted by data scanned), then check a model or query missing its partition filter or reading a whole table.",
  },
  freshnessCheckErrors: {
    suffix: '<domain>-freshness-check-errors',
    scope: 'platform',
    priority: 'error',
    title: 'Freshness check failing',
    metric: { namespace: 'AWS/Lambda', name: 'Errors' },
    whatBroke: ({ name }) => `The freshness check of ${name} failed: some datasets' last loads were not measured, so their freshness alarms cannot be trusted.`,
    whatToDoFirst: "read the function's log: it names each dataset it could not measure and the error (permissions, a pipeline missing, throttling).",
  },
  health: {
    suffix: 'health',
    scope: 'domain',
    priority: 'error',
    title: 'Domain unhealthy',
    whatBroke: ({ name }) => `A dataset of ${name} failed or timed out, was rejected, had rows quarantined, went stale or its validator crashed, or a model's tests failed.`,
    whatToDoFirst: ({ name, environment = '<env>', dashboard = `<org>-${environment}-${name}` }) =>
      `open the dashboard ${dashboard}, find which alarm named ${environment}-${name}-, then a dataset or model and what broke, is in ALARM, then follow its description.`,
  },
} as const satisfies Record<string, AlarmKind>;

const NAME_START: Record<AlarmScope, string> = {
  dataset: '<env>-<domain>-<dataset>-',
  model: '<env>-<domain>-<model>-',
  domain: '<env>-<domain>-',
  platform: '<env>-platform-',
};

/** The names of a kind's alarms, with placeholders, e.g. `<env>-<domain>-<dataset>-pipeline-failed`, for the runbook. */
export function alarmNamePattern(kind: AlarmKind): string {
  return `${NAME_START[kind.scope]}${kind.suffix}`;
}

/** The suffix of a domain workgroup's bytes-scanned alarm: `workgroup` (the analysts') or `pipeline-workgroup`. */
export function bytesScannedSuffix(workgroupKind: string): string {
  return `${workgroupKind}-bytes-scanned`;
}

/** The suffix of a domain's freshness check errors alarm, `<env>-platform-<this>`. */
export function freshnessCheckErrorsSuffix(domain: string): string {
  return `${domain}-freshness-check-errors`;
}

/** The suffix of one warning rule's alarm. */
export function warningRuleSuffix(ruleId: string): string {
  return `warning-${ruleId}`;
}

/**
 * An alarm's description, which the notification carries: priority first, then what broke, what
 * to do first and the runbook paragraph of its kind (named by `suffix`, the kind's own by default).
 */
export function alarmDescription(kind: AlarmKind, subject: AlarmSubject, suffix: string = kind.suffix): string {
  const label = ALARM_PRIORITY_LABEL[kind.priority];
  return `${label} ${renderAlarmText(kind.whatBroke, subject)} First: ${renderAlarmText(kind.whatToDoFirst, subject)} Runbook: ${ALARMS_RUNBOOK} (${suffix}).`;
}

/**
 * Typed settings read from the CDK context (`cdk.json` plus `-c key=value`). Every problem is
 * collected and reported at once, each naming `cdk.json` and the key; a key we do not know is an
 * error (with a did-you-mean), so a misspelling never falls back to a default silently.
 */
import { didYouMean } from '../contracts/did-you-mean.ts';
import { bucketNameProblem } from './names.ts';

export type RemovalPolicySetting = 'retain' | 'destroy';
export type ModelApproval = 'auto' | 'manual';

export interface EnvironmentSettings {
  /** The key under `environments`, e.g. `dev`: the Stage id and part of every physical name. */
  readonly name: string;
  /** From `account`, else `CDK_DEFAULT_ACCOUNT`. */
  readonly account: string;
  /** From `region`, else `CDK_DEFAULT_REGION`. */
  readonly region: string;
  /**
   * What happens to stateful resources (buckets, key, Glue catalog) when their stack is deleted.
   * @default 'retain'
   */
  readonly removalPolicy: RemovalPolicySetting;
  /**
   * Default approval of newly registered models.
   * @default 'manual'
   */
  readonly modelApproval: ModelApproval;
  /** Athena cancels a query of a domain's analysts' workgroup that scans more bytes than this. Required. */
  readonly athenaBytesScannedCutoffPerQuery: number;
  /**
   * Athena cancels a query of a domain's pipeline workgroup (loads, builds, maintenance, table DDL)
   * that scans more bytes than this. Those queries read whole tables, so a cutoff sized for ad-hoc
   * queries would stop loads once a table outgrows it.
   * @default no cutoff
   */
  readonly pipelineBytesScannedCutoffPerQuery?: number;
  /**
   * Days after which Athena query results expire. No contract governs them and Athena tags
   * nothing, so without an expiry every result would be kept forever.
   * @default 30
   */
  readonly athenaResultsRetentionDays: number;
  /**
   * Days after which S3 server access logs expire; the logging service tags nothing.
   * @default 365
   */
  readonly accessLogRetentionDays: number;
  /**
   * Periods and thresholds of the dataset alarms (`alarms` in `cdk.json`, every key optional).
   * @default DEFAULT_ALARM_SETTINGS
   */
  readonly alarms: AlarmSettings;
  /**
   * US dollars Athena charges per terabyte scanned in the environment's region: the dashboards turn
   * the workgroups' bytes scanned into cost with it.
   * @default DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED
   */
  readonly athenaUsdPerTerabyteScanned: number;
}

/**
 * Athena's price for SQL queries, 5 USD per TB scanned in most regions (https://aws.amazon.com/athena/pricing/);
 * a region that charges otherwise sets `athenaUsdPerTerabyteScanned`.
 */
export const DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED = 5;

/**
 * When a dataset's alarms fire: each threshold is a count within one period, reached in
 * `evaluationPeriods` consecutive periods.
 */
export interface AlarmSettings {
  /** Seconds per evaluated period: 10, 30 or a multiple of 60. @default 300 */
  readonly periodSeconds: number;
  /** Consecutive breaching periods before an alarm fires. @default 1 */
  readonly evaluationPeriods: number;
  /** Failed pipeline executions (Step Functions `ExecutionsFailed`). @default 1 */
  readonly pipelineFailures: number;
  /** Timed-out pipeline executions (`ExecutionsTimedOut`). @default 1 */
  readonly pipelineTimeouts: number;
  /** Validator invocation errors (Lambda `Errors`). @default 1 */
  readonly validatorErrors: number;
  /** Files rejected for an error-severity rule (`FilesFailed`). @default 1 */
  readonly rejectedFiles: number;
  /** Rows quarantined for an error-severity rule (`RowsQuarantined`), for `quarantine-rows` datasets. @default 1 */
  readonly quarantinedRows: number;
  /** Files on which a warning-severity rule reported failing rows or failed (`RuleFailedRows` samples). @default 1 */
  readonly warningRuleBreaches: number;
  /** Builds in which a gold model's error-severity tests failed (`ModelTestFailures`). @default 1 */
  readonly modelTestFailures: number;
  /**
   * Minutes between two runs of a domain's freshness check, which publishes `LastLoadAgeSeconds`;
   * also the period of the freshness alarms. @default 15
   */
  readonly freshnessCheckMinutes: number;
  /**
   * Seconds a dataset's last load may be older than its contract's threshold (`frequency`, else the
   * freshness `maxAge`) before its freshness alarm fires: a delivery a little late is not a breach. @default 900
   */
  readonly freshnessGraceSeconds: number;
  /** Failed runs of a domain's freshness check within one period of it (Lambda `Errors`), alarmed to the platform topic. @default 1 */
  readonly freshnessCheckErrors: number;
  /**
   * Consecutive freshness check periods whose `LastLoadAgeSeconds` must breach (or be missing)
   * before a freshness alarm fires: the check runs at a clock offset of its own, so one late run
   * can leave a period without data. @default 2
   */
  readonly freshnessBreachingChecks: number;
  /**
   * Width, in standard deviations, of the band of expected bytes scanned per period in each domain
   * workgroup; a period above it breaches the bytes-scanned alarm. A fraction (2.5) is allowed. @default 3
   */
  readonly bytesScannedBandWidth: number;
  /**
   * Seconds per period of the bytes-scanned anomaly alarms: an hour, as the dashboards draw it,
   * since most 5-minute periods have no query and the band would learn from empty periods. @default 3600
   */
  readonly bytesScannedPeriodSeconds: number;
}

export const DEFAULT_ALARM_SETTINGS: AlarmSettings = {
  periodSeconds: 300,
  evaluationPeriods: 1,
  pipelineFailures: 1,
  pipelineTimeouts: 1,
  validatorErrors: 1,
  rejectedFiles: 1,
  quarantinedRows: 1,
  warningRuleBreaches: 1,
  modelTestFailures: 1,
  freshnessCheckMinutes: 15,
  freshnessGraceSeconds: 900,
  freshnessCheckErrors: 1,
  freshnessBreachingChecks: 2,
  bytesScannedBandWidth: 3,
  bytesScannedPeriodSeconds: 3600,
};

export interface LakehouseSettings {
  /** Prefix of every physical name. */
  readonly organization: string;
  /** How many dataset stacks a domain's datasets are spread over; changing it moves datasets. */
  readonly datasetStacksPerDomain: number;
  readonly environments: readonly EnvironmentSettings[];
  /** Domains selected with `-c domains=a,b`; undefined selects every domain. */
  readonly domains?: readonly string[];
}

/** The process environment variables settings fall back to. */
export interface DefaultEnvironment {
  readonly CDK_DEFAULT_ACCOUNT?: string;
  readonly CDK_DEFAULT_REGION?: string;
}

export const SETTINGS_FILE = 'cdk.json';

export class SettingsError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${SETTINGS_FILE} context:\n` +
        problems.map((problem) => `  ${problem}`).join('\n'),
    );
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

// `gitRevision` is read by the domain stacks (GIT_REVISION_CONTEXT) as lineage of registered ML model versions.
const SETTINGS_KEYS = ['organization', 'datasetStacksPerDomain', 'environments', 'domains', 'gitRevision'];
const ENVIRONMENT_KEYS = [
  'account',
  'region',
  'removalPolicy',
  'modelApproval',
  'athenaBytesScannedCutoffPerQuery',
  'pipelineBytesScannedCutoffPerQuery',
  'athenaResultsRetentionDays',
  'accessLogRetentionDays',
  'alarms',
  'athenaUsdPerTerabyteScanned',
];
const ALARM_KEYS = Object.keys(DEFAULT_ALARM_SETTINGS) as (keyof AlarmSettings)[];
/** CloudWatch's periods: high resolution (10, 30) or whole minutes. */
function isAlarmPeriod(seconds: number): boolean {
  return seconds === 10 || seconds === 30 || seconds % 60 === 0;
}
const PERIOD_KEYS: readonly (keyof AlarmSettings)[] = ['periodSeconds', 'bytesScannedPeriodSeconds'];
/** Settings that are a number of standard deviations, so a fraction is meaningful. */
const FRACTIONAL_KEYS: readonly (keyof AlarmSettings)[] = ['bytesScannedBandWidth'];

/**
 * The longest span PutMetricAlarm accepts for period × evaluation periods: 7 days, and 1 day when the
 * period is under an hour ("An alarm's total current evaluation period can be no longer than seven
 * days ... For alarms with a period of less than one hour (3,600 seconds), the total evaluation
 * period can't be longer than one day", PutMetricAlarm `Period` in the CloudWatch API reference).
 */
function maxEvaluationRangeSeconds(periodSeconds: number): number {
  return periodSeconds < 3600 ? 86_400 : 604_800;
}

/** Each alarm's evaluation range from the settings: the keys that set it, its period and its count of periods. */
function evaluationRanges(alarms: AlarmSettings): { keys: string; periodSeconds: number; periods: number }[] {
  return [
    { keys: 'periodSeconds × evaluationPeriods', periodSeconds: alarms.periodSeconds, periods: alarms.evaluationPeriods },
    { keys: 'bytesScannedPeriodSeconds × evaluationPeriods', periodSeconds: alarms.bytesScannedPeriodSeconds, periods: alarms.evaluationPeriods },
    { keys: 'freshnessCheckMinutes × 60 × freshnessBreachingChecks', periodSeconds: alarms.freshnessCheckMinutes * 60, periods: alarms.freshnessBreachingChecks },
    // The freshness check's own errors alarm counts its failed runs per check period.
    { keys: 'freshnessCheckMinutes × 60 × evaluationPeriods', periodSeconds: alarms.freshnessCheckMinutes * 60, periods: alarms.evaluationPeriods },
  ];
}
const REMOVAL_POLICIES: readonly RemovalPolicySetting[] = ['retain', 'destroy'];
const MODEL_APPROVALS: readonly ModelApproval[] = ['auto', 'manual'];

/** Lowercase letters and digits only: the organization and environment appear in bucket and Glue names. */
const NAME_PART = /^[a-z][a-z0-9]*$/;
const DOMAIN_NAME = /^[a-z][a-z0-9_]*$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_DATASET_STACKS_PER_DOMAIN = 50;
/** Athena's smallest allowed per-query cutoff. */
const MIN_ATHENA_CUTOFF_BYTES = 10_000_000;
const DEFAULT_ATHENA_RESULTS_RETENTION_DAYS = 30;
const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * Keys the CDK itself puts in the context (feature flags `@aws-cdk/...`, CLI metadata
 * `aws:cdk:...`, cached lookups `availability-zones:...`): not ours to judge.
 */
function isCdkOwnedKey(key: string): boolean {
  return key.startsWith('@') || key.includes(':');
}

class Problems {
  readonly list: string[] = [];

  add(key: string, message: string): void {
    this.list.push(`${SETTINGS_FILE}: context.${key}: ${message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A whole number, given as a JSON number or, from `-c key=value`, as a string of digits. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function readOrganization(value: unknown, problems: Problems): string | undefined {
  if (value === undefined) {
    problems.add('organization', 'missing: the prefix of every physical name, e.g. "acme"');
    return undefined;
  }
  if (typeof value !== 'string' || !NAME_PART.test(value)) {
    problems.add('organization', `must be lowercase letters and digits starting with a letter, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

function readDatasetStacksPerDomain(value: unknown, problems: Problems): number | undefined {
  if (value === undefined) {
    problems.add('datasetStacksPerDomain', 'missing: how many dataset stacks each domain is spread over, e.g. 4');
    return undefined;
  }
  const count = wholeNumber(value);
  if (count === undefined || count < 1 || count > MAX_DATASET_STACKS_PER_DOMAIN) {
    problems.add(
      'datasetStacksPerDomain',
      `must be a whole number from 1 to ${MAX_DATASET_STACKS_PER_DOMAIN}, got ${describe(value)}`,
    );
    return undefined;
  }
  return count;
}

function readDomains(value: unknown, problems: Problems): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const names =
    typeof value === 'string'
      ? value.split(',').map((name) => name.trim())
      : Array.isArray(value) && value.every((name) => typeof name === 'string')
        ? (value as string[])
        : [];
  if (names.every((name) => name === '')) {
    problems.add('domains', `must be a comma-separated list of domain names, e.g. "sales,marketing", got ${describe(value)}`);
    return undefined;
  }
  names.forEach((name, index) => {
    if (!DOMAIN_NAME.test(name)) {
      problems.add('domains', `'${name}' is not a domain name (lowercase letters, digits and _, starting with a letter)`);
    } else if (names.indexOf(name) !== index) {
      problems.add('domains', `'${name}' is listed twice`);
    }
  });
  return names;
}

function readChoice<T extends string>(
  value: unknown,
  key: string,
  choices: readonly T[],
  fallback: T,
  problems: Problems,
): T | undefined {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  problems.add(key, `must be one of ${choices.map((choice) => `'${choice}'`).join(', ')}, got ${describe(value)}`);
  return undefined;
}

function readPattern(
  value: unknown,
  key: string,
  pattern: RegExp,
  fallback: { readonly value: string | undefined; readonly variable: string },
  example: string,
  problems: Problems,
): string | undefined {
  const chosen = value ?? fallback.value;
  if (chosen === undefined) {
    problems.add(key, `missing and ${fallback.variable} is not set: give it in ${SETTINGS_FILE}, e.g. "${example}"`);
    return undefined;
  }
  if (typeof chosen !== 'string' || !pattern.test(chosen)) {
    const source = value === undefined ? ` (from ${fallback.variable})` : '';
    problems.add(key, `must look like "${example}", got ${describe(chosen)}${source}`);
    return undefined;
  }
  return chosen;
}

function readAthenaCutoff(value: unknown, key: string, problems: Problems): number | undefined {
  if (value === undefined) {
    problems.add(key, 'missing: the most bytes one Athena query may scan, e.g. 10737418240 (10 GiB)');
    return undefined;
  }
  return readCutoffValue(value, key, problems);
}

function readCutoffValue(value: unknown, key: string, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_ATHENA_CUTOFF_BYTES) {
    problems.add(key, `must be a whole number of bytes, at least ${MIN_ATHENA_CUTOFF_BYTES}, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Days for an S3 lifecycle expiry, which takes a positive whole number. */
function readDays(value: unknown, key: string, fallback: number, problems: Problems): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    problems.add(key, `must be a whole number of days, at least 1, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

function readPrice(value: unknown, key: string, problems: Problems): number | undefined {
  if (value === undefined) return DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    problems.add(key, `must be a positive number of US dollars per terabyte scanned, e.g. ${DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED}, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

function readAlarms(value: unknown, key: string, problems: Problems): AlarmSettings | undefined {
  if (value === undefined) return DEFAULT_ALARM_SETTINGS;
  if (!isRecord(value)) {
    problems.add(key, `must be an object with any of ${ALARM_KEYS.join(', ')}, got ${describe(value)}`);
    return undefined;
  }
  const before = problems.list.length;
  for (const unknown of Object.keys(value).filter((name) => !(ALARM_KEYS as string[]).includes(name))) {
    problems.add(`${key}.${unknown}`, `unknown key${didYouMean(unknown, ALARM_KEYS)}`);
  }
  const alarms: Record<string, number> = { ...DEFAULT_ALARM_SETTINGS };
  for (const name of ALARM_KEYS) {
    const given = value[name];
    if (given === undefined) continue;
    if (FRACTIONAL_KEYS.includes(name)) {
      if (typeof given !== 'number' || !Number.isFinite(given) || given <= 0) {
        problems.add(`${key}.${name}`, `must be a positive number, e.g. 2.5, got ${describe(given)}`);
      } else {
        alarms[name] = given;
      }
    } else if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 1) {
      problems.add(`${key}.${name}`, `must be a whole number, at least 1, got ${describe(given)}`);
    } else if (PERIOD_KEYS.includes(name) && !isAlarmPeriod(given)) {
      problems.add(`${key}.${name}`, `must be 10, 30 or a multiple of 60 seconds (CloudWatch's periods), got ${given}`);
    } else {
      alarms[name] = given;
    }
  }
  if (problems.list.length > before) return undefined;
  for (const range of evaluationRanges(alarms as unknown as AlarmSettings)) {
    const seconds = range.periodSeconds * range.periods;
    const limit = maxEvaluationRangeSeconds(range.periodSeconds);
    if (seconds > limit) {
      problems.add(
        key,
        `${range.keys} is ${seconds} seconds, more than CloudWatch lets an alarm evaluate (${limit} seconds: 1 day for a period under an hour, 7 days otherwise); shorten the period or the count`,
      );
    }
  }
  return problems.list.length > before ? undefined : (alarms as unknown as AlarmSettings);
}

function readEnvironment(
  name: string,
  value: unknown,
  organization: string | undefined,
  defaults: DefaultEnvironment,
  problems: Problems,
): EnvironmentSettings | undefined {
  const at = `environments.${name}`;
  const before = problems.list.length;
  if (!NAME_PART.test(name)) {
    problems.add(at, 'environment names must be lowercase letters and digits starting with a letter');
  }
  if (!isRecord(value)) {
    problems.add(at, `must be an object with ${ENVIRONMENT_KEYS.join(', ')}, got ${describe(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value).filter((key) => !ENVIRONMENT_KEYS.includes(key))) {
    problems.add(`${at}.${key}`, `unknown key${didYouMean(key, ENVIRONMENT_KEYS)}`);
  }
  const account = readPattern(
    value['account'],
    `${at}.account`,
    ACCOUNT,
    { value: defaults.CDK_DEFAULT_ACCOUNT, variable: 'CDK_DEFAULT_ACCOUNT' },
    '111111111111',
    problems,
  );
  const region = readPattern(
    value['region'],
    `${at}.region`,
    REGION,
    { value: defaults.CDK_DEFAULT_REGION, variable: 'CDK_DEFAULT_REGION' },
    'eu-west-1',
    problems,
  );
  const removalPolicy = readChoice(value['removalPolicy'], `${at}.removalPolicy`, REMOVAL_POLICIES, 'retain', problems);
  const modelApproval = readChoice(value['modelApproval'], `${at}.modelApproval`, MODEL_APPROVALS, 'manual', problems);
  const athenaBytesScannedCutoffPerQuery = readAthenaCutoff(
    value['athenaBytesScannedCutoffPerQuery'],
    `${at}.athenaBytesScannedCutoffPerQuery`,
    problems,
  );
  const pipelineCutoff = value['pipelineBytesScannedCutoffPerQuery'];
  const pipelineBytesScannedCutoffPerQuery =
    pipelineCutoff === undefined ? undefined : readCutoffValue(pipelineCutoff, `${at}.pipelineBytesScannedCutoffPerQuery`, problems);
  const athenaResultsRetentionDays = readDays(
    value['athenaResultsRetentionDays'],
    `${at}.athenaResultsRetentionDays`,
    DEFAULT_ATHENA_RESULTS_RETENTION_DAYS,
    problems,
  );
  const accessLogRetentionDays = readDays(value['accessLogRetentionDays'], `${at}.accessLogRetentionDays`, DEFAULT_ACCESS_LOG_RETENTION_DAYS, problems);
  const alarms = readAlarms(value['alarms'], `${at}.alarms`, problems);
  const athenaUsdPerTerabyteScanned = readPrice(value['athenaUsdPerTerabyteScanned'], `${at}.athenaUsdPerTerabyteScanned`, problems);
  if (organization !== undefined && account !== undefined && region !== undefined) {
    const tooLong = bucketNameProblem({ organization, environment: name, account, region });
    if (tooLong !== undefined) problems.add(at, tooLong);
  }
  if (
    problems.list.length > before ||
    account === undefined ||
    region === undefined ||
    removalPolicy === undefined ||
    modelApproval === undefined ||
    athenaBytesScannedCutoffPerQuery === undefined ||
    athenaResultsRetentionDays === undefined ||
    accessLogRetentionDays === undefined ||
    alarms === undefined ||
    athenaUsdPerTerabyteScanned === undefined
  ) {
    return undefined;
  }
  return {
    name,
    account,
    region,
    removalPolicy,
    modelApproval,
    athenaBytesScannedCutoffPerQuery,
    ...(pipelineBytesScannedCutoffPerQuery === undefined ? {} : { pipelineBytesScannedCutoffPerQuery }),
    athenaResultsRetentionDays,
    accessLogRetentionDays,
    alarms,
    athenaUsdPerTerabyteScanned,
  };
}

function readEnvironments(
  value: unknown,
  organization: string | undefined,
  defaults: DefaultEnvironment,
  problems: Problems,
): EnvironmentSettings[] {
  if (value === undefined || (isRecord(value) && Object.keys(value).length === 0)) {
    problems.add('environments', 'missing: at least one environment, e.g. "dev": { "account": ..., "region": ... }');
    return [];
  }
  if (!isRecord(value)) {
    problems.add('environments', `must be an object of environment name to settings, got ${describe(value)}`);
    return [];
  }
  return Object.entries(value).flatMap(([name, settings]) => {
    const environment = readEnvironment(name, settings, organization, defaults, problems);
    return environment === undefined ? [] : [environment];
  });
}

/**
 * Reads and checks the whole context (`app.node.getAllContext()`); throws one `SettingsError`
 * listing every problem.
 */
export function readSettings(
  context: Readonly<Record<string, unknown>>,
  defaults: DefaultEnvironment = {},
): LakehouseSettings {
  const problems = new Problems();
  for (const key of Object.keys(context).filter((key) => !SETTINGS_KEYS.includes(key) && !isCdkOwnedKey(key))) {
    problems.add(key, `unknown key${didYouMean(key, SETTINGS_KEYS)}`);
  }
  const organization = readOrganization(context['organization'], problems);
  const datasetStacksPerDomain = readDatasetStacksPerDomain(context['datasetStacksPerDomain'], problems);
  const environments = readEnvironments(context['environments'], organization, defaults, problems);
  const domains = readDomains(context['domains'], problems);
  if (problems.list.length > 0 || organization === undefined || datasetStacksPerDomain === undefined) {
    throw new SettingsError(problems.list);
  }
  return { organization, datasetStacksPerDomain, environments, ...(domains === undefined ? {} : { domains }) };
}

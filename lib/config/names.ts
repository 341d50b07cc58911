/**
 * The one place physical names are derived. CDK stacks, the validator, the offline runtime and
 * the CLI all import these, so a name is never typed twice. Pure: no CDK, no AWS SDK.
 */
import { createHash } from 'node:crypto';
import type { Dataset } from '../contracts/model.ts';

/** Where an environment lives: everything a physical name depends on besides domain and dataset. */
export interface EnvironmentIdentity {
  readonly organization: string;
  /** Environment name from `cdk.json`, e.g. `dev`. */
  readonly environment: string;
  readonly account: string;
  readonly region: string;
}

/** The platform's zones; each is one bucket per environment. */
export const ZONES = [
  'landing',
  'validated',
  'quarantine',
  'silver',
  'gold',
  'audit',
  'athena-results',
  'access-logs',
] as const;

export type Zone = (typeof ZONES)[number];

/** S3's limit on bucket name length. */
const MAX_BUCKET_NAME_LENGTH = 63;

function composeBucketName(identity: EnvironmentIdentity, zone: Zone): string {
  return `${identity.organization}-${identity.environment}-${zone}-${identity.account}-${identity.region}`;
}

/**
 * Why an environment's bucket names would be refused by S3 (too long), or undefined when they fit.
 * Settings call this so the problem is reported against `cdk.json`, not at deploy time.
 */
export function bucketNameProblem(identity: EnvironmentIdentity): string | undefined {
  const longest = ZONES.map((zone) => composeBucketName(identity, zone)).reduce((a, b) => (b.length > a.length ? b : a));
  if (longest.length <= MAX_BUCKET_NAME_LENGTH) return undefined;
  return (
    `bucket name '${longest}' would be ${longest.length} characters, over S3's limit of ${MAX_BUCKET_NAME_LENGTH}: ` +
    `shorten the organization ('${identity.organization}') or the environment name ('${identity.environment}')`
  );
}

/** `<org>-<env>-<zone>-<account>-<region>`: account and region make it globally unique. */
export function bucketName(identity: EnvironmentIdentity, zone: Zone): string {
  const problem = bucketNameProblem(identity);
  if (problem !== undefined) throw new Error(problem);
  return composeBucketName(identity, zone);
}

export function s3Uri(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}

/** Prefix of a zone's server access logs inside the access-logs bucket. */
export function accessLogPrefix(zone: Zone): string {
  return `${zone}/`;
}

export function kmsKeyAlias(identity: EnvironmentIdentity): string {
  return `alias/${identity.organization}-${identity.environment}-lakehouse`;
}

export function platformAlarmTopicName(identity: EnvironmentIdentity): string {
  return `${identity.organization}-${identity.environment}-platform-alarms`;
}

export function domainAlertTopicName(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}-${identity.environment}-${domain}-alerts`;
}

/** `<env>-<domain>-<what>`: an alarm about the domain as a whole, such as a workgroup's bytes scanned. */
export function domainAlarmName(identity: Pick<EnvironmentIdentity, 'environment'>, domain: string, what: string): string {
  return `${identity.environment}-${domain}-${what}`;
}

/** `<env>-<domain>-<dataset>-<what>`: one of a dataset's alarms, e.g. `dev-sales-orders-pipeline-failed`. */
export function datasetAlarmName(identity: Pick<EnvironmentIdentity, 'environment'>, dataset: Pick<Dataset, 'domain' | 'name'>, what: string): string {
  return `${identity.environment}-${dataset.domain}-${dataset.name}-${what}`;
}

/**
 * `<env>-platform-<what>`: an alarm about the platform's own machinery (the freshness checks),
 * notifying the platform topic rather than a domain's.
 */
export function platformAlarmName(identity: Pick<EnvironmentIdentity, 'environment'>, what: string): string {
  return `${identity.environment}-platform-${what}`;
}

/**
 * `<env>-<domain>-health`: the domain's composite alarm over its datasets' error-level alarms; with
 * `part`, `<env>-<domain>-health-<part>`, one of the sub-composites a large domain needs.
 */
export function domainHealthAlarmName(identity: Pick<EnvironmentIdentity, 'environment'>, domain: string, part?: number): string {
  const name = `${identity.environment}-${domain}-health`;
  return part === undefined ? name : `${name}-${part}`;
}

/** Glue database names allow no hyphens, hence underscores. */
export function glueDatabaseName(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}_${identity.environment}_${domain}`;
}

/** The domain's analysts' workgroup (ad-hoc queries, `lakehouse query`): its scan cutoff bounds what one query may cost. */
export function athenaWorkgroupName(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}-${identity.environment}-${domain}`;
}

/**
 * The domain's workgroup for the queries the platform runs: loads, builds, maintenance and table
 * DDL, which read whole tables and so get their own cutoff. Domain names have no hyphen, so it
 * never equals another domain's analysts' workgroup.
 */
export function athenaPipelineWorkgroupName(identity: EnvironmentIdentity, domain: string): string {
  return `${athenaWorkgroupName(identity, domain)}-pipeline`;
}

/** Each domain's query results live under its own prefix of the athena-results bucket. */
export function athenaResultsPrefix(domain: string): string {
  return `${domain}/`;
}

/** CloudFormation export of the platform stack, consumed by domain stacks with `Fn::ImportValue`. */
export function platformExportName(identity: EnvironmentIdentity, output: string): string {
  return `${identity.organization}-${identity.environment}-platform-${output}`;
}

type DatasetIdentity = Pick<Dataset, 'domain' | 'names'>;

/** Every column as string over the landing prefix: for ad-hoc inspection and the big-file path. */
export function rawTableName(dataset: DatasetIdentity): string {
  return `${dataset.names.table}_raw`;
}

/** Typed Parquet of the rows that passed validation. */
export function validatedTableName(dataset: DatasetIdentity): string {
  return `${dataset.names.table}_validated`;
}

/** The Iceberg table loaded from the validated table. */
export function silverTableName(dataset: DatasetIdentity): string {
  return dataset.names.table;
}

/**
 * Where a pipeline's load queries write their results: under its domain's results prefix, keyed by
 * the table it loads, so each pipeline's role reads and writes only its own results.
 */
export function pipelineResultsPrefix(dataset: DatasetIdentity): string {
  return `${athenaResultsPrefix(dataset.domain)}pipelines/${silverTableName(dataset)}/`;
}

/**
 * Key prefix of a dataset's Iceberg silver table in the silver zone, keyed by table name like
 * the validated prefix, so two major versions never share a location.
 */
export function silverPrefix(dataset: DatasetIdentity): string {
  return `${silverDomainPrefix(dataset.domain)}${dataset.names.table}/`;
}

/** Key prefix of all of a domain's Iceberg tables in the silver zone: the reach of its table owner and maintenance. */
export function silverDomainPrefix(domain: string): string {
  return `${domain}/`;
}

/** Step Functions' limit on state machine and execution name length. */
const MAX_STEP_FUNCTIONS_NAME_LENGTH = 80;
/** What a pipeline name must leave its table name at least: a few characters, a hyphen and the 8-character hash of a shortened one. */
const MIN_TABLE_NAME_ROOM = 16;

/** A name over `limit` keeps its start and ends with a hash of the whole, so it stays unique, stable and prefix-matchable. */
function fitName(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, limit - hash.length - 1)}-${hash}`;
}

/**
 * Prefix of every pipeline state machine name of a domain. Domain names have no hyphen, so the
 * prefix of one domain never matches another's; IAM policies of the domain's router use it.
 */
export function pipelineStateMachinePrefix(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}-${identity.environment}-${domain}-pipeline-`;
}

/**
 * `<org>-<env>-<domain>-pipeline-<table>`: the domain's router derives it to start the dataset's
 * pipeline. A long table name is shortened, never the prefix, which the router's policy matches.
 */
export function pipelineStateMachineName(identity: EnvironmentIdentity, dataset: DatasetIdentity): string {
  const prefix = pipelineStateMachinePrefix(identity, dataset.domain);
  const room = MAX_STEP_FUNCTIONS_NAME_LENGTH - prefix.length;
  if (room < MIN_TABLE_NAME_ROOM) {
    throw new Error(
      `state machine names of domain '${dataset.domain}' start with '${prefix}', leaving too little of Step Functions' ` +
        `${MAX_STEP_FUNCTIONS_NAME_LENGTH} characters for dataset names: shorten the domain, organization or environment name`,
    );
  }
  return `${prefix}${fitName(dataset.names.table, room)}`;
}

/**
 * Prefix of the execution log groups of a domain's pipelines. Under `/aws/vendedlogs/`, because
 * CloudWatch Logs caps the size of its resource policy, which log delivery extends for every
 * other log group name.
 */
export function pipelineLogGroupPrefix(identity: EnvironmentIdentity, domain: string): string {
  return `/aws/vendedlogs/states/${pipelineStateMachinePrefix(identity, domain)}`;
}

/** Execution log group of a dataset's pipeline, named after its state machine. */
export function pipelineLogGroupName(identity: EnvironmentIdentity, dataset: DatasetIdentity): string {
  return `/aws/vendedlogs/states/${pipelineStateMachineName(identity, dataset)}`;
}

export function maintenanceStateMachineName(identity: EnvironmentIdentity, domain: string): string {
  return fitName(`${identity.organization}-${identity.environment}-${domain}-maintenance`, MAX_STEP_FUNCTIONS_NAME_LENGTH);
}

/** `<org>-<env>-<domain>-build`: the state machine running the domain's SQL models. */
export function buildStateMachineName(identity: EnvironmentIdentity, domain: string): string {
  return fitName(`${identity.organization}-${identity.environment}-${domain}-build`, MAX_STEP_FUNCTIONS_NAME_LENGTH);
}

/** Execution log group of a domain's build state machine, named after it. */
export function buildLogGroupName(identity: EnvironmentIdentity, domain: string): string {
  return `/aws/vendedlogs/states/${buildStateMachineName(identity, domain)}`;
}

/** Key prefix of all of a domain's gold tables (its models) in the gold zone. */
export function goldDomainPrefix(domain: string): string {
  return `${domain}/`;
}

/** Key prefix of one model's gold table: `<domain>/<model>/`. */
export function goldPrefix(domain: string, model: string): string {
  return `${goldDomainPrefix(domain)}${model}/`;
}

/** Lambda's limit on function name length. */
const MAX_FUNCTION_NAME_LENGTH = 64;

/** `<org>-<env>-<domain>-<purpose>`: a function the domain stack holds for all its datasets. */
export function domainFunctionName(identity: EnvironmentIdentity, domain: string, purpose: 'router' | 'athena-ddl' | 'freshness-check'): string {
  return fitName(`${identity.organization}-${identity.environment}-${domain}-${purpose}`, MAX_FUNCTION_NAME_LENGTH);
}

/** `<org>-<env>-<domain>`: the domain's CloudWatch dashboard. */
export function domainDashboardName(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}-${identity.environment}-${domain}`;
}

/** `<org>-<env>-platform`: the environment's overview dashboard, one row per domain. A domain cannot be named `platform` (its stack id would be the platform stack's). */
export function platformDashboardName(identity: EnvironmentIdentity): string {
  return `${identity.organization}-${identity.environment}-platform`;
}

/** Execution log group of a domain's maintenance state machine, named after it. */
export function maintenanceLogGroupName(identity: EnvironmentIdentity, domain: string): string {
  return `/aws/vendedlogs/states/${maintenanceStateMachineName(identity, domain)}`;
}

/** Prefix of the execution log groups of every state machine of a domain (its pipelines and its maintenance). */
export function domainStateMachineLogGroupPrefix(identity: EnvironmentIdentity, domain: string): string {
  return `/aws/vendedlogs/states/${identity.organization}-${identity.environment}-${domain}-`;
}

/**
 * SSM parameter holding the service token of the domain's Athena DDL provider, read by its
 * dataset stacks (an SSM parameter, not a CloudFormation export: an export in use blocks updates).
 */
export function athenaDdlServiceTokenParameterName(identity: EnvironmentIdentity, domain: string): string {
  return `/${identity.organization}/${identity.environment}/${domain}/athena-ddl-service-token`;
}

/**
 * Key prefix of a dataset's validated Parquet. Keyed by table name, not dataset name, so two
 * major versions (`orders`, `orders_v2`) never mix differently typed files under one location.
 */
export function validatedPrefix(dataset: DatasetIdentity): string {
  return `${dataset.domain}/${dataset.names.table}/`;
}

// The columns the lakehouse adds are named with the contract checks, which refuse a column deriving one.
export { FILE_ID_COLUMN, INGEST_DATE_COLUMN, INGESTED_AT_COLUMN, ROW_NUMBER_COLUMN, SOURCE_ID_COLUMN } from '../contracts/lakehouse-columns.ts';

/** `web_events` -> `WebEvents`: construct and stack ids are PascalCase. */
export function pascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export const PLATFORM_STACK_ID = 'Platform';
/** The stack of the environment's overview dashboard, deployed after every domain's monitoring stack. */
export const PLATFORM_MONITORING_STACK_ID = 'PlatformMonitoring';

export function domainStackId(domain: string): string {
  return pascalCase(domain);
}

export function datasetStackId(domain: string, shard: number): string {
  return `${pascalCase(domain)}Datasets${shard}`;
}

export function monitoringStackId(domain: string): string {
  return `${pascalCase(domain)}Monitoring`;
}

/**
 * `<org>-<env>-<domain>-<dataset>-validate`; a name over Lambda's 64 characters keeps its start
 * and ends with a hash of the whole, so it stays unique and stable.
 */
export function validatorFunctionName(identity: EnvironmentIdentity, dataset: Pick<Dataset, 'domain' | 'name'>): string {
  return fitName(`${identity.organization}-${identity.environment}-${dataset.domain}-${dataset.name}-validate`, MAX_FUNCTION_NAME_LENGTH);
}

/** SageMaker's limit on a Model Package Group name's length. */
const MAX_MODEL_PACKAGE_GROUP_NAME_LENGTH = 63;
/** SageMaker's pattern for Model Package Group names: letters, digits and hyphens, no leading or trailing hyphen. */
const MODEL_PACKAGE_GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Whether SageMaker accepts `name` as a Model Package Group name. */
export function isModelPackageGroupName(name: string): boolean {
  return MODEL_PACKAGE_GROUP_NAME.test(name);
}

/** The text of a group name before it is checked: underscores, which SageMaker refuses, become hyphens. */
function composeModelPackageGroupName(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>, domain: string, model: string): string {
  return `${identity.organization}-${identity.environment}-${domain}-${model}`.replaceAll('_', '-');
}

/**
 * Why the Model Package Group name of an ML model would be refused by SageMaker, or undefined when
 * it fits. Never shortened with a hash like other names: the group is what people approve
 * versions in, so its name must say which model it holds.
 */
export function modelPackageGroupNameProblem(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>, domain: string, model: string): string | undefined {
  const name = composeModelPackageGroupName(identity, domain, model);
  if (name.length > MAX_MODEL_PACKAGE_GROUP_NAME_LENGTH) {
    return (
      `its SageMaker Model Package Group name '${name}' would be ${name.length} characters, over the limit of ` +
      `${MAX_MODEL_PACKAGE_GROUP_NAME_LENGTH}: shorten the model's file name`
    );
  }
  if (!MODEL_PACKAGE_GROUP_NAME.test(name)) return `its SageMaker Model Package Group name '${name}' is not one SageMaker accepts (letters, digits and hyphens, starting and ending with a letter or digit)`;
  return undefined;
}

/** `<org>-<env>-<domain>-<model>`, underscores as hyphens: the Model Package Group of an ML model's versions. */
export function modelPackageGroupName(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>, domain: string, model: string): string {
  const problem = modelPackageGroupNameProblem(identity, domain, model);
  if (problem !== undefined) throw new Error(`ML model '${domain}/${model}': ${problem}`);
  return composeModelPackageGroupName(identity, domain, model);
}

/** `<org>-<env>-<domain>-<model>-training`: the state machine training an ML model (its log group shares the domain's prefix). */
export function trainingStateMachineName(identity: EnvironmentIdentity, domain: string, model: string): string {
  return fitName(`${identity.organization}-${identity.environment}-${domain}-${model}-training`, MAX_STEP_FUNCTIONS_NAME_LENGTH);
}

/** Execution log group of an ML model's training state machine, named after it. */
export function trainingLogGroupName(identity: EnvironmentIdentity, domain: string, model: string): string {
  return `/aws/vendedlogs/states/${trainingStateMachineName(identity, domain, model)}`;
}

/** `<org>-<env>-<domain>-<model>-register`, fitted to Lambda's limit: the function registering the model's versions. */
export function registerFunctionName(identity: EnvironmentIdentity, domain: string, model: string): string {
  return fitName(`${identity.organization}-${identity.environment}-${domain}-${model}-register`, MAX_FUNCTION_NAME_LENGTH);
}

/** Key prefix of everything an ML model's runs keep in the audit zone: `ml/<domain>/<model>/`. */
export function mlModelPrefix(domain: string, model: string): string {
  return `ml/${domain}/${model}/`;
}

/** Key prefix of one training run's files (training set, model artifact, metrics): `ml/<domain>/<model>/runs/<run id>/`. */
export function trainingRunPrefix(domain: string, model: string, runId: string): string {
  return `${mlModelPrefix(domain, model)}runs/${runId}/`;
}

/**
 * Key prefix of an ML model's run records: `ml/<domain>/<model>/records/`. Each record sits alone
 * in its run's folder under it, so the external table over the records (partitioned by run id)
 * reads one record per run and nothing else of the run.
 */
export function trainingRunRecordsPrefix(domain: string, model: string): string {
  return `${mlModelPrefix(domain, model)}records/`;
}

/** Key of a training run's record: `ml/<domain>/<model>/records/<run id>/run.json`. */
export function trainingRunRecordKey(domain: string, model: string, runId: string): string {
  return `${trainingRunRecordsPrefix(domain, model)}${runId}/${TRAINING_RUN_RECORD_FILE}`;
}

/** The file name of a run record inside its run's records folder. */
export const TRAINING_RUN_RECORD_FILE = 'run.json';

/** The file name of a training job's final metrics inside its run's folder. */
export const TRAINING_METRICS_FILE = 'metrics.json';

/** The external JSON table over an ML model's run records, partitioned by run id. */
export function trainingRunRecordsTableName(model: string): string {
  return `${model}_run_records`;
}

/** The Iceberg table, one per domain in its database, with one row per training run of the domain's ML models. */
export const ML_RUNS_TABLE = 'ml_runs';

/** SageMaker's limit on a training job name's length. */
const MAX_TRAINING_JOB_NAME_LENGTH = 63;
/** A run id is a UUID (`States.UUID()`), 36 characters. */
const RUN_ID_LENGTH = 36;

/**
 * The start of every training job name of an ML model, `<start of its group>-<hash of the group>`,
 * so that `<prefix>-<run id>` fits SageMaker's 63 characters and the IAM grant on `<prefix>-*`
 * reaches no other model's jobs (a bare group name would: `churn-*` matches `churn-eu`'s jobs).
 * Lowercase, as SageMaker writes names in ARNs.
 */
export function trainingJobPrefix(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>, domain: string, model: string): string {
  const group = modelPackageGroupName(identity, domain, model);
  const hash = createHash('sha256').update(group).digest('hex').slice(0, 8);
  const room = MAX_TRAINING_JOB_NAME_LENGTH - RUN_ID_LENGTH - 1 - hash.length - 1;
  return `${group.slice(0, room).replace(/-+$/, '')}-${hash}`.toLowerCase();
}

/** `<org>-<env>-<domain>-<model>-promotion`: the state machine promoting an approved version of an ML model. */
export function promotionStateMachineName(identity: EnvironmentIdentity, domain: string, model: string): string {
  return fitName(`${identity.organization}-${identity.environment}-${domain}-${model}-promotion`, MAX_STEP_FUNCTIONS_NAME_LENGTH);
}

/** Execution log group of an ML model's promotion state machine, named after it. */
export function promotionLogGroupName(identity: EnvironmentIdentity, domain: string, model: string): string {
  return `/aws/vendedlogs/states/${promotionStateMachineName(identity, domain, model)}`;
}

/** SSM parameter naming the model package ARN an environment serves for an ML model (written by promotion). */
export function currentModelVersionParameterName(identity: EnvironmentIdentity, domain: string, model: string): string {
  return `/${identity.organization}/${identity.environment}/${domain}/ml/${model}/current-version`;
}

/**
 * The start of the names of an ML model's SageMaker models and transform jobs, `<prefix>-<run id>`:
 * the training job prefix, which fits the same 63 characters and reaches no other model's names.
 */
export function batchInferencePrefix(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>, domain: string, model: string): string {
  return trainingJobPrefix(identity, domain, model);
}

/** Key prefix of an ML model's batch inference files in the audit zone: `ml/<domain>/<model>/predictions/<run id>/`. */
export function inferenceRunsPrefix(domain: string, model: string): string {
  return `${mlModelPrefix(domain, model)}predictions/`;
}

/** The gold Iceberg table of an ML model's predictions. */
export function predictionsTableName(model: string): string {
  return `${model}_predictions`;
}

/** The external table over an ML model's transform job output, partitioned by run id. */
export function inferenceOutputTableName(model: string): string {
  return `${model}_inference_output`;
}

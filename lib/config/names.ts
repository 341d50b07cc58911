/**
 * The one place physical names are derived. CDK stacks, the validator, the offline runtime and
 * the CLI all import these, so a name is never typed twice. Pure: no CDK, no AWS SDK.
 */
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

/** Glue database names allow no hyphens, hence underscores. */
export function glueDatabaseName(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}_${identity.environment}_${domain}`;
}

export function athenaWorkgroupName(identity: EnvironmentIdentity, domain: string): string {
  return `${identity.organization}-${identity.environment}-${domain}`;
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
 * Key prefix of a dataset's validated Parquet. Keyed by table name, not dataset name, so two
 * major versions (`orders`, `orders_v2`) never mix differently typed files under one location.
 */
export function validatedPrefix(dataset: DatasetIdentity): string {
  return `${dataset.domain}/${dataset.names.table}/`;
}

/** Partition column of the validated table: the date the file landed, `yyyy-MM-dd`. */
export const INGEST_DATE_COLUMN = 'ingest_date';
/** Column carrying the source file's id on every loaded row. */
export const FILE_ID_COLUMN = 'file_id';
/** Column carrying the 1-based row number in the source file. */
export const ROW_NUMBER_COLUMN = '_row';

/** `web_events` -> `WebEvents`: construct and stack ids are PascalCase. */
export function pascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export const PLATFORM_STACK_ID = 'Platform';

export function domainStackId(domain: string): string {
  return pascalCase(domain);
}

export function datasetStackId(domain: string, shard: number): string {
  return `${pascalCase(domain)}Datasets${shard}`;
}

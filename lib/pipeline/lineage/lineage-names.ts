/**
 * How jobs and datasets are named in lineage events, following OpenLineage's naming conventions
 * (https://openlineage.io/docs/spec/naming): an S3 object is `s3://<bucket>` + its key, a Glue
 * table `arn:aws:glue:<region>:<account>` + `table/<database>/<table>`. Derived from the
 * environment's identity and the physical names, never typed. Pure.
 */
import type { EnvironmentIdentity } from '../../config/names.ts';

export interface LineageName {
  readonly namespace: string;
  readonly name: string;
}

/** `<org>-<env>`: every job of one environment, pipelines and builds alike. */
export function lineageJobNamespace(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>): string {
  return `${identity.organization}-${identity.environment}`;
}

/** `<domain>.<table>`: a dataset's pipeline by its silver table, a model's build by its gold table. */
export function lineageJob(identity: Pick<EnvironmentIdentity, 'organization' | 'environment'>, domain: string, table: string): LineageName {
  return { namespace: lineageJobNamespace(identity), name: `${domain}.${table}` };
}

/** An S3 object: `s3://<bucket>`, named by its key. */
export function s3Object(bucket: string, key: string): LineageName {
  return { namespace: `s3://${bucket}`, name: key };
}

/** A Glue Data Catalog table: the catalog's ARN, named `table/<database>/<table>`. */
export function glueTable(identity: Pick<EnvironmentIdentity, 'account' | 'region'>, database: string, table: string): LineageName {
  return { namespace: `arn:aws:glue:${identity.region}:${identity.account}`, name: `table/${database}/${table}` };
}

/**
 * A SageMaker Model Package Group: OpenLineage's naming conventions name no SageMaker resource, so
 * it is named like a Glue table, by its ARN split at the resource: the account's SageMaker ARN,
 * named `model-package-group/<group>`, in lowercase as SageMaker writes names in its ARNs.
 */
export function sageMakerModelPackageGroup(identity: Pick<EnvironmentIdentity, 'account' | 'region'>, group: string): LineageName {
  return { namespace: `arn:aws:sagemaker:${identity.region}:${identity.account}`, name: `model-package-group/${group.toLowerCase()}` };
}

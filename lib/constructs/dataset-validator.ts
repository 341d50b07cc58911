import { Duration, type RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type EnvironmentIdentity, validatedPrefix, validatorFunctionName } from '../config/names.ts';
import { RETENTION_TAG_KEY, retentionClassFor } from '../config/retention.ts';
import type { Dataset } from '../contracts/model.ts';
import { quarantineDatasetPrefix, reportPrefix } from '../ingest/layout.ts';
import type { ZoneBuckets } from '../ingest/process-landed-file.ts';
import { validatorEnvironmentVariables } from '../ingest/validator-settings.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { HANDLER, validatorCode } from './lambda-code.ts';
import { functionLogGroup } from './function-log-group.ts';
import { ZonePrefix } from './zone-prefix.ts';

export interface DatasetValidatorProps {
  readonly dataset: Dataset;
  readonly identity: EnvironmentIdentity;
  /** Names of the environment's zone buckets. */
  readonly buckets: ZoneBuckets;
  /** The platform key the zone buckets are encrypted with. */
  readonly key: kms.IKey;
  /** The platform's DuckDB layer. */
  readonly duckDbLayer: lambda.ILayerVersion;
  /**
   * Memory, which also buys CPU (Lambda adds a second vCPU above 1,769 MB).
   * @default 2048
   */
  readonly memorySize?: number;
  /** @default Duration.minutes(10) */
  readonly timeout?: Duration;
  /**
   * `/tmp`, holding the downloaded file, the Parquet outputs and DuckDB's spill files.
   * @default Size.gibibytes(4)
   */
  readonly ephemeralStorageSize?: Size;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RETAINED (kept, except when its first create rolls back) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One dataset's validator function (see `lambdas/validate`): its compiled contract bundled
 * with the code, DuckDB from the platform layer, and a role of its own that may read only the
 * dataset's landing prefix (and tag what it read there) and write only its validated, quarantine
 * and report prefixes.
 */
export class DatasetValidator extends Construct {
  /**
   * Invoked by the dataset's pipeline with `{ bucket, key, versionId?, eventTime? }`. Its role
   * takes no policy updates through the function: add any further permission to `role`.
   */
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DatasetValidatorProps) {
    super(scope, id);
    const { dataset, identity, buckets } = props;
    const functionName = validatorFunctionName(identity, dataset);

    this.logGroup = functionLogGroup(this, 'Logs', functionName, props);

    const landed = new ZonePrefix(buckets.landing, dataset.names.landingPrefix);
    const outputs = [
      new ZonePrefix(buckets.validated, validatedPrefix(dataset)),
      new ZonePrefix(buckets.quarantine, quarantineDatasetPrefix(dataset)),
      new ZonePrefix(buckets.audit, reportPrefix(dataset)),
    ];
    const permissions = new iam.PolicyDocument({
      statements: [
        landed.grantObjects('ReadLandedFiles', { read: true, readVersionsAndTags: true }),
        // The landed version gets its contract's retention class (its producer's tags kept), and
        // no other: a tag set without it, or with a shorter class, is denied.
        landed.grantObjects(
          'TagLandedFiles',
          { tag: 'versions' },
          { StringEquals: { [`s3:RequestObjectTag/${RETENTION_TAG_KEY}`]: retentionClassFor(dataset.retentionDays).tag } },
        ),
        ZonePrefix.grantObjects('WriteOutputs', outputs, { write: true, tag: 'objects' }),
        new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
        new iam.PolicyStatement({
          sid: 'WriteLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({ sid: 'Trace', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
      ],
    });
    // One inline policy rather than a policy resource per role: a dataset stack holds dozens of
    // validators, and CloudFormation allows 500 resources per stack.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Validator of ${dataset.names.ref} in ${identity.environment}: reads its landing prefix, writes its outputs`,
      inlinePolicies: { Validate: permissions },
    });

    this.fn = new lambda.Function(this, 'Function', {
      functionName,
      description: `Validates files landed for ${dataset.names.ref} against contract ${dataset.contract.id} ${dataset.contract.version}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
      handler: HANDLER,
      code: validatorCode(dataset),
      layers: [props.duckDbLayer],
      memorySize: props.memorySize ?? 2048,
      timeout: props.timeout ?? Duration.minutes(10),
      ephemeralStorageSize: props.ephemeralStorageSize ?? Size.gibibytes(4),
      tracing: lambda.Tracing.ACTIVE,
      // Every permission is in the inline policy; the function's own X-Ray grant would add a policy resource.
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      environment: validatorEnvironmentVariables({ environment: identity.environment, buckets }),
    });

    Validations.of(this.role).acknowledge(
      {
        id: wildcardFinding(this, landed.objectsArn),
        reason: `Reads only files landed for ${dataset.names.ref}, under its landing prefix; their keys are not known in advance.`,
      },
      ...outputs.map((output) => ({
        id: wildcardFinding(this, output.objectsArn),
        reason: `Writes only ${dataset.names.ref}'s own outputs, under its prefix; each key carries the delivery's date and file id.`,
      })),
      {
        id: wildcardFinding(this, '*'),
        reason: "X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.",
      },
    );
  }
}

import { CustomResource, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { type IcebergTableSpec, physicalIdOf } from '../../lambdas/athena-ddl/table-spec.ts';
import { athenaDdlServiceTokenParameterName, athenaResultsPrefix, domainFunctionName, type EnvironmentIdentity } from '../config/names.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { HANDLER, handlerCode } from './lambda-code.ts';
import { RETAINED } from './retained.ts';
import { functionLogGroup } from './function-log-group.ts';
import { ZonePrefix } from './zone-prefix.ts';

const ENTRY_POINT = 'lambdas/athena-ddl/index.ts';

export interface AthenaDdlProviderProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  /** The domain's Glue database, which holds every table the provider may create or alter. */
  readonly databaseName: string;
  /** The domain's pipeline workgroup the DDL runs in (`athenaPipelineWorkgroupName`). */
  readonly workGroupName: string;
  /** The environment's key: it encrypts the Athena results and the silver zone. */
  readonly key: kms.IKey;
  readonly athenaResultsBucketName: string;
  /** The zone holding the domain's Iceberg tables. */
  readonly tablesBucketName: string;
  /** Key prefix of the domain's tables in that bucket; Athena writes Iceberg metadata under it. */
  readonly tablesPrefix: string;
  /** Where the domain's gold tables (its models) live, for a domain that owns some. @default the provider owns no gold table */
  readonly gold?: TableLocation;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log groups when the stack is deleted. @default RETAINED (kept, except when its first create rolls back) */
  readonly removalPolicy?: RemovalPolicy;
}

/** A bucket and the key prefix under which the provider creates tables. */
export interface TableLocation {
  readonly bucketName: string;
  readonly prefix: string;
}

/**
 * A domain's one owner of its Iceberg schemas: a custom resource provider whose handler runs
 * Athena DDL in the domain's workgroup (DESIGN.md "Iceberg tables"). Its service token is
 * published in SSM for the domain's dataset stacks, where each `IcebergTable` uses it.
 */
export class AthenaDdlProvider extends Construct {
  readonly fn: lambda.Function;
  readonly provider: cr.Provider;
  /** Holds `provider.serviceToken`; dataset stacks read it when they deploy. */
  readonly serviceTokenParameter: ssm.StringParameter;
  private readonly role: iam.Role;
  /** Created by the first `allowStackStatusOf`: a policy statement needs a resource. */
  private stackStatusStatement?: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: AthenaDdlProviderProps) {
    super(scope, id);
    const { identity, domain } = props;
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RETAINED;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const functionName = domainFunctionName(identity, domain, 'athena-ddl');

    const logGroup = functionLogGroup(this, 'Logs', functionName, { logRetention: retention, removalPolicy });
    const role = (this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Athena DDL of the ${domain} domain in ${identity.environment}: creates and extends its Iceberg tables`,
    }));
    const workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workGroupName });
    const glue = (resource: string, resourceName?: string): string =>
      stack.formatArn({ service: 'glue', resource, ...(resourceName === undefined ? {} : { resourceName }) });
    const domainTables = glue('table', `${props.databaseName}/*`);
    const results = new ZonePrefix(props.athenaResultsBucketName, athenaResultsPrefix(domain));
    const tableFiles = new ZonePrefix(props.tablesBucketName, props.tablesPrefix);
    const goldFiles = props.gold === undefined ? undefined : new ZonePrefix(props.gold.bucketName, props.gold.prefix);
    const written = [results, tableFiles, ...(goldFiles === undefined ? [] : [goldFiles])];
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunDdlInTheDomainWorkgroup',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution'],
        resources: [workGroupArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnTheDomainTables',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'],
        resources: [glue('catalog'), glue('database', props.databaseName), domainTables],
      }),
    );
    role.addToPolicy(ZonePrefix.locateBuckets('FindBuckets', written.map((files) => files.bucketName)));
    role.addToPolicy(ZonePrefix.listObjects('ListDomainFiles', written));
    role.addToPolicy(ZonePrefix.grantObjects('WriteResultsAndTableMetadata', written, { read: true, write: true, multipartUploads: 'abort' }));
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
    );
    logGroup.grantWrite(role);

    this.fn = new lambda.Function(this, 'Function', {
      functionName,
      description: `Creates the ${domain} domain's Iceberg tables and adds contract columns with Athena DDL`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
      handler: HANDLER,
      code: handlerCode(ENTRY_POINT),
      memorySize: 256,
      timeout: Duration.minutes(5),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
    });

    const frameworkLogGroup = new logs.LogGroup(this, 'FrameworkLogs', { retention, removalPolicy });
    const frameworkRole = new iam.Role(this, 'FrameworkRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Custom resource framework of the ${domain} domain's Athena DDL in ${identity.environment}`,
    });
    frameworkLogGroup.grantWrite(frameworkRole);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.fn,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogGroup,
    });

    this.serviceTokenParameter = new ssm.StringParameter(this, 'ServiceToken', {
      parameterName: athenaDdlServiceTokenParameterName(identity, domain),
      description: `Service token of the ${domain} domain's Athena DDL provider in ${identity.environment}, read by its dataset stacks`,
      stringValue: this.provider.serviceToken,
    });

    Validations.of(role).acknowledge(
      {
        id: wildcardFinding(this, domainTables),
        reason: `Creates and extends only tables of the ${props.databaseName} database; their names come with the contracts.`,
      },
      {
        id: wildcardFinding(this, results.objectsArn),
        reason: `Athena writes DDL results only under the ${domain} domain's results prefix, with keys it chooses.`,
      },
      {
        id: wildcardFinding(this, tableFiles.objectsArn),
        reason: `Athena writes Iceberg metadata only under the ${domain} domain's table prefix, with keys it chooses.`,
      },
      ...(goldFiles === undefined
        ? []
        : [{ id: wildcardFinding(this, goldFiles.objectsArn), reason: `Athena writes Iceberg metadata only under the ${domain} domain's gold prefix, with keys it chooses.` }]),
      { id: wildcardFinding(this, '*'), reason: 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.' },
    );
    Validations.of(frameworkRole).acknowledge({
      id: wildcardFinding(this, `${this.fn.functionArn}:*`),
      reason: 'The custom resource framework invokes the DDL function and its versions; the grant is the framework\'s own.',
    });
  }

  /**
   * Lets the handler read the status of `stack`, which holds tables this provider owns: during a
   * rollback the handler keeps a table it would otherwise refuse to narrow. The provider's own
   * stack is named by its id; another (a dataset stack, deployed after this one, whose id does
   * not exist yet) by its name and any id.
   */
  allowStackStatusOf(stack: Stack): void {
    const own = Stack.of(this);
    const arn = stack === own ? own.stackId : own.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stack.stackName}/*` });
    if (this.stackStatusStatement === undefined) {
      this.stackStatusStatement = new iam.PolicyStatement({ sid: 'ReadTheStatusOfTableStacks', actions: ['cloudformation:DescribeStacks'], resources: [arn] });
      this.role.addToPolicy(this.stackStatusStatement);
    } else {
      this.stackStatusStatement.addResources(arn);
    }
    if (stack !== own) {
      Validations.of(this.role).acknowledge({
        id: wildcardFinding(this, arn),
        reason: `Reads the status of the ${stack.stackName} stack only; CloudFormation appends its id to the ARN when it creates the stack.`,
      });
    }
  }
}

export interface IcebergTableProps {
  /** The domain's `AthenaDdlProvider` service token (in a dataset stack, read from SSM). */
  readonly serviceToken: string;
  readonly spec: IcebergTableSpec;
}

/**
 * One Iceberg table owned by Athena DDL: created when missing, extended with new contract
 * columns, never changed otherwise, and retained when the resource or its stack is deleted.
 */
export class IcebergTable extends Construct {
  readonly resource: CustomResource;
  /** `<database>.<table>`. */
  readonly qualifiedName: string;

  constructor(scope: Construct, id: string, props: IcebergTableProps) {
    super(scope, id);
    const { spec } = props;
    this.qualifiedName = physicalIdOf(spec);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: props.serviceToken,
      resourceType: 'Custom::IcebergTable',
      // Only name and type: a column may carry more (its other engines' types), and any change
      // of a property is an update the handler must run.
      properties: { ...spec, columns: spec.columns.map((column) => ({ name: column.name, type: column.type })) },
      removalPolicy: RETAINED,
    });
  }
}

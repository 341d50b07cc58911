import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { athenaResultsPrefix, type EnvironmentIdentity, maintenanceLogGroupName, maintenanceStateMachineName } from '../config/names.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { MAINTENANCE_STATES as STATES, maintenanceItem, type MaintainedTable } from '../pipeline/maintenance-steps.ts';
import { executionLogGroup, type ExecutionLogProps, loggedAndTraced } from './execution-logs.ts';
import type { TableLocation } from './iceberg-table.ts';
import { attachGrowingStatements } from './policy-size.ts';
import { retryAsNewQuery } from './task-retry.ts';
import { ZonePrefix } from './zone-prefix.ts';

export interface DomainMaintenanceProps extends ExecutionLogProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  /** The domain's Iceberg tables, silver and gold (its models', its ML models' predictions and ml_runs), with their contracts' retention; the role may commit to these only. */
  readonly tables: readonly MaintainedTable[];
  /** EventBridge schedule expression from `domain.yaml`, e.g. `cron(0 3 * * ? *)`. */
  readonly schedule: string;
  /** The domain's Glue database. */
  readonly databaseName: string;
  /** The domain's pipeline workgroup the statements run in (`athenaPipelineWorkgroupName`): whole-table rewrites need no analysts' cutoff. */
  readonly workGroupName: string;
  /** The environment's key: Athena results, table files and alerts are encrypted with it. */
  readonly key: kms.IKey;
  readonly alertTopic: sns.ITopic;
  readonly athenaResultsBucketName: string;
  /** The zone holding the domain's Iceberg tables. */
  readonly tablesBucketName: string;
  /** Key prefix of the domain's tables in that bucket. */
  readonly tablesPrefix: string;
  /** Where the domain's gold tables (its models', its ML models' predictions and ml_runs) live, for a domain that owns some. @default no gold table is maintained */
  readonly gold?: TableLocation;
  /**
   * Tables maintained at once: each runs Athena DML, which counts against the account's
   * concurrent query quota that loads need too.
   * @default 2
   */
  readonly maxConcurrency?: number;
  /** How long one `DELETE`, `OPTIMIZE` or `VACUUM` may run. @default Duration.hours(1) */
  readonly statementTimeout?: Duration;
}

/** What Athena's `DELETE`, `OPTIMIZE` and `VACUUM` ask Glue for, on the catalog, the database and the table alike. */
const TABLE_COMMIT_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable'];
/** Athena throttling and transient service errors: retried with backoff and full jitter. */
const ATHENA_SERVICE_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];
const SNS_PUBLISH_TIMEOUT = Duration.seconds(30);

/**
 * A domain's scheduled Iceberg maintenance (DESIGN.md "Retention"): per table, delete rows past
 * the contract's retention, compact with `OPTIMIZE`, then expire old snapshots and files with
 * `VACUUM`. A failing table is alerted and the others still run; the execution then fails.
 */
export class DomainMaintenance extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly schedule: events.Rule;
  /** The managed policies granting the commits to each maintained table, which grow with the domain. */
  readonly grants: readonly iam.ManagedPolicy[];

  constructor(scope: Construct, id: string, props: DomainMaintenanceProps) {
    super(scope, id);
    const { identity, domain } = props;
    const statementTimeout = props.statementTimeout ?? Duration.hours(1);
    const maxConcurrency = props.maxConcurrency ?? 2;
    if (props.tables.length === 0) throw new Error(`maintenance of domain '${domain}': the domain has no tables to maintain`);
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new Error(`maintenance of domain '${domain}': maxConcurrency must be a whole number of at least 1, got ${maxConcurrency}`);
    }

    const athenaStatement = (stateName: string, queryField: string): sfn.CustomState => {
      const state = new sfn.CustomState(this, stateName, {
        stateJson: {
          Type: 'Task',
          Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
          Parameters: { 'QueryString.$': `$.${queryField}`, WorkGroup: props.workGroupName },
          TimeoutSeconds: statementTimeout.toSeconds(),
          ResultPath: null,
        },
      });
      state.addRetry({
        errors: ATHENA_SERVICE_ERRORS,
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxAttempts: 5,
        maxDelay: Duration.minutes(2),
        jitterStrategy: sfn.JitterType.FULL,
      });
      retryAsNewQuery(state);
      return state;
    };

    const alert = (stateName: string, subject: string, message: string): tasks.SnsPublish => {
      const publish = new tasks.SnsPublish(this, stateName, {
        topic: props.alertTopic,
        subject,
        message: sfn.TaskInput.fromText(message),
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(SNS_PUBLISH_TIMEOUT),
      });
      publish.addRetry({
        errors: [sfn.Errors.TASKS_FAILED],
        interval: Duration.seconds(2),
        backoffRate: 2,
        maxAttempts: 3,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return publish;
    };

    const applyRetention = athenaStatement(STATES.applyRetention, 'applyRetention');
    const optimize = athenaStatement(STATES.optimize, 'optimize');
    const vacuum = athenaStatement(STATES.vacuum, 'vacuum');
    const tableFailed = new sfn.Pass(this, STATES.tableFailed, { parameters: { 'table.$': '$.table', failed: true } });
    const alertTableFailed = alert(
      STATES.alertTableFailed,
      `Lakehouse ${domain}: table maintenance failed`,
      sfn.JsonPath.format(
        'Maintenance of Iceberg table {} failed; its remaining steps were skipped in this run. Error: {}. Cause: {}',
        sfn.JsonPath.stringAt('$.table'),
        sfn.JsonPath.stringAt('$.error.Error'),
        sfn.JsonPath.stringAt('$.error.Cause'),
      ),
    ).next(tableFailed);
    for (const statement of [applyRetention, optimize, vacuum]) {
      statement.addCatch(alertTableFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    }
    const tableMaintained = new sfn.Pass(this, STATES.tableMaintained, { parameters: { 'table.$': '$.table', failed: false } });
    const maintainTable = new sfn.Choice(this, STATES.hasRetention)
      .when(sfn.Condition.isPresent('$.applyRetention'), applyRetention.next(optimize))
      .otherwise(optimize);
    optimize.next(vacuum).next(tableMaintained);

    const forEachTable = new sfn.Map(this, STATES.forEachTable, {
      itemsPath: '$.tables',
      maxConcurrency,
      // Every iteration ends with `{ table, failed }`; a path matching nothing would be a runtime error.
      resultSelector: { 'anyTableFailed.$': 'States.ArrayContains($[*].failed, true)' },
      resultPath: '$.maintenance',
    });
    forEachTable.itemProcessor(maintainTable);

    const maintenanceFailed = new sfn.Fail(this, STATES.maintenanceFailed, {
      error: 'MaintenanceFailed',
      cause: `Maintenance of the ${domain} domain's Iceberg tables failed; the alerts name the tables and errors`,
    });
    const alertMaintenanceFailed = alert(
      STATES.alertMaintenanceFailed,
      `Lakehouse ${domain}: maintenance run failed`,
      sfn.JsonPath.format(
        `Maintenance of the ${domain} domain stopped before every table was done. Error: {}. Cause: {}`,
        sfn.JsonPath.stringAt('$.error.Error'),
        sfn.JsonPath.stringAt('$.error.Cause'),
      ),
    ).next(maintenanceFailed);
    forEachTable.addCatch(alertMaintenanceFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const listTables = new sfn.Pass(this, STATES.listTables, {
      result: sfn.Result.fromArray(props.tables.map(maintenanceItem)),
      resultPath: '$.tables',
    });
    const definition = listTables.next(forEachTable).next(
      new sfn.Choice(this, STATES.anyTableFailed)
        .when(sfn.Condition.booleanEquals('$.maintenance.anyTableFailed', true), maintenanceFailed)
        .otherwise(new sfn.Succeed(this, STATES.maintenanceDone)),
    );

    const stateMachineName = maintenanceStateMachineName(identity, domain);
    this.logGroup = executionLogGroup(this, maintenanceLogGroupName(identity, domain), props);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `Iceberg maintenance of the ${domain} domain in ${identity.environment}`,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      ...loggedAndTraced(this.logGroup),
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      role,
    });
    this.grants = this.grantStatements(role, props);
    // A run started before its grants are attached would fail on its first table.
    for (const grant of this.grants) this.stateMachine.node.addDependency(grant);

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Iceberg maintenance of the ${domain} domain on its domain.yaml schedule`,
      schedule: events.Schedule.expression(props.schedule),
      targets: [new targets.SfnStateMachine(this.stateMachine, { input: events.RuleTargetInput.fromObject({}) })],
    });
  }

  /**
   * What the statements need: the workgroup, the zone's files, the key, and Glue commits to exactly
   * the maintained tables (not the validated, raw or inference output tables of the same database).
   * One statement per table grows with the domain: those go to managed policies, as IAM caps a
   * role's inline policies at 10,240 bytes.
   */
  private grantStatements(role: iam.Role, props: DomainMaintenanceProps): iam.ManagedPolicy[] {
    const stack = Stack.of(this);
    const glue = (resource: string, resourceName?: string): string =>
      stack.formatArn({ service: 'glue', resource, ...(resourceName === undefined ? {} : { resourceName }) });
    const results = new ZonePrefix(props.athenaResultsBucketName, athenaResultsPrefix(props.domain));
    const tableFiles = new ZonePrefix(props.tablesBucketName, props.tablesPrefix);
    const goldFiles = props.gold === undefined ? undefined : new ZonePrefix(props.gold.bucketName, props.gold.prefix);
    const maintainedFiles = [tableFiles, ...(goldFiles === undefined ? [] : [goldFiles])];
    const statements = [
      new iam.PolicyStatement({
        sid: 'RunStatementsInTheDomainWorkgroup',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workGroupName })],
      }),
      new iam.PolicyStatement({
        sid: 'UseTheDomainDatabase',
        actions: TABLE_COMMIT_ACTIONS,
        resources: [glue('catalog'), glue('database', props.databaseName)],
      }),
      ZonePrefix.locateBuckets('FindBuckets', [results, ...maintainedFiles].map((files) => files.bucketName)),
      ZonePrefix.listObjects('ListDomainFiles', [results, ...maintainedFiles]),
      results.grantObjects('WriteQueryResults', { read: true, write: true, multipartUploads: 'abort' }),
      ZonePrefix.grantObjects('RewriteAndExpireTableFiles', maintainedFiles, { read: true, write: true, delete: true, multipartUploads: 'abort' }),
      new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
    ];
    for (const statement of statements) role.addToPolicy(statement);
    const grants = attachGrowingStatements(this, {
      role,
      what: `maintenance of domain '${props.domain}'`,
      statements: props.tables.map(
        (table) =>
          // No Sid: one must be unique in a policy, and table names are not unique in PascalCase.
          new iam.PolicyStatement({
            actions: TABLE_COMMIT_ACTIONS,
            resources: [glue('table', `${table.database}/${table.table}`)],
          }),
      ),
      description: `Iceberg maintenance of the ${props.domain} domain in ${props.identity.environment}: the tables it commits to`,
      fix: `move some of its datasets or models to another domain, or raise the account's IAM quota of managed policies per role to 20 and IAM_POLICY_LIMITS.managedPoliciesPerRole with it`,
    });
    Validations.of(role).acknowledge(
      {
        id: wildcardFinding(this, results.objectsArn),
        reason: `Athena writes query results only under the ${props.domain} domain's results prefix, with keys it chooses.`,
      },
      {
        id: wildcardFinding(this, tableFiles.objectsArn),
        reason: `OPTIMIZE and VACUUM rewrite and delete data files only under the ${props.domain} domain's table prefix, with keys Iceberg chooses.`,
      },
      ...(goldFiles === undefined
        ? []
        : [{ id: wildcardFinding(this, goldFiles.objectsArn), reason: `OPTIMIZE and VACUUM rewrite and delete data files only under the ${props.domain} domain's gold prefix, with keys Iceberg chooses.` }]),
      {
        id: wildcardFinding(this, '*'),
        reason: 'Step Functions log delivery (logs:*LogDelivery*, logs:DescribeResourcePolicies) and X-Ray tracing support no resource-level permissions.',
      },
    );
    return grants.map((grant) => grant.policy);
  }
}

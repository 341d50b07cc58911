import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import type { AslDefinition } from '../../lib/local/stepfunctions/states.ts';
import { lineageRunPaths } from '../../lib/constructs/lineage-states.ts';
import { PIPELINE_PATHS } from '../../lib/pipeline/pipeline-data.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import { events, orders } from '../pipeline/helpers.ts';
import { pipelineStage } from '../pipeline/pipeline-stage.ts';

type State = Record<string, unknown> & { Type: string };
interface PolicyStatement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function statesOf(definition: AslDefinition): [string, State][] {
  return Object.entries(definition.States) as [string, State][];
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

describe('DatasetPipeline', () => {
  let template: Template;
  let definition: AslDefinition;
  let statements: PolicyStatement[];

  beforeAll(() => {
    const { stage, stack } = pipelineStage(orders);
    template = Template.fromStack(stack);
    const [machine] = stageStateMachines(stage);
    definition = machine!.definition;
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'states.amazonaws.com' } }] } } });
    const [role] = Object.values(roles) as [{ Properties: { Policies: { PolicyDocument: { Statement: PolicyStatement[] } }[] } }];
    statements = role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
  });

  it('is a Standard state machine named from names.ts with a timeout, X-Ray tracing and full logging', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'acme-dev-sales-pipeline-orders',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineLogs'), 'Arn'] } } }],
      },
    });
    expect(definition.TimeoutSeconds).toBe(Duration.hours(6).toSeconds());
  });

  it('logs to a KMS-encrypted log group under /aws/vendedlogs, whose key lets only CloudWatch Logs of these log groups use it', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/acme-dev-sales-pipeline-orders',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogKey'), 'Arn'] },
      RetentionInDays: 365,
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'RetainExceptOnCreate' });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:/aws/vendedlogs/states/acme-dev-sales-pipeline-*']],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('uses JSONPath only: no JSONata, no variables', () => {
    expect((definition as { QueryLanguage?: string }).QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [name, state] of statesOf(definition)) {
      expect(state['QueryLanguage'] ?? 'JSONPath', name).toBe('JSONPath');
      expect(state['Assign'], name).toBeUndefined();
    }
  });

  it('sets TimeoutSeconds on every Task', () => {
    const tasks = statesOf(definition).filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(13);
    for (const [name, state] of tasks) expect(state['TimeoutSeconds'], name).toEqual(expect.any(Number));
  });

  it('retries every Task with exponential backoff and full jitter', () => {
    for (const [name, state] of statesOf(definition).filter(([, candidate]) => candidate.Type === 'Task')) {
      const retries = (state['Retry'] ?? []) as Record<string, unknown>[];
      const backingOff = retries.filter((retry) => retry['JitterStrategy'] === 'FULL');
      expect(backingOff.length, name).toBe(1);
      expect(backingOff[0], name).toMatchObject({ BackoffRate: 2, MaxAttempts: expect.any(Number), MaxDelaySeconds: expect.any(Number) });
    }
  });

  it('retries Lambda service errors and throttling on Validate, Athena throttling and server errors on Load', () => {
    expect(definition.States[S.validate]).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Retry: [
        {
          ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
          JitterStrategy: 'FULL',
        },
      ],
    });
    expect(definition.States[S.load]).toMatchObject({
      Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      Retry: [{ ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'], JitterStrategy: 'FULL' }],
      Parameters: { WorkGroup: 'acme-dev-sales-pipeline', 'ClientRequestToken.$': '$.load.token' },
    });
  });

  it('catches every error of every Task but the last alert into the failure path, and of a lineage write into where it was going', () => {
    const lineageWrites = new Set<string>([S.writeLineageStart, S.writeLineageLoaded, S.writeLineageNothingToLoad, S.writeLineageRejected, S.writeLineageFailed]);
    const tasks = statesOf(definition).filter(([name, state]) => state.Type === 'Task' && name !== S.alertFailed);
    for (const [name, state] of tasks) {
      const catches = (state['Catch'] ?? []) as { ErrorEquals: string[]; Next: string }[];
      const catchAll = catches.find((entry) => entry.ErrorEquals.includes('States.ALL'));
      if (lineageWrites.has(name)) expect(catchAll?.Next, name).toBe(state['Next']);
      // The rejection's FAIL is written before its alert: a failed alert goes on to the failure alert, not to a second FAIL.
      else if (name === S.alertRejected) expect(catchAll?.Next, name).toBe(S.alertFailed);
      else expect(catchAll?.Next, name).toMatch(/^(WriteLineageFailed|ReleaseLockAfterFailure|CheckLoadFailure)$/);
    }
    expect(definition.States[S.writeLineageFailed]).toMatchObject({ Next: S.alertFailed });
    expect(definition.States[S.writeLineageRejected]).toMatchObject({ Next: S.alertRejected });
    expect(definition.States[S.alertFailed]).toMatchObject({ Next: S.pipelineFailed });
    expect(definition.States[S.checkLoadFailure]).toMatchObject({ Default: S.releaseLockAfterFailure });
    expect(definition.States[S.releaseLockAfterFailure]).toMatchObject({ Next: S.writeLineageFailed });
  });

  it("spells the run's file and table once, in StartLineageRun: START and a failure's FAIL take them whole, the events with row counts their facets", () => {
    const { shared } = lineageRunPaths(PIPELINE_PATHS.lineage);
    const bodyOf = (name: string) => (definition.States[name] as unknown as { Parameters: { Body: Record<string, unknown> } }).Parameters.Body;
    for (const name of [S.writeLineageStart, S.writeLineageFailed]) {
      expect(bodyOf(name), name).toMatchObject({ 'job.$': `${shared}.job`, 'inputs.$': `${shared}.inputs`, 'outputs.$': `${shared}.outputs` });
    }
    for (const name of [S.writeLineageLoaded, S.writeLineageNothingToLoad, S.writeLineageRejected]) {
      const { inputs, outputs } = bodyOf(name) as { inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[] };
      expect(inputs[0], name).toMatchObject({ 'facets.$': `${shared}.inputs[0].facets`, inputFacets: { dataQualityMetrics: expect.anything() } });
      expect(outputs[0], name).toMatchObject({ 'facets.$': `${shared}.outputs[0].facets`, outputFacets: { outputStatistics: expect.anything() } });
    }
  });

  it('renews the request token after an Iceberg commit conflict, bounded by a counter', () => {
    expect(definition.States[S.checkLoadFailure]).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.failure.Cause', IsPresent: true },
            { Variable: '$.failure.Cause', StringMatches: '*ICEBERG_COMMIT_ERROR*' },
            { Variable: '$.load.commitConflicts', NumericLessThan: 5 },
          ],
          Next: S.renewLoadToken,
        },
      ],
    });
    expect(definition.States[S.renewLoadToken]).toMatchObject({
      Parameters: { 'token.$': 'States.UUID()', 'commitConflicts.$': 'States.MathAdd($.load.commitConflicts, 1)' },
      Next: S.load,
    });
  });

  it('waits for a held lock at most 120 times, 30 seconds apart, by default', () => {
    expect(definition.States[S.waitForLock]).toMatchObject({ Seconds: 30 });
    expect(definition.States[S.checkLockWaits]).toMatchObject({
      Choices: [{ Variable: '$.load.lockWaits', NumericGreaterThanEquals: 120, Next: S.lockNotAcquired }],
    });
    expect(definition.States[S.validate]).toMatchObject({ TimeoutSeconds: 900 });
    expect(definition.States[S.load]).toMatchObject({ TimeoutSeconds: 1800 });
  });

  it('gives its role no managed policy and no wildcard action', () => {
    template.resourcePropertiesCountIs('AWS::IAM::Policy', { Roles: [{ Ref: Match.stringLikeRegexp('^PipelineRole') }] }, 0);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineRole'), 'Arn'] } });
    const role = Object.values(template.findResources('AWS::IAM::Role')).find((resource) => JSON.stringify(resource).includes('states.amazonaws.com'));
    expect(role?.['Properties']['ManagedPolicyArns']).toBeUndefined();
    for (const statement of statements) {
      for (const action of list(statement.Action)) expect(action, statement.Sid).not.toContain('*');
    }
  });

  it('allows a wildcard resource only where the action has no resource-level permission, under a condition where one exists', () => {
    const unscoped = statements.filter((statement) => list(statement.Resource).includes('*'));
    expect(unscoped.map((statement) => statement.Sid).sort()).toEqual(['DeliverExecutionLogs', 'PublishLoadMetrics', 'TraceExecutions']);
    expect(unscoped.find((statement) => statement.Sid === 'PublishLoadMetrics')).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'ContractLakehouse' } },
    });
  });

  it("reaches only this dataset's prefixes, tables and lock item", () => {
    const resources = (sid: string): string[] =>
      list(statements.find((statement) => statement.Sid === sid)?.Resource).map((resource) => JSON.stringify(resource));
    expect(resources('ReadValidatedFiles')).toEqual([expect.stringContaining(':s3:::acme-dev-validated-111111111111-eu-west-1/sales/orders/*')]);
    expect(resources('WriteSilverFiles')).toEqual([expect.stringContaining(':s3:::acme-dev-silver-111111111111-eu-west-1/sales/orders/*')]);
    expect(resources('WriteQueryResults')).toEqual([expect.stringContaining(':s3:::acme-dev-athena-results-111111111111-eu-west-1/sales/pipelines/orders/*')]);
    expect(resources('CommitSilverTable').join()).toContain(':table/acme_dev_sales/orders"');
    expect(resources('CommitSilverTable').join()).not.toContain('orders_validated');
    expect(resources('ReadTableDefinitions').join()).toContain(':table/acme_dev_sales/orders_validated"');
    expect(resources('RunLoadQuery')).toEqual([expect.stringContaining(':athena:eu-west-1:111111111111:workgroup/acme-dev-sales-pipeline"')]);
    expect(resources('PublishAlerts')).toEqual([expect.stringContaining(':sns:eu-west-1:111111111111:acme-dev-sales-alerts"')]);
    expect(resources('CheckLockHolder')).toEqual([expect.stringContaining(':states:eu-west-1:111111111111:execution:acme-dev-sales-pipeline-orders:*"')]);
    for (const sid of ['ListValidatedFiles', 'ListSilverFiles']) {
      expect(statements.find((statement) => statement.Sid === sid)?.Condition).toEqual({ StringLike: { 's3:prefix': ['sales/orders/*'] } });
    }
    expect(statements.find((statement) => statement.Sid === 'HoldDatasetLock')).toMatchObject({
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['sales/orders'] } },
    });
    expect(statements.find((statement) => statement.Sid === 'AnnounceLoads')).toMatchObject({
      Condition: {
        'ForAllValues:StringEquals': { 'events:source': ['contract-lakehouse'], 'events:detail-type': ['DatasetLoaded'] },
        Null: { 'events:source': 'false', 'events:detail-type': 'false' },
      },
    });
  });

  it('lets only Step Functions of its own account and state machine assume the role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Service: 'states.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          },
        ],
      },
    });
  });

  it('keeps its locks in a pay-per-request table with point-in-time recovery, destroyed with the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('renders the append load for a keyless dataset', () => {
    const { pipeline } = pipelineStage(events);
    expect(pipeline.load.athena({ fileId: 'abc', sourceId: 'def', ingestDate: '2026-01-01', ingestedAt: '2026-01-01 06:00:00.000' })).toContain('WHEN MATCHED AND s."_replaced" THEN DELETE');
  });

  it('refuses settings under which a slow but healthy run would time out, and negative counts', () => {
    expect(() => pipelineStage(orders, { timeout: Duration.hours(1) })).toThrow(
      /pipeline of sales\/orders: timeout 3600 s is shorter than validation, 120 lock waits and 6 loads at their longest \(15300 s\)/,
    );
    expect(() => pipelineStage(orders, { maxLockWaits: -1 })).toThrow(/maxLockWaits must be a whole number of at least 0, got -1/);
    expect(() => pipelineStage(orders, { maxCommitConflictRetries: 1.5 })).toThrow(/maxCommitConflictRetries must be a whole number/);
  });
});

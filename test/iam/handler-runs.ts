/**
 * Runs each Lambda's real handler, configured from its synthesized function (environment
 * variables, bundled dataset or routes), on the shipped samples, with recording SDK clients: the
 * commands it sends are the calls its role must allow.
 */
import { createReadStream, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EntityNotFoundException, GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAthenaDdlHandler } from '../../lambdas/athena-ddl/handler.ts';
import { createFreshnessCheckHandler } from '../../lambdas/freshness-check/handler.ts';
import { readFreshnessCheckSettings } from '../../lambdas/freshness-check/settings.ts';
import { createRouterHandler } from '../../lambdas/route-landed-file/handler.ts';
import { readRouterSettings } from '../../lambdas/route-landed-file/settings.ts';
import { createValidateHandler } from '../../lambdas/validate/handler.ts';
import type { EnvironmentIdentity } from '../../lib/config/names.ts';
import { domainFunctionName, glueDatabaseName, validatorFunctionName } from '../../lib/config/names.ts';
import { domainRoutes } from '../../lib/constructs/domain-router.ts';
import { freshnessCheckConfig } from '../../lib/constructs/freshness-check.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { readValidatorSettings } from '../../lib/ingest/validator-settings.ts';
import type { AthenaCatalog } from './athena-on-behalf.ts';
import { type Call, distinctCalls } from './call.ts';
import { callsOfCommands, recording, type SentCommand } from './sdk-calls.ts';
import type { SynthesizedApp, SynthesizedResource } from './synthesized-app.ts';

/** The shipped samples were delivered then (README "Validation"). */
const DELIVERED_AT = '2026-11-21T06:00:00Z';
const silent = new Logger({ logLevel: 'SILENT' });

export interface HandlerRun {
  readonly kind: 'validator' | 'router' | 'athena-ddl' | 'freshness-check';
  /** `<domain>/<dataset>` or the domain. */
  readonly subject: string;
  readonly function: SynthesizedResource;
  readonly calls: readonly Call[];
}

function environmentOf(fn: SynthesizedResource): Record<string, string> {
  return (fn.resolve((fn.raw.Properties?.['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {}) ?? {}) as Record<string, string>;
}

export async function runHandlers(
  app: SynthesizedApp,
  athena: AthenaCatalog,
  contracts: Catalog,
  identity: EnvironmentIdentity,
): Promise<HandlerRun[]> {
  const topicKeys = new Map(
    app.resources
      .filter((candidate) => candidate.type === 'AWS::SNS::Topic')
      .map((topic) => [topic.resolve({ Ref: topic.logicalId }) as string, topic.resolve(topic.raw.Properties?.['KmsMasterKeyId']) as string | null]),
  );
  const toCalls = (sent: readonly SentCommand[]): Call[] => distinctCalls(callsOfCommands({ catalog: athena, topicKeys }, sent));
  const functions = app.resources.filter((resource) => resource.type === 'AWS::Lambda::Function');
  const named = (name: string): SynthesizedResource => {
    const found = functions.find((fn) => fn.raw.Properties?.['FunctionName'] === name);
    if (found === undefined) throw new Error(`no function ${name} in the app`);
    return found;
  };
  const runs: HandlerRun[] = [];
  for (const domain of contracts.domains) {
    for (const dataset of domain.datasets) {
      const fn = named(validatorFunctionName(identity, dataset));
      const settings = readValidatorSettings(environmentOf(fn));
      const samples = readdirSync(join(contracts.root, domain.name, 'samples')).filter((file) => file.startsWith(`${dataset.name}.`));
      if (samples.length === 0) throw new Error(`${dataset.names.ref} has no sample to run its validator on`);
      const sent: SentCommand[] = [];
      for (const sample of samples) {
        const path = join(contracts.root, domain.name, 'samples', sample);
        const s3 = recording(new S3Client({ region: identity.region }), 'S3', sent, (command) =>
          command.command === 'GetObjectCommand'
            ? { Body: createReadStream(path) }
            : command.command === 'HeadObjectCommand'
              ? { VersionId: 'landed-version', ETag: '"landed-etag"', LastModified: new Date(DELIVERED_AT) }
              : {},
        );
        const scratch = mkdtempSync(join(tmpdir(), 'iam-validator-'));
        try {
          const handler = createValidateHandler({ dataset, s3, buckets: settings.buckets, environment: settings.environment, scratchDirectory: scratch, logger: silent });
          await handler({ bucket: settings.buckets.landing, key: `${dataset.names.landingPrefix}${sample}`, versionId: 'landed-version', eventTime: DELIVERED_AT });
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      }
      runs.push({ kind: 'validator', subject: dataset.names.ref, function: fn, calls: toCalls(sent) });
    }

    const router = named(domainFunctionName(identity, domain.name, 'router'));
    const sent: SentCommand[] = [];
    const handler = createRouterHandler({
      ...readRouterSettings(environmentOf(router)),
      routes: domainRoutes(identity, domain.name, domain.datasets),
      stepFunctions: recording(new SFNClient({ region: identity.region }), 'SFN', sent, () => ({ executionArn: 'started', startDate: new Date() })),
      sns: recording(new SNSClient({ region: identity.region }), 'SNS', sent, () => ({ MessageId: 'sent' })),
      logger: silent,
    });
    const landing = readValidatorSettings(environmentOf(named(validatorFunctionName(identity, domain.datasets[0]!)))).buckets.landing;
    const keys = [...domain.datasets.map((dataset) => `${dataset.names.landingPrefix}delivery.csv`), `${domain.name}/no-such-dataset/delivery.csv`];
    for (const key of keys) {
      await handler({ time: DELIVERED_AT, detail: { bucket: { name: landing }, object: { key, 'version-id': 'landed-version', etag: 'landed-etag' } } });
    }
    runs.push({ kind: 'router', subject: domain.name, function: router, calls: toCalls(sent) });

    // A domain whose datasets declare no SLA has no freshness check; the shipped ones all have one.
    const freshness = freshnessCheckConfig(identity, domain.datasets);
    if (freshness.targets.length > 0) {
      const fn = named(domainFunctionName(identity, domain.name, 'freshness-check'));
      const checked: SentCommand[] = [];
      // The first pipeline never loaded, so its creation is described too.
      const neverLoaded = freshness.targets[0]!.stateMachineName;
      const check = createFreshnessCheckHandler({
        ...readFreshnessCheckSettings(environmentOf(fn)),
        config: freshness,
        stepFunctions: recording(new SFNClient({ region: identity.region }), 'SFN', checked, (command) =>
          command.command === 'DescribeStateMachineCommand'
            ? { creationDate: new Date(DELIVERED_AT) }
            : { executions: String(command.input['stateMachineArn']).endsWith(`:${neverLoaded}`) ? [] : [{ stopDate: new Date(DELIVERED_AT) }] },
        ),
        cloudWatch: recording(new CloudWatchClient({ region: identity.region }), 'CloudWatch', checked, () => ({})),
        logger: silent,
      });
      await check();
      runs.push({ kind: 'freshness-check', subject: domain.name, function: fn, calls: toCalls(checked) });
    }

    const database = glueDatabaseName(identity, domain.name);
    const ddl = named(domainFunctionName(identity, domain.name, 'athena-ddl'));
    runs.push({ kind: 'athena-ddl', subject: domain.name, function: ddl, calls: toCalls(await runAthenaDdl(app, database, identity.region)) });
  }
  return runs;
}

interface TableColumnSpec {
  readonly name: string;
  readonly type: string;
}

/**
 * The domain's table owner on each of the domain's Iceberg tables, as CloudFormation sends them:
 * created, extended by a column, and rolled back from that column.
 */
async function runAthenaDdl(app: SynthesizedApp, database: string, region: string): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  let catalogColumns: readonly TableColumnSpec[] | undefined;
  let stackStatus = 'UPDATE_IN_PROGRESS';
  const glueTable = (columns: readonly TableColumnSpec[]): Record<string, unknown> => ({
    Table: { Parameters: { table_type: 'ICEBERG' }, StorageDescriptor: { Columns: columns.map((column) => ({ Name: column.name, Type: column.type })) } },
  });
  const handler = createAthenaDdlHandler({
    athena: recording(new AthenaClient({ region }), 'Athena', sent, (command) =>
      command.command === 'StartQueryExecutionCommand' ? { QueryExecutionId: 'ddl-query' } : { QueryExecution: { Status: { State: 'SUCCEEDED' } } },
    ),
    glue: recording(new GlueClient({ region }), 'Glue', sent, () => {
      if (catalogColumns === undefined) throw new EntityNotFoundException({ message: 'no such table', $metadata: {} });
      return glueTable(catalogColumns);
    }),
    cloudFormation: recording(new CloudFormationClient({ region }), 'CloudFormation', sent, () => ({ Stacks: [{ StackStatus: stackStatus }] })),
    sleep: async () => undefined,
    pollIntervalMs: 0,
    logger: silent,
  });
  const tables = app.resources.filter((resource) => resource.type === 'Custom::IcebergTable' && resource.raw.Properties?.['database'] === database);
  if (tables.length === 0) throw new Error(`no Iceberg table in ${database}`);
  for (const table of tables) {
    const { ServiceToken: _token, ...declared } = table.raw.Properties ?? {};
    const properties: Record<string, unknown> = { ServiceToken: 'provider', ...(table.resolve(declared) as Record<string, unknown>) };
    const columns = properties['columns'] as TableColumnSpec[];
    // CloudFormation sends the ARN of the stack the table is declared in.
    const stackId = `arn:aws:cloudformation:${region}:${app.account}:stack/${table.stackName}/00000000-0000-0000-0000-000000000000`;
    const event = { ServiceToken: 'provider', ResponseURL: 'https://response', StackId: stackId, RequestId: 'request', LogicalResourceId: table.logicalId, ResourceType: table.type, ResourceProperties: properties };
    catalogColumns = undefined;
    await handler({ ...event, RequestType: 'Create' } as never);
    catalogColumns = columns.slice(0, -1);
    await handler({ ...event, RequestType: 'Update', PhysicalResourceId: 'table', OldResourceProperties: { ...properties, columns: catalogColumns } } as never);
    catalogColumns = columns;
    stackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';
    const rolledBack = { ...properties, columns: columns.slice(0, -1) };
    await handler({ ...event, RequestType: 'Update', PhysicalResourceId: 'table', ResourceProperties: rolledBack, OldResourceProperties: properties } as never);
    stackStatus = 'UPDATE_IN_PROGRESS';
  }
  return sent;
}

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maintenanceStateMachineName } from '../../lib/config/names.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { runStateMachine } from '../../lib/local/stepfunctions/run.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { type SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';
import { EXPECTED_NEW_QUERY_RETRIER } from './expected-retriers.ts';
import type { TaskHandlers } from '../../lib/local/stepfunctions/task-handlers.ts';
import {
  domainSilverTables,
  findMaintenanceStep,
  MAINTENANCE_STATES as STATES,
  maintenanceItem,
  type MaintainedTable,
} from '../../lib/pipeline/maintenance-steps.ts';
import { buildApp, resourcesOf } from './build.ts';
import { catalog, dataset, domain, environment, settings } from './fixtures.ts';

const SCHEDULE = 'cron(30 2 ? * SUN *)';
const sales = domain('sales', [dataset('sales', 'orders', { retentionDays: 30 }), dataset('sales', 'customers')], {
  maintenanceSchedule: SCHEDULE,
});
const built = buildApp(catalog(sales), settings({ environments: [environment('dev')] }));
const stage = built.stage('dev');
const template = Template.fromStack(stage.domains.get('sales')!.domain);
const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const tables = domainSilverTables(identity, sales);

let machine: SynthesizedStateMachine;
beforeAll(() => {
  const found = stageStateMachines(stage).find((candidate) => candidate.name === maintenanceStateMachineName(identity, 'sales'));
  if (found === undefined) throw new Error('no maintenance state machine in the synthesized stage');
  machine = found;
});

describe('maintenance in the domain stack', () => {
  it('is a Standard state machine logging ALL to a KMS-encrypted log group, traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'acme-dev-sales-maintenance',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    const logGroup = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')).find(
      (resource) => resource.Properties['LogGroupName'] === '/aws/vendedlogs/states/acme-dev-sales-maintenance',
    );
    expect(logGroup?.Properties['KmsKeyId']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^StateMachineLogKey/), 'Arn'] });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':log-group:/aws/vendedlogs/states/acme-dev-sales-\\*$')])],
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('runs on the schedule domain.yaml gives', () => {
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule')).filter((rule) => rule.Properties['ScheduleExpression'] !== undefined);
    expect(rules.map((rule) => rule.Properties['ScheduleExpression'])).toEqual([SCHEDULE]);
    expect(rules[0]!.Properties['Targets']).toEqual([
      expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^MaintenanceStateMachine/) }, Input: '{}' }),
    ]);
  });

  it('holds the Athena rendering of every step of every table of the domain, in its table list', () => {
    const listTables = machine.definition.States[STATES.listTables] as { Result?: unknown };
    expect(listTables.Result).toEqual(tables.map(maintenanceItem));
  });

  it('gives every Task a timeout', () => {
    const tasks = listStates(machine.definition).filter((state) => state.type === 'Task');
    expect(tasks.map((state) => state.name).sort()).toEqual(
      [STATES.alertMaintenanceFailed, STATES.alertTableFailed, STATES.applyRetention, STATES.optimize, STATES.vacuum].sort(),
    );
    for (const task of tasks) expect((task.definition as unknown as Record<string, unknown>)['TimeoutSeconds'], task.name).toBeGreaterThan(0);
  });

  it('retries and catches in every Task and the table Map exactly as the construct means', () => {
    // domain-maintenance.ts's own retriers: Athena's service errors, then a failed statement as a new query; an alert's failure.
    const athenaService = {
      ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
      IntervalSeconds: 5,
      BackoffRate: 2,
      MaxAttempts: 5,
      MaxDelaySeconds: 120,
      JitterStrategy: 'FULL',
    };
    const asNewQuery = EXPECTED_NEW_QUERY_RETRIER;
    const alertRetry = { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'FULL' };
    const catchAll = (next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next }];
    const statement = { Retry: [athenaService, asNewQuery], Catch: catchAll(STATES.alertTableFailed) };
    const expected: Record<string, { Retry?: unknown[]; Catch?: unknown[] }> = {
      [STATES.applyRetention]: statement,
      [STATES.optimize]: statement,
      [STATES.vacuum]: statement,
      [STATES.alertTableFailed]: { Retry: [alertRetry] },
      // The last resort: nothing left to tell.
      [STATES.alertMaintenanceFailed]: { Retry: [alertRetry] },
      [STATES.forEachTable]: { Catch: catchAll(STATES.alertMaintenanceFailed) },
    };
    const handling = listStates(machine.definition).filter((state) => state.type === 'Task' || state.type === 'Map');
    expect(handling.map((state) => state.name).sort()).toEqual(Object.keys(expected).sort());
    for (const state of handling) {
      const raw = state.definition as unknown as Record<string, unknown>;
      expect({ Retry: raw['Retry'], Catch: raw['Catch'] }, state.name).toEqual({ Retry: expected[state.name]!.Retry, Catch: expected[state.name]!.Catch });
    }
  });
});

describe('the synthesized maintenance definition, run offline on the local lake', () => {
  let root: string;
  let clock: Date;
  let lake: LocalLake;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const days = (n: number): number => n * 24 * 60 * 60 * 1000;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'maintenance-lake-'));
    clock = new Date(Date.now() - days(10));
    lake = new LocalLake(root, { now: () => clock });
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    for (const table of tables) {
      lake.createTable(table.database, table.table, [
        { name: 'id', type: 'VARCHAR' },
        { name: 'ingest_date', type: 'DATE' },
      ]);
      for (const age of [400, 1]) {
        await lake.write(connection, table.database, table.table, 'append', `INSERT INTO {{target}} VALUES ('${age}', current_date - ${age})`);
      }
    }
    clock = new Date();
  });

  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
    rmSync(root, { recursive: true, force: true });
  });

  const alerts: JsonValue[] = [];
  const succeeded = { QueryExecution: { Status: { State: 'SUCCEEDED' } } };

  /** What the offline runtime does for each step: the lake's own maintenance, or a DuckDB delete. */
  function lakeHandlers(overrides: Partial<Record<string, (input: JsonValue) => Promise<unknown>>> = {}): TaskHandlers {
    const step = (task: string) => async (input: JsonValue) => {
      const query = (input as { QueryString: string }).QueryString;
      const found = findMaintenanceStep(tables, task, query);
      if (found === undefined) throw new Error(`no maintenance step ${task} runs '${query}'`);
      const { database, table } = found.table as MaintainedTable;
      switch (found.offline.kind) {
        case 'delete':
          await lake.write(connection, database, table, 'delete', `DELETE FROM {{target}} WHERE ${found.offline.predicate}`);
          break;
        case 'compact':
          await lake.compact(database, table);
          break;
        case 'expire-snapshots':
          lake.expireSnapshots(database, table, {
            olderThan: new Date(clock.getTime() - found.offline.maxSnapshotAgeSeconds * 1000),
            retainLast: found.offline.minSnapshotsToKeep,
          });
          break;
      }
      return succeeded;
    };
    const alert = async (input: JsonValue) => {
      alerts.push(input);
      return { MessageId: 'm' };
    };
    return {
      [STATES.applyRetention]: step(STATES.applyRetention),
      [STATES.optimize]: step(STATES.optimize),
      [STATES.vacuum]: step(STATES.vacuum),
      [STATES.alertTableFailed]: alert,
      [STATES.alertMaintenanceFailed]: alert,
      ...overrides,
    } as TaskHandlers;
  }

  async function ids(table: string): Promise<string[]> {
    const directory = lake.tableDirectory('acme_dev_sales', table);
    const files = lake.currentSnapshot('acme_dev_sales', table).files.map((file) => `'${join(directory, file)}'`);
    const rows = (await connection.runAndReadAll(`SELECT id FROM read_parquet([${files.join(', ')}]) ORDER BY id`)).getRowObjectsJS();
    return rows.map((row) => String(row['id']));
  }

  it('applies retention where the contract has one, compacts, expires old snapshots, and succeeds', async () => {
    alerts.length = 0;
    const result = await runStateMachine({ definition: machine.definition, input: {}, handlers: lakeHandlers() });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates).toContain(STATES.maintenanceDone);
    expect(result.visitedStates.filter((state) => state === STATES.applyRetention)).toHaveLength(1);
    expect(await ids('orders')).toEqual(['1']);
    expect(await ids('customers')).toEqual(['1', '400']);
    for (const table of ['orders', 'customers']) {
      expect(lake.currentSnapshot('acme_dev_sales', table).files).toHaveLength(1);
      expect(lake.snapshots('acme_dev_sales', table).every((snapshot) => Date.parse(snapshot.committedAt) > clock.getTime() - days(5))).toBe(true);
    }
    expect(alerts).toEqual([]);
  });

  it('retries Athena throttling and then carries on', async () => {
    let throttled = false;
    const handlers = lakeHandlers();
    const result = await runStateMachine({
      definition: machine.definition,
      input: {},
      retryPauseMs: 0,
      handlers: {
        ...handlers,
        [STATES.optimize]: async (input) => {
          if (!throttled) {
            throttled = true;
            throw new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');
          }
          return handlers[STATES.optimize]!(input);
        },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.events.some((event) => event.kind === 'retried' && event.state === STATES.optimize)).toBe(true);
  });

  it('alerts a failing table, still maintains the others, and fails the run', async () => {
    alerts.length = 0;
    const handlers = lakeHandlers();
    const result = await runStateMachine({
      definition: machine.definition,
      input: {},
      retryPauseMs: 0,
      handlers: {
        ...handlers,
        [STATES.optimize]: async (input) => {
          if ((input as { QueryString: string }).QueryString.includes('.orders ')) {
            throw new TaskError('States.TaskFailed', 'ICEBERG_COMMIT_ERROR: conflicting commit');
          }
          return handlers[STATES.optimize]!(input);
        },
      },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'MaintenanceFailed' });
    expect(result.visitedStates).toContain(STATES.tableFailed);
    expect(alerts).toEqual([
      {
        TopicArn: expect.stringContaining('acme-dev-sales-alerts'),
        Subject: 'Lakehouse sales: table maintenance failed',
        Message: expect.stringMatching(/^Maintenance of Iceberg table acme_dev_sales\.orders failed.*ICEBERG_COMMIT_ERROR/),
      },
    ]);
    expect(lake.currentSnapshot('acme_dev_sales', 'customers').files).toHaveLength(1);
  });

  it('fails the run when the only table of a domain fails', async () => {
    const onlyOrders = structuredClone(machine.definition);
    (onlyOrders.States[STATES.listTables] as { Result: unknown }).Result = [maintenanceItem(tables[0]!)];
    const result = await runStateMachine({
      definition: onlyOrders,
      input: {},
      retryPauseMs: 0,
      handlers: {
        ...lakeHandlers(),
        [STATES.vacuum]: async () => {
          throw new TaskError('States.TaskFailed', 'VACUUM failed');
        },
      },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'MaintenanceFailed' });
  });

  it('alerts and fails when the run itself breaks', async () => {
    alerts.length = 0;
    const result = await runStateMachine({
      definition: machine.definition,
      input: {},
      retryPauseMs: 0,
      handlers: {
        ...lakeHandlers(),
        [STATES.alertTableFailed]: async () => {
          throw new TaskError('SNS.AuthorizationErrorException', 'not allowed');
        },
        [STATES.optimize]: async () => {
          throw new TaskError('States.TaskFailed', 'broken');
        },
      },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'MaintenanceFailed' });
    expect(result.visitedStates).toContain(STATES.alertMaintenanceFailed);
    expect(alerts).toEqual([expect.objectContaining({ Subject: 'Lakehouse sales: maintenance run failed' })]);
  });
});

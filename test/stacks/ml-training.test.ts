/**
 * The training of an ML model in its domain's stack (issue 11 item 2, training half): the churn
 * fixture spec in a temporary copy of the contracts (none is shipped), the app created as
 * bin/app.ts creates it and synthesized once with cdk-nag on, its training definition run in the
 * local interpreter both ways.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegisterHandler } from '../../lambdas/register-model/handler.ts';
import { decide, rolePrincipal } from '../iam/evaluate.ts';
import { readSynthesizedApp } from '../iam/synthesized-app.ts';
import { readRegisterSettings } from '../../lambdas/register-model/settings.ts';
import { readCdkJsonContext } from '../../lib/config/cdk-json.ts';
import { inferenceRunsPrefix, ML_RUNS_TABLE, modelPackageGroupName, trainingJobPrefix, trainingRunRecordKey } from '../../lib/config/names.ts';
import type { EnvironmentSettings } from '../../lib/config/settings.ts';
import { LocalModelRegistry } from '../../lib/local/ml/local-registry.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { runStateMachine } from '../../lib/local/stepfunctions/run.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';
import type { TaskHandlers } from '../../lib/local/stepfunctions/task-handlers.ts';
import { approvalIn } from '../../lib/ml/approval.ts';
import type { MlModel } from '../../lib/ml/model.ts';
import { mlRunsCreateStatement, mlRunsInsertStatement, mlRunsTableColumns } from '../../lib/ml/run-tracking-queries.ts';
import { featureSnapshotQuery } from '../../lib/ml/training-queries.ts';
import type { RunEvent } from '../../lib/pipeline/lineage/run-event.ts';
import { RETRY_POLICIES } from '../../lib/pipeline/retry-policy.ts';
import { expectedRetrier } from './expected-retriers.ts';
import { thresholdStateName, TRAINING_STATES as S } from '../../lib/ml/training-states.ts';
import { xgboostImageUri } from '../../lib/ml/xgboost-image.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { definitionState, type MlApp, synthesizeMlApp } from './ml-app.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const GIT_REVISION = '4f9c2e1ab7d3';
const projectContext = readCdkJsonContext(join(repoRoot, 'cdk.json'));
/** The project's dev environment, with manual approval (stricter than the spec's auto) and data retained. */
const environment = {
  ...(projectContext['environments'] as Record<string, EnvironmentSettings>)['dev']!,
  name: 'dev',
  modelApproval: 'manual',
  removalPolicy: 'retain',
} as const;
const identity = { organization: 'acme', environment: 'dev', account: environment.account, region: environment.region };
const group = modelPackageGroupName(identity, 'marketing', 'churn');

let synthesized: MlApp;
let stage: LakehouseStage;
let churn: MlModel;
let template: Template;
let machine: SynthesizedStateMachine;

beforeAll(async () => {
  const { name: _name, ...dev } = environment;
  synthesized = await synthesizeMlApp({ ...projectContext, environments: { dev }, gitRevision: GIT_REVISION }, 'acme-dev-marketing-churn-training');
  ({ stage, template, machine } = synthesized);
  churn = stage.domains.get('marketing')!.domain.training.get('churn')!.model;
}, 300_000);

function rawState(name: string): Record<string, unknown> {
  return definitionState(machine, name);
}

describe('ModelTraining in the domain stack', () => {
  it('has the model package group, named from the spec, retained and tagged', () => {
    const groups = template.findResources('AWS::SageMaker::ModelPackageGroup');
    expect(Object.values(groups)).toHaveLength(1);
    const [resource] = Object.values(groups) as [{ Properties: { ModelPackageGroupName: string; Tags: { Key: string; Value: string }[] }; DeletionPolicy: string }];
    expect(resource.Properties.ModelPackageGroupName).toBe(group);
    expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(resource.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'lakehouse:ml-model', Value: 'marketing/churn' }, { Key: 'lakehouse:domain', Value: 'marketing' }]));
  });

  it('is started by the DatasetLoaded announcement of its feature model', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['contract-lakehouse'], 'detail-type': ['DatasetLoaded'], detail: { dataset: ['marketing/customer_churn_features'] } },
      Targets: Match.arrayWith([Match.objectLike({ Arn: Match.anyValue() })]),
    });
  });

  it("gives the register function the group, lineage and the approval of the spec and environment", () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'acme-dev-marketing-churn-register' } });
    const [fn] = Object.values(functions) as [{ Properties: { Environment: { Variables: Record<string, string> } } }];
    const variables = fn.Properties.Environment.Variables;
    const read = readRegisterSettings(variables);
    expect(read).toEqual({
      group,
      featureTable: 'marketing/customer_churn_features',
      contractVersions: { 'marketing/web_events': expect.any(String), 'sales/customers': expect.any(String), 'sales/orders': expect.any(String) },
      gitRevision: GIT_REVISION,
      image: xgboostImageUri('eu-west-1'),
      approval: approvalIn(churn, environment),
    });
    // The spec says auto, the fixture environment manual: the stricter wins.
    expect(read.approval).toBe('manual');
  });

  it('leaves nothing for cdk-nag to find', () => {
    expect(synthesized.nagFindings()).toEqual([]);
  });
});

describe('the roles, scoped to the model', () => {
  function policyOf(roleIdPart: string): { Action: string | string[]; Resource: unknown; Condition?: unknown; Sid: string }[] {
    const roles = template.findResources('AWS::IAM::Role');
    const [id] = Object.keys(roles).filter((candidate) => new RegExp(`MlChurn${roleIdPart}[0-9A-F]{8}$`).test(candidate));
    if (id === undefined) throw new Error(`no role ${roleIdPart}`);
    const role = roles[id] as { Properties: { Policies: { PolicyDocument: { Statement: never[] } }[] } };
    return role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
  }
  const text = (value: unknown): string => JSON.stringify(value);

  it('lets the state machine start only its own training jobs and pass only its training role, to SageMaker', () => {
    const statements = policyOf('Role');
    const start = statements.find((statement) => statement.Sid === 'RunTrainingJobs')!;
    expect(text(start.Resource)).toContain(`training-job/${trainingJobPrefix(identity, 'marketing', 'churn')}-*`);
    const pass = statements.find((statement) => statement.Sid === 'PassTrainingRole')!;
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    expect(text(pass.Resource)).toContain('TrainingRole');
    const writes = statements.filter((statement) => text(statement.Action).includes('s3:PutObject')).map((statement) => [statement.Sid, text(statement.Resource)]);
    expect(writes).toEqual([
      ['WriteTrainingSets', expect.stringContaining('/ml/marketing/churn/runs/*/training-set/*')],
      ['WriteRunFiles', expect.stringMatching(/\/ml\/marketing\/churn\/runs\/\*\/metrics\.json.*\/ml\/marketing\/churn\/records\/\*\/run\.json/)],
      ['WriteLineageEvents', expect.stringContaining('/lineage/marketing/churn/*')],
      ['WriteRunsTableFiles', expect.stringContaining('/marketing/ml_runs/*')],
      ['WriteQueryResults', expect.any(String)],
    ]);
    const reads = statements.find((statement) => statement.Sid === 'ReadFeatureFiles')!;
    expect(text(reads.Resource)).toContain('/marketing/customer_churn_features/*');
    // No statement but the telemetry one reaches every resource.
    const everything = statements.filter((statement) => text(statement.Resource) === '"*"').map((statement) => statement.Sid);
    expect(everything).toEqual(['DeliverExecutionLogs', 'TraceExecutions']);
  });

  it("lets SageMaker's training role read only training sets and write only model artifacts of this model", () => {
    const statements = policyOf('TrainingRole');
    expect(text(statements.find((statement) => statement.Sid === 'ReadTrainingSets')!.Resource)).toContain('/ml/marketing/churn/runs/*/training-set/*');
    expect(text(statements.find((statement) => statement.Sid === 'WriteModelArtifacts')!.Resource)).toContain('/ml/marketing/churn/runs/*/model/*');
    expect(statements.filter((statement) => text(statement.Action).includes('s3:PutObject')).map((statement) => statement.Sid)).toEqual(['WriteModelArtifacts']);
  });

  it('lets the register function create versions only in its group', () => {
    const statement = policyOf('RegisterRole').find((candidate) => candidate.Sid === 'RegisterVersions')!;
    expect(statement.Action).toEqual(['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackage']);
    expect(text(statement.Resource)).toContain(`model-package/${group}/*`);
    expect(text(statement.Resource)).toContain(`model-package-group/${group}`);
  });
});

/** Each call as `<action> <resource>: <decision>`, evaluated by iam-simulate on the role's synthesized policies. */
async function decisions(roleIdPart: string, calls: readonly { action: string; resource: string; context?: Record<string, string> }[]) {
  const app = readSynthesizedApp(stage);
  const role = app.roles.find((candidate) => new RegExp(`MlChurn${roleIdPart}[0-9A-F]{8}$`).test(candidate.logicalId))!;
  return Promise.all(calls.map(async (call) => `${call.action} ${call.resource}: ${await decide(app, rolePrincipal(role), { ...call, why: 'test' })}`));
}

describe('the roles, as IAM decides (iam-simulate on the synthesized policies)', () => {
  const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:111111111111:${resource}`;

  it("allows the state machine this model's training jobs and its training role for SageMaker, nothing of another model's", async () => {
    const own = `training-job/${trainingJobPrefix(identity, 'marketing', 'churn')}-0b4e7a4c-3f1a-4f5e-9d7c-2a1b3c4d5e6f`;
    const other = `training-job/${trainingJobPrefix(identity, 'marketing', 'churn_eu')}-0b4e7a4c-3f1a-4f5e-9d7c-2a1b3c4d5e6f`;
    const app = readSynthesizedApp(stage);
    const trainingRole = app.roles.find((candidate) => /MlChurnTrainingRole[0-9A-F]{8}$/.test(candidate.logicalId))!.arn;
    expect(
      await decisions('Role', [
        { action: 'sagemaker:CreateTrainingJob', resource: arn('sagemaker', own) },
        { action: 'sagemaker:CreateTrainingJob', resource: arn('sagemaker', other) },
        { action: 'iam:PassRole', resource: trainingRole, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        { action: 'iam:PassRole', resource: trainingRole, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/runs/r1/metrics.json' },
        { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn_eu/runs/r1/metrics.json' },
      ]),
    ).toEqual([
      `sagemaker:CreateTrainingJob ${arn('sagemaker', own)}: Allowed`,
      `sagemaker:CreateTrainingJob ${arn('sagemaker', other)}: ImplicitlyDenied`,
      `iam:PassRole ${trainingRole}: Allowed`,
      `iam:PassRole ${trainingRole}: ImplicitlyDenied`,
      's3:PutObject arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/runs/r1/metrics.json: Allowed',
      's3:PutObject arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn_eu/runs/r1/metrics.json: ImplicitlyDenied',
    ]);
  });

  it("allows the state machine to read only its model's run records and to write only its domain's ml_runs table", async () => {
    const audit = (key: string) => `arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/${key}`;
    const gold = (key: string) => `arn:aws:s3:::acme-dev-gold-111111111111-eu-west-1/${key}`;
    const record = (model: string) => audit(trainingRunRecordKey('marketing', model, '0b4e7a4c-3f1a-4f5e-9d7c-2a1b3c4d5e6f'));
    const glue = (resource: string) => arn('glue', resource);
    expect(
      await decisions('Role', [
        { action: 's3:GetObject', resource: record('churn') },
        { action: 's3:GetObject', resource: record('churn_eu') },
        { action: 's3:GetObject', resource: audit('ml/marketing/churn/runs/r1/training-set/train/part-0.parquet') },
        { action: 'glue:GetTable', resource: glue('table/acme_dev_marketing/churn_run_records') },
        { action: 'glue:UpdateTable', resource: glue(`table/acme_dev_marketing/${ML_RUNS_TABLE}`) },
        { action: 'glue:UpdateTable', resource: glue(`table/acme_dev_sales/${ML_RUNS_TABLE}`) },
        { action: 'glue:UpdateTable', resource: glue('table/acme_dev_marketing/churn_run_records') },
        { action: 's3:PutObject', resource: gold(`marketing/${ML_RUNS_TABLE}/data/f.parquet`) },
        { action: 's3:PutObject', resource: gold(`sales/${ML_RUNS_TABLE}/data/f.parquet`) },
        { action: 's3:PutObject', resource: gold('marketing/customer_churn_features/data/f.parquet') },
      ]),
    ).toEqual([
      `s3:GetObject ${record('churn')}: Allowed`,
      `s3:GetObject ${record('churn_eu')}: ImplicitlyDenied`,
      `s3:GetObject ${audit('ml/marketing/churn/runs/r1/training-set/train/part-0.parquet')}: ImplicitlyDenied`,
      `glue:GetTable ${glue('table/acme_dev_marketing/churn_run_records')}: Allowed`,
      `glue:UpdateTable ${glue(`table/acme_dev_marketing/${ML_RUNS_TABLE}`)}: Allowed`,
      `glue:UpdateTable ${glue(`table/acme_dev_sales/${ML_RUNS_TABLE}`)}: ImplicitlyDenied`,
      `glue:UpdateTable ${glue('table/acme_dev_marketing/churn_run_records')}: ImplicitlyDenied`,
      `s3:PutObject ${gold(`marketing/${ML_RUNS_TABLE}/data/f.parquet`)}: Allowed`,
      `s3:PutObject ${gold(`sales/${ML_RUNS_TABLE}/data/f.parquet`)}: ImplicitlyDenied`,
      `s3:PutObject ${gold('marketing/customer_churn_features/data/f.parquet')}: ImplicitlyDenied`,
    ]);
  });

  it('allows the register function versions of its own group only', async () => {
    const own = arn('sagemaker', `model-package/${group}/3`);
    const other = arn('sagemaker', 'model-package/acme-dev-sales-churn/3');
    expect(
      await decisions('RegisterRole', [
        { action: 'sagemaker:CreateModelPackage', resource: own },
        { action: 'sagemaker:CreateModelPackage', resource: other },
      ]),
    ).toEqual([`sagemaker:CreateModelPackage ${own}: Allowed`, `sagemaker:CreateModelPackage ${other}: ImplicitlyDenied`]);
  });
});

describe('the training definition', () => {
  it('runs snapshot, the two UNLOADs, training, evaluation and one Choice per threshold, in that order', () => {
    const order: string[] = [];
    let name: string | undefined = machine.definition.StartAt;
    while (name !== undefined && !order.includes(name)) {
      order.push(name);
      const state = rawState(name);
      name = (state['Next'] as string | undefined) ?? (state['Type'] === 'Choice' ? ((state['Choices'] as { Next: string }[]).at(-1)!.Next) : undefined);
    }
    expect(order).toEqual([
      S.prepareRun,
      S.startLineageRun,
      S.writeLineageStart,
      S.nameRunFiles,
      S.findFeatureSnapshot,
      S.readFeatureSnapshot,
      S.checkFeatureSnapshot,
      S.pinFeatureSnapshot,
      S.unloadTrainingSet,
      S.unloadValidationSet,
      S.train,
      S.collectMetrics,
      S.evaluate,
      thresholdStateName(churn.thresholds[0]!, 0),
      thresholdStateName(churn.thresholds[1]!, 1),
      S.writeMetrics,
      S.register,
      S.registered,
      S.recordRun,
      S.writeLineageComplete,
      S.trackRun,
      S.runRecorded,
    ]);
  });

  it("tracks every run in the domain's ml_runs, created like the other Iceberg tables, from the record the run wrote", () => {
    const runs = { database: 'acme_dev_marketing', table: ML_RUNS_TABLE };
    const tables = Object.values(template.findResources('Custom::IcebergTable', { Properties: runs })) as { Properties: { createStatement: unknown; columns: unknown } }[];
    expect(tables).toHaveLength(1);
    expect(tables[0]!.Properties.columns).toEqual(mlRunsTableColumns());
    // The gold bucket's name is the platform stack's export, joined into the statement.
    const [head, tail] = mlRunsCreateStatement(runs, 's3://GOLD/marketing/ml_runs/').split('GOLD');
    expect(JSON.stringify(tables[0]!.Properties.createStatement)).toContain(JSON.stringify(head).slice(1, -1));
    expect(JSON.stringify(tables[0]!.Properties.createStatement)).toContain(JSON.stringify(tail).slice(1, -1));
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'churn_run_records',
        Parameters: Match.objectLike({
          'projection.run_id.type': 'injected',
          'storage.location.template': Match.anyValue(),
        }),
        StorageDescriptor: Match.objectLike({ SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' } }),
      }),
    });
    const [records] = Object.values(template.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: 'churn_run_records' } } })) as [unknown];
    expect(JSON.stringify(records)).toContain('/ml/marketing/churn/records/${run_id}/');
    const insert = mlRunsInsertStatement(runs, { database: 'acme_dev_marketing', table: 'churn_run_records' }, '$.run.id');
    for (const name of [S.trackRun, S.trackFailedRun]) {
      const parameters = rawState(name)['Parameters'] as Record<string, string>;
      expect(parameters['QueryString.$']).toBe(`States.Format('${insert.template.replaceAll("'", "\\'")}', $.run.id)`);
      expect(parameters['WorkGroup']).toBe('acme-dev-marketing-pipeline');
    }
    expect(rawState(S.recordFailedRun)['Next']).toBe(S.trackFailedRun);
  });

  it('retries only the start of a tracking INSERT; a registered run whose row failed is alerted and still succeeds, a failed one still fails', () => {
    const athena = [expectedRetrier(RETRY_POLICIES.athena)];
    expect([rawState(S.trackRun)['Retry'], rawState(S.trackRun)['Catch']]).toEqual([
      athena,
      [{ ErrorEquals: ['States.ALL'], ResultPath: '$.trackingFailure', Next: S.alertRunNotTracked }],
    ]);
    expect([rawState(S.trackFailedRun)['Retry'], rawState(S.trackFailedRun)['Catch'], rawState(S.trackFailedRun)['Next']]).toEqual([
      athena,
      [{ ErrorEquals: ['States.ALL'], ResultPath: '$.trackingFailure', Next: S.alertFailed }],
      S.alertFailed,
    ]);
    expect([rawState(S.alertRunNotTracked)['Retry'], rawState(S.alertRunNotTracked)['Catch'], rawState(S.alertRunNotTracked)['Next']]).toEqual([
      [expectedRetrier(RETRY_POLICIES.notification)],
      undefined,
      S.runRecorded,
    ]);
  });

  it('reads the newest snapshot of the feature table and unloads at it, label first, in the split', () => {
    expect(rawState(S.findFeatureSnapshot)['Parameters']).toMatchObject({
      QueryString: featureSnapshotQuery({ database: 'acme_dev_marketing', table: 'customer_churn_features' }),
      WorkGroup: 'acme-dev-marketing-pipeline',
    });
    const unload = (rawState(S.unloadTrainingSet)['Parameters'] as Record<string, string>)['QueryString.$']!;
    expect(unload).toMatch(/^States\.Format\('UNLOAD \(SELECT CAST\("churned" AS DOUBLE\) AS "churned", /);
    expect(unload).toContain('FOR VERSION AS OF {}');
    expect(unload).toContain('< 8000');
    expect(unload).toContain("|\\' || \\'42\\'");
    expect(unload).toMatch(/\$\.snapshot\.id, \$\.files\.train\)$/);
    expect((rawState(S.unloadValidationSet)['Parameters'] as Record<string, string>)['QueryString.$']).toContain('WHERE NOT (');
  });

  it('trains synchronously with the region\'s XGBoost, encrypted, with a stopping condition and the spec\'s hyperparameters', () => {
    const train = rawState(S.train);
    expect(train['Resource']).toMatch(/:states:::sagemaker:createTrainingJob\.sync$/);
    const parameters = train['Parameters'] as Record<string, Record<string, unknown>>;
    expect(parameters['AlgorithmSpecification']).toEqual({ TrainingImage: xgboostImageUri('eu-west-1'), TrainingInputMode: 'File' });
    expect(parameters['HyperParameters']).toEqual({
      eta: '0.2',
      eval_metric: 'logloss,auc',
      max_depth: '4',
      num_round: '100',
      objective: 'binary:logistic',
      subsample: '0.8',
    });
    expect(parameters['ResourceConfig']!['VolumeKmsKeyId']).toBeDefined();
    expect(parameters['OutputDataConfig']!['KmsKeyId']).toBeDefined();
    expect(parameters['StoppingCondition']).toEqual({ MaxRuntimeInSeconds: 7200 });
    expect(parameters['VpcConfig']).toBeUndefined();
    expect(JSON.stringify(parameters['InputDataConfig'])).toContain('application/x-parquet');
  });

  it('checks each threshold on its metric, one the job did not report failing the gate', () => {
    const auc = rawState(thresholdStateName(churn.thresholds[0]!, 0));
    expect(auc['Choices']).toEqual([
      { Not: { Variable: '$.metrics.validation_auc[0]', IsNumeric: true }, Next: S.belowThreshold },
      { Variable: '$.metrics.validation_auc[0]', NumericGreaterThanEquals: 0.8, Next: thresholdStateName(churn.thresholds[1]!, 1) },
    ]);
    expect(auc['Default']).toBe(S.belowThreshold);
    const logloss = rawState(thresholdStateName(churn.thresholds[1]!, 1));
    expect((logloss['Choices'] as unknown[])[1]).toEqual({ Variable: '$.metrics.validation_logloss[0]', NumericLessThanEquals: 0.5, Next: S.writeMetrics });
  });

  it('has the documented defaults: one ml.m5.xlarge with 30 GiB, 2 hours of training, 30 minutes per statement, 6 hours per run', () => {
    const train = rawState(S.train);
    expect((train['Parameters'] as Record<string, unknown>)['ResourceConfig']).toMatchObject({ InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 });
    expect(train['TimeoutSeconds']).toBe(7200 + 1800);
    expect(rawState(S.unloadTrainingSet)['TimeoutSeconds']).toBe(1800);
    expect(machine.definition['TimeoutSeconds' as never]).toBe(21600);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/acme-dev-marketing-churn-training', RetentionInDays: 365 });
  });

  it('sets TimeoutSeconds on every Task', () => {
    const taskStates = listStates(machine.definition).filter((state) => state.type === 'Task');
    expect(taskStates.length).toBeGreaterThan(8);
    for (const state of taskStates) expect(rawState(state.name)['TimeoutSeconds'], state.name).toBeGreaterThan(0);
  });
});

describe('a training run in the local interpreter', () => {
  const register = (workspace: string) => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'acme-dev-marketing-churn-register' } });
    const [fn] = Object.values(functions) as [{ Properties: { Environment: { Variables: Record<string, string> } } }];
    return createRegisterHandler(new LocalModelRegistry({ workspace }), readRegisterSettings(fn.Properties.Environment.Variables));
  };

  async function run(metrics: readonly { MetricName: string; Value: number }[], failTraining?: string, failTracking?: string, failLineage?: string) {
    const workspace = mkdtempSync(join(tmpdir(), 'ml-training-run-'));
    const recorded = {
      queries: [] as string[],
      objects: [] as { Key: string; Body: Record<string, unknown> }[],
      alerts: [] as JsonValue[],
      trainingJobs: [] as Record<string, unknown>[],
      tracked: [] as string[],
      lineage: [] as { Bucket: string; Key: string; Body: RunEvent }[],
    };
    const registerHandler = register(workspace);
    const query = (id: string) => ({ QueryExecution: { QueryExecutionId: id, Status: { State: 'SUCCEEDED' } } });
    const handlers: TaskHandlers = {
      [S.findFeatureSnapshot]: async (input) => {
        recorded.queries.push((input as { QueryString: string }).QueryString);
        return query('snapshot-query');
      },
      [S.readFeatureSnapshot]: async () => ({ ResultSet: { Rows: [{ Data: [{ VarCharValue: 'snapshot_id' }] }, { Data: [{ VarCharValue: '8123456789' }] }] } }),
      [S.unloadTrainingSet]: async (input) => {
        recorded.queries.push((input as { QueryString: string }).QueryString);
        return query('unload-train');
      },
      [S.unloadValidationSet]: async (input) => {
        recorded.queries.push((input as { QueryString: string }).QueryString);
        return query('unload-validation');
      },
      [S.train]: async (input) => {
        const job = input as { TrainingJobName: string; OutputDataConfig: { S3OutputPath: string } };
        recorded.trainingJobs.push(job as unknown as Record<string, unknown>);
        if (failTraining !== undefined) throw new TaskError('SageMaker.AmazonSageMakerException', failTraining);
        return { TrainingJobName: job.TrainingJobName, ModelArtifacts: { S3ModelArtifacts: `${job.OutputDataConfig.S3OutputPath}${job.TrainingJobName}/output/model.tar.gz` }, FinalMetricDataList: metrics };
      },
      [S.writeMetrics]: async (input) => void recorded.objects.push(input as never),
      // Lambda hands the function the Task's Payload and returns its result as Payload.
      [S.register]: async (input) => ({ Payload: (await registerHandler((input as { Payload: JsonValue }).Payload)) as unknown as JsonValue }),
      [S.recordRun]: async (input) => void recorded.objects.push(input as never),
      [S.recordFailedRun]: async (input) => void recorded.objects.push(input as never),
      ...Object.fromEntries(
        [S.writeLineageStart, S.writeLineageComplete, S.writeLineageFailed].map((name) => [
          name,
          async (input: JsonValue) => {
            if (failLineage !== undefined) throw new TaskError('S3.ServiceUnavailable', failLineage);
            recorded.lineage.push(input as never);
          },
        ]),
      ),
      ...Object.fromEntries(
        [S.trackRun, S.trackFailedRun].map((name) => [
          name,
          async (input: JsonValue) => {
            if (failTracking !== undefined) throw new TaskError('Athena.InvalidRequestException', failTracking);
            recorded.tracked.push((input as { QueryString: string }).QueryString);
            return query('track');
          },
        ]),
      ),
      [S.alertFailed]: async (input) => void recorded.alerts.push(input),
      [S.alertRunNotTracked]: async (input) => void recorded.alerts.push(input),
    };
    const execution = await runStateMachine({ definition: machine.definition, input: {}, handlers, retryPauseMs: 0, stateMachineArn: machine.arn });
    return { execution, workspace, ...recorded };
  }

  it("is allowed by IAM every S3 write the run makes, and denied puts under promotion's predictions/ and SageMaker's model/", async () => {
    const { execution, queries, objects, lineage } = await run([
      { MetricName: 'validation:auc', Value: 0.91 },
      { MetricName: 'validation:logloss', Value: 0.31 },
    ]);
    expect(execution.status).toBe('SUCCEEDED');
    const s3 = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
    // The machine's own puts, and the UNLOADs' files under each TO folder, which Athena writes with its credentials.
    const unloaded = queries.flatMap((query) => {
      const target = /\bTO 's3:\/\/([^/]+)\/([^']+)'/.exec(query);
      return target === null ? [] : ['s3:PutObject', 's3:AbortMultipartUpload'].map((action) => ({ action, resource: s3(target[1]!, `${target[2]!}part-0.parquet`) }));
    });
    const puts = [...objects, ...lineage] as unknown as { Bucket: string; Key: string }[];
    const own = [...puts.map((object) => ({ action: 's3:PutObject', resource: s3(object.Bucket, object.Key) })), ...unloaded];
    expect(own).toHaveLength(2 + 2 + 2 * 2);
    const audit = puts[0]!.Bucket;
    const runId = (objects.at(-1)!.Body as { runId: string }).runId;
    const batch = `${inferenceRunsPrefix('marketing', 'churn')}${runId}/`;
    const foreign = [
      `${batch}input/part-0.csv`,
      `${batch}output/part-0.csv.out`,
      `ml/marketing/churn/runs/${runId}/model/${runId}/output/model.tar.gz`,
      `ml/marketing/churn/records/${runId}/other.json`,
      `ml/marketing/churn/${runId}.json`,
      // Another ML model's lineage, and the feature model's, a build's to write.
      lineage[0]!.Key.replace('lineage/marketing/churn/', 'lineage/marketing/churn_strict/'),
      lineage[0]!.Key.replace('lineage/marketing/churn/', 'lineage/marketing/customer_churn_features/'),
    ].map((key) => ({ action: 's3:PutObject', resource: s3(audit, key) }));
    expect(await decisions('Role', [...own, ...foreign])).toEqual([
      ...own.map((call) => `${call.action} ${call.resource}: Allowed`),
      ...foreign.map((call) => `${call.action} ${call.resource}: ImplicitlyDenied`),
    ]);
  });

  it('registers a model whose metrics pass every threshold, with its lineage, and records the run', async () => {
    const { execution, workspace, queries, objects, trainingJobs, alerts, tracked } = await run([
      { MetricName: 'train:auc', Value: 0.97 },
      { MetricName: 'validation:auc', Value: 0.91 },
      { MetricName: 'validation:logloss', Value: 0.31 },
    ]);
    expect([execution.status, execution.error, execution.cause, alerts]).toEqual(['SUCCEEDED', undefined, undefined, []]);
    expect(execution.visitedStates).toContain(S.register);
    expect(execution.visitedStates.at(-1)).toBe(S.runRecorded);
    expect(alerts).toEqual([]);

    const runId = (objects.at(-1)!.Body as { runId: string }).runId;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(queries[1]).toContain('FOR VERSION AS OF 8123456789 WHERE');
    expect(queries[1]).toContain(`TO 's3://acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/runs/${runId}/training-set/train/'`);
    expect(queries[2]).toContain(`runs/${runId}/training-set/validation/'`);
    expect(trainingJobs[0]!['TrainingJobName']).toBe(`${trainingJobPrefix(identity, 'marketing', 'churn')}-${runId}`);
    expect((trainingJobs[0]!['TrainingJobName'] as string).length).toBeLessThanOrEqual(63);

    const [version] = await new LocalModelRegistry({ workspace }).listVersions(group);
    expect(version).toMatchObject({
      version: 1,
      approval: 'PendingManualApproval',
      metrics: { 'train:auc': 0.97, 'validation:auc': 0.91, 'validation:logloss': 0.31 },
      lineage: {
        runId,
        featureSnapshots: { 'marketing/customer_churn_features': '8123456789' },
        gitRevision: GIT_REVISION,
        trainingSet: `s3://acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/runs/${runId}/training-set/`,
      },
      metricsDocument: `s3://acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/runs/${runId}/metrics.json`,
    });
    expect(Object.keys(version!.lineage.contractVersions).sort()).toEqual(['marketing/web_events', 'sales/customers', 'sales/orders']);

    expect(objects.map((object) => object.Key)).toEqual([`ml/marketing/churn/runs/${runId}/metrics.json`, trainingRunRecordKey('marketing', 'churn', runId)]);
    expect(objects[1]!.Body).toMatchObject({
      runId,
      model: 'marketing/churn',
      group,
      featureSnapshotId: '8123456789',
      outcome: { status: 'registered', version: 1, approval: 'PendingManualApproval', modelPackageArn: version!.arn },
    });
    // Then its ml_runs row, from that record: the run id is the one value in the statement.
    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toMatch(new RegExp(`WHERE "run_id" = '${runId}'$`));
  });

  it('keeps a registered run registered when its ml_runs row cannot be inserted, and alerts the owner', async () => {
    const { execution, workspace, alerts } = await run(
      [{ MetricName: 'validation:auc', Value: 0.91 }, { MetricName: 'validation:logloss', Value: 0.31 }],
      undefined,
      'TABLE_NOT_FOUND: ml_runs',
    );
    expect([execution.status, execution.error]).toEqual(['SUCCEEDED', undefined]);
    expect(execution.visitedStates.slice(-3)).toEqual([S.trackRun, S.alertRunNotTracked, S.runRecorded]);
    expect(await new LocalModelRegistry({ workspace }).listVersions(group)).toHaveLength(1);
    expect(alerts).toEqual([
      expect.objectContaining({
        Message: expect.objectContaining({ alert: 'TrainingRunNotTracked', outcome: expect.objectContaining({ status: 'registered' }), failure: expect.objectContaining({ Error: 'Athena.InvalidRequestException' }) }),
      }),
    ]);
  });

  it('records a run below a threshold, or missing a metric, without registering it', async () => {
    for (const metrics of [
      [{ MetricName: 'validation:auc', Value: 0.62 }, { MetricName: 'validation:logloss', Value: 0.31 }],
      [{ MetricName: 'validation:auc', Value: 0.91 }],
    ]) {
      const { execution, workspace, objects } = await run(metrics);
      expect([execution.status, execution.error, execution.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
      expect(execution.visitedStates).toContain(S.belowThreshold);
      expect(execution.visitedStates).not.toContain(S.register);
      expect(await new LocalModelRegistry({ workspace }).listVersions(group)).toEqual([]);
      expect(objects).toHaveLength(1);
      expect(objects[0]!.Body).toMatchObject({ outcome: { status: 'below-threshold' }, metrics, thresholds: ['validation:auc >= 0.8', 'validation:logloss <= 0.5'] });
    }
  });

  it('writes one START and one COMPLETE for a registered or below-threshold run, START and FAIL for a failed one, under the run id', async () => {
    const passing = [{ MetricName: 'validation:auc', Value: 0.91 }, { MetricName: 'validation:logloss', Value: 0.31 }];
    const outcomes = [await run(passing), await run([{ MetricName: 'validation:auc', Value: 0.62 }]), await run([], 'ClientError: no data')];
    expect(outcomes.map(({ lineage }) => lineage.map((put) => put.Body.eventType))).toEqual([
      ['START', 'COMPLETE'],
      ['START', 'COMPLETE'],
      ['START', 'FAIL'],
    ]);
    for (const { lineage, objects } of outcomes) {
      const runId = (objects.at(-1)!.Body as { runId: string }).runId;
      expect(lineage.map((put) => put.Body.run.runId)).toEqual([runId, runId]);
      expect(lineage.map((put) => put.Key.split('/').at(-1))).toEqual(lineage.map((put) => `${runId}-${put.Body.eventType}.json`));
    }
    const [registered, below, failed] = outcomes.map(({ lineage }) => lineage[1]!.Body.run.facets) as [RunEvent['run']['facets'], RunEvent['run']['facets'], RunEvent['run']['facets']];
    expect(registered['contractLakehouse_training']).toMatchObject({ outcome: { status: 'registered', version: 1 }, metrics: passing });
    expect(below['contractLakehouse_training']).toMatchObject({ outcome: { status: 'below-threshold' } });
    expect(JSON.parse((failed['errorMessage'] as unknown as { message: string }).message)).toEqual({ Error: 'SageMaker.AmazonSageMakerException', Cause: 'ClientError: no data' });
  });

  it("changes no run's outcome when its lineage events cannot be written", async () => {
    const passing = [{ MetricName: 'validation:auc', Value: 0.91 }, { MetricName: 'validation:logloss', Value: 0.31 }];
    const registered = await run(passing, undefined, undefined, 'S3 is down');
    expect([registered.execution.status, registered.execution.visitedStates.at(-1), registered.lineage, registered.tracked]).toEqual(['SUCCEEDED', S.runRecorded, [], [expect.any(String)]]);
    expect(await new LocalModelRegistry({ workspace: registered.workspace }).listVersions(group)).toHaveLength(1);
    const failed = await run([], 'ClientError: no data', undefined, 'S3 is down');
    expect([failed.execution.status, failed.execution.error, failed.alerts]).toEqual(['FAILED', 'Training.Failed', [expect.anything()]]);
    expect(failed.objects[0]!.Body).toMatchObject({ outcome: { status: 'failed' }, failure: { Error: 'SageMaker.AmazonSageMakerException' } });
  });

  it('records a failed training as a failed run, alerts the owner and fails the execution', async () => {
    const { execution, workspace, objects, alerts, tracked } = await run([], 'ClientError: no data in the validation channel');
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Training.Failed']);
    expect(execution.visitedStates).toEqual(expect.arrayContaining([S.train, S.runFailed, S.recordFailedRun, S.trackFailedRun, S.alertFailed]));
    expect(tracked).toHaveLength(1);
    expect(await new LocalModelRegistry({ workspace }).listVersions(group)).toEqual([]);
    expect(objects).toHaveLength(1);
    expect(objects[0]!.Body).toMatchObject({ outcome: { status: 'failed' }, failure: { Error: 'SageMaker.AmazonSageMakerException' } });
    expect(alerts).toHaveLength(1);
  });
});

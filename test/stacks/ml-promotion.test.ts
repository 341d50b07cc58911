/**
 * The promotion of an ML model's approved versions in its domain's stack (issue 11 item 2,
 * promotion half): the churn fixture spec in a temporary copy of the contracts, the app created
 * as bin/app.ts creates it and synthesized once with cdk-nag on, its promotion definition run in
 * the local interpreter with hand-made handlers.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide, rolePrincipal } from '../iam/evaluate.ts';
import { readSynthesizedApp } from '../iam/synthesized-app.ts';
import { readCdkJsonContext } from '../../lib/config/cdk-json.ts';
import { batchInferencePrefix, currentModelVersionParameterName, modelPackageGroupName } from '../../lib/config/names.ts';
import type { EnvironmentSettings } from '../../lib/config/settings.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { runStateMachine } from '../../lib/local/stepfunctions/run.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';
import type { TaskHandlers } from '../../lib/local/stepfunctions/task-handlers.ts';
import { modelPackageStateChange } from '../../lib/ml/model-package-state-change.ts';
import type { ModelVersion } from '../../lib/ml/model-registry.ts';
import { PARAMETER_NOT_FOUND, PROMOTION_STATES as S } from '../../lib/ml/promotion-states.ts';
import { xgboostImageUri } from '../../lib/ml/xgboost-image.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { definitionState, type MlApp, synthesizeMlApp } from './ml-app.ts';
import { type Json, templateText } from './template-text.ts';
import { PREDICTION_COLUMNS } from '../../lib/ml/prediction-queries.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const projectContext = readCdkJsonContext(join(repoRoot, 'cdk.json'));
const environment = (projectContext['environments'] as Record<string, EnvironmentSettings>)['dev']!;
const identity = { organization: 'acme', environment: 'dev', account: environment.account, region: environment.region };
const group = modelPackageGroupName(identity, 'marketing', 'churn');
const parameter = currentModelVersionParameterName(identity, 'marketing', 'churn');
const prefix = batchInferencePrefix(identity, 'marketing', 'churn');

let synthesized: MlApp;
let stage: LakehouseStage;
let template: Template;
let machine: SynthesizedStateMachine;

beforeAll(async () => {
  synthesized = await synthesizeMlApp({ ...projectContext, environments: { dev: environment } }, 'acme-dev-marketing-churn-promotion');
  ({ stage, template, machine } = synthesized);
}, 300_000);

function rawState(name: string): Record<string, unknown> {
  return definitionState(machine, name);
}

describe('ModelPromotion in the domain stack', () => {
  it("starts the promotion machine on the approval of a version in the model's group", () => {
    const rules = template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.sagemaker'] } } });
    expect(Object.values(rules)).toHaveLength(1);
    const [rule] = Object.values(rules) as [{ Properties: { EventPattern: unknown; Targets: { Arn: { Ref: string } }[] } }];
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: { ModelPackageGroupName: [group], ModelApprovalStatus: ['Approved'] },
    });
    const machines = template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'acme-dev-marketing-churn-promotion' } });
    expect(rule.Properties.Targets.map((target) => target.Arn)).toEqual([{ Ref: Object.keys(machines)[0] }]);
  });

  it('creates the predictions table through the Athena DDL custom resource: key, score and lineage per row', () => {
    const tables = template.findResources('Custom::IcebergTable', { Properties: { table: 'churn_predictions' } });
    const [table] = Object.values(tables) as [{ Properties: { database: string; createStatement: Json; columns: { name: string; type: string }[] } }];
    const createStatement = templateText(table.Properties.createStatement);
    expect(table.Properties.database).toBe('acme_dev_marketing');
    // The columns themselves are pinned in test/ml/prediction-queries.test.ts; here, that the table gets them.
    expect(table.Properties.columns).toEqual([{ name: 'customer_id', type: expect.any(String) }, ...PREDICTION_COLUMNS]);
    expect(createStatement).toContain('PARTITIONED BY (day(`predicted_at`))');
    expect(createStatement).toContain("TBLPROPERTIES ('table_type'='ICEBERG')");
    expect(createStatement).toMatch(/LOCATION 's3:\/\/[^']*\/marketing\/churn_predictions\/'/);
  });

  it('reads the transform output through an external table partitioned by run id', () => {
    const tables = template.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: 'churn_inference_output' } } });
    const [table] = Object.values(tables) as [{ Properties: { TableInput: { PartitionKeys: unknown; Parameters: Record<string, Json> } } }];
    expect(table.Properties.TableInput.PartitionKeys).toEqual([{ Name: 'run_id', Type: 'string' }]);
    expect(table.Properties.TableInput.Parameters['projection.run_id.type']).toBe('injected');
    expect(templateText(table.Properties.TableInput.Parameters['storage.location.template']!)).toMatch(/^s3:\/\/[^/]*audit[^/]*\/ml\/marketing\/churn\/predictions\/\$\{run_id\}\/output\/$/i);
  });

  it('leaves nothing for cdk-nag to find', () => {
    expect(synthesized.nagFindings()).toEqual([]);
  });
});

describe('the promotion definition', () => {
  it('describes the version, checks it, checks the current version, creates the model, pins the features, transforms, merges and records it last, in that order', () => {
    const order: string[] = [];
    let name: string | undefined = machine.definition.StartAt;
    while (name !== undefined && !order.includes(name)) {
      order.push(name);
      const state = rawState(name);
      name = (state['Next'] as string | undefined) ?? (state['Type'] === 'Choice' ? (state['Choices'] as { Next: string }[])[0]!.Next : undefined);
    }
    expect(order).toEqual([
      S.preparePromotion,
      S.nameRunFiles,
      S.describeVersion,
      S.checkVersion,
      S.readCurrentVersion,
      S.checkCurrentVersion,
      S.alreadyPromoted,
    ]);
    expect(rawState(S.checkVersion)['Default']).toBe(S.versionRefused);
    expect(rawState(S.checkCurrentVersion)['Choices']).toEqual([{ Variable: '$.current.value', StringEqualsPath: '$.version.arn', Next: S.alreadyPromoted }]);
    expect(rawState(S.checkCurrentVersion)['Default']).toBe(S.createModel);
    expect(rawState(S.checkFeatureSnapshot)['Choices']).toEqual([expect.objectContaining({ Next: S.pinFeatureSnapshot })]);
    const next = (state: string) => rawState(state)['Next'];
    expect([S.createModel, S.pinFeatureSnapshot, S.unloadFeatures, S.transform, S.insertPredictions, S.recordCurrentVersion].map(next)).toEqual([
      S.findFeatureSnapshot,
      S.unloadFeatures,
      S.transform,
      S.insertPredictions,
      S.recordCurrentVersion,
      S.promoted,
    ]);
  });

  it("takes the version's number, ARN and approval from DescribeModelPackage, refuses any but an approved number in the group, and lets nothing of the event into a statement", () => {
    const describe = rawState(S.describeVersion);
    expect(describe['Parameters']).toEqual({ 'ModelPackageName.$': '$.detail.ModelPackageArn' });
    expect(describe['ResultSelector']).toMatchObject({ 'arn.$': '$.ModelPackageArn', 'number.$': '$.ModelPackageVersion' });
    expect(describe['ResultSelector']).toHaveProperty('expectedArn.$', `States.Format('arn:aws:sagemaker:eu-west-1:${identity.account}:model-package/${group.toLowerCase()}/{}', $.ModelPackageVersion)`);
    // The approval as the registry has it now: an approval event delivered late may name a version rejected since.
    expect(describe['ResultSelector']).toHaveProperty('approval.$', '$.ModelApprovalStatus');
    expect(rawState(S.checkVersion)['Choices']).toEqual([
      {
        And: [
          { Variable: '$.version.number', IsNumeric: true },
          { Variable: '$.version.arn', StringEqualsPath: '$.version.expectedArn' },
          { Variable: '$.version.approval', StringEquals: 'Approved' },
        ],
        Next: S.readCurrentVersion,
      },
    ]);
    expect(rawState(S.versionRefused)).toMatchObject({ Type: 'Pass', ResultPath: '$.failure', Next: S.alertFailed, Parameters: { Error: 'Promotion.VersionRefused' } });
    const statements = [S.unloadFeatures, S.insertPredictions].map((state) => (rawState(state)['Parameters'] as Record<string, string>)['QueryString.$']!);
    for (const statement of statements) expect(statement).not.toContain('$.detail');
    expect(statements[1]).toMatch(/^States\.Format\('MERGE INTO /);
    expect(statements[1]!.slice(statements[1]!.lastIndexOf("',"))).toBe("', $.version.arn, $.version.number, $.snapshot.id, $.run.id, $.run.startedAt, $.run.id, $.version.number)");
  });

  it('retries the calls around the promotion and sends every failure of them to the alert', () => {
    for (const state of [S.describeVersion, S.recordCurrentVersion]) {
      expect(rawState(state)['Retry'], state).toEqual([expect.objectContaining({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 4 })]);
      expect(rawState(state)['Catch'], state).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: S.alertFailed }]);
    }
    expect(rawState(S.insertPredictions)['Catch']).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: S.alertFailed }]);
  });

  it('sends a current-version parameter that does not exist straight to its Catch, retrying other SSM failures', () => {
    const [notFound, others, ...more] = rawState(S.readCurrentVersion)['Retry'] as { ErrorEquals: string[]; MaxAttempts: number }[];
    expect(more).toEqual([]);
    expect(notFound).toEqual({ ErrorEquals: [PARAMETER_NOT_FOUND], MaxAttempts: 0 });
    expect(others).toMatchObject({ ErrorEquals: ['States.TaskFailed'] });
    expect((rawState(S.readCurrentVersion)['Catch'] as { ErrorEquals: string[]; Next: string }[])[0]).toMatchObject({ ErrorEquals: [PARAMETER_NOT_FOUND], Next: S.noCurrentVersion });
  });

  it('runs the transform job synchronously, KMS-encrypted, keeping the key field with the score', () => {
    const transform = rawState(S.transform);
    expect(transform['Resource']).toMatch(/:states:::sagemaker:createTransformJob\.sync$/);
    const parameters = transform['Parameters'] as Record<string, Record<string, unknown>>;
    expect(parameters['TransformOutput']!['KmsKeyId']).toBeDefined();
    expect(parameters['TransformResources']).toMatchObject({ InstanceCount: 1, InstanceType: 'ml.m5.xlarge' });
    expect(parameters['TransformResources']!['VolumeKmsKeyId']).toBeDefined();
    expect(parameters['DataProcessing']).toEqual({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' });
    expect(transform['TimeoutSeconds']).toBe(7200);
  });

  it('has the documented defaults: one ml.m5.xlarge, 2 hours of transform, 30 minutes per statement, 4 hours per promotion, logs kept a year', () => {
    expect((rawState(S.transform)['Parameters'] as Record<string, unknown>)['TransformResources']).toMatchObject({ InstanceType: 'ml.m5.xlarge' });
    expect(rawState(S.transform)['TimeoutSeconds']).toBe(7200);
    expect([rawState(S.unloadFeatures)['TimeoutSeconds'], rawState(S.insertPredictions)['TimeoutSeconds']]).toEqual([1800, 1800]);
    expect(machine.definition['TimeoutSeconds' as never]).toBe(14400);
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/acme-dev-marketing-churn-promotion', RetentionInDays: 365 });
  });

  it('sets TimeoutSeconds on every Task and alerts the domain on every failure', () => {
    const taskStates = listStates(machine.definition).filter((state) => state.type === 'Task');
    expect(taskStates.length).toBeGreaterThanOrEqual(10);
    for (const state of taskStates) {
      expect(rawState(state.name)['TimeoutSeconds'], state.name).toBeGreaterThan(0);
      if (state.name === S.alertFailed) continue;
      const catches = (rawState(state.name)['Catch'] as { ErrorEquals: string[]; Next: string }[]).map((entry) => entry.Next);
      expect(catches.at(-1), state.name).toBe(S.alertFailed);
    }
  });
});

describe('the roles, as IAM decides (iam-simulate on the synthesized policies)', () => {
  const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:111111111111:${resource}`;

  async function decisions(roleIdPart: string, calls: readonly { action: string; resource: string; context?: Record<string, string> }[]) {
    const app = readSynthesizedApp(stage);
    const role = app.roles.find((candidate) => new RegExp(`MlChurnPromotion${roleIdPart}[0-9A-F]{8}$`).test(candidate.logicalId))!;
    return Promise.all(calls.map(async (call) => `${call.action} ${call.resource}: ${await decide(app, rolePrincipal(role), { ...call, why: 'test' })}`));
  }

  it("lets the state machine reach only this model: its parameter, versions, models, jobs, inference role, tables and runs' inputs", async () => {
    const app = readSynthesizedApp(stage);
    const inferenceRole = app.roles.find((candidate) => /MlChurnPromotionInferenceRole[0-9A-F]{8}$/.test(candidate.logicalId))!.arn;
    const otherPrefix = batchInferencePrefix(identity, 'marketing', 'churn_eu');
    const calls = [
      { action: 'ssm:PutParameter', resource: arn('ssm', `parameter${parameter}`) },
      { action: 'ssm:PutParameter', resource: arn('ssm', `parameter${currentModelVersionParameterName(identity, 'marketing', 'churn_eu')}`) },
      { action: 'sagemaker:DescribeModelPackage', resource: arn('sagemaker', `model-package/${group}/3`) },
      { action: 'sagemaker:DescribeModelPackage', resource: arn('sagemaker', 'model-package/acme-dev-sales-churn/3') },
      { action: 'sagemaker:CreateModel', resource: arn('sagemaker', `model/${prefix}-r1`) },
      { action: 'sagemaker:CreateModel', resource: arn('sagemaker', `model/${otherPrefix}-r1`) },
      { action: 'sagemaker:CreateTransformJob', resource: arn('sagemaker', `transform-job/${prefix}-r1`) },
      { action: 'sagemaker:CreateTransformJob', resource: arn('sagemaker', `transform-job/${otherPrefix}-r1`) },
      { action: 'iam:PassRole', resource: inferenceRole, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      { action: 'iam:PassRole', resource: inferenceRole, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      { action: 'glue:UpdateTable', resource: arn('glue', 'table/acme_dev_marketing/churn_predictions') },
      { action: 'glue:UpdateTable', resource: arn('glue', 'table/acme_dev_marketing/customer_churn_features') },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-dev-gold-111111111111-eu-west-1/marketing/churn_predictions/data/x.parquet' },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-dev-gold-111111111111-eu-west-1/marketing/customer_churn_features/data/x.parquet' },
      // The UNLOAD writes a run's input; its output is the transform job's, which InsertPredictions trusts.
      { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/predictions/r1/input/part.gz' },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/predictions/r1/output/part.out' },
    ];
    const allowed = (await decisions('Role', calls)).map((line) => line.endsWith(': Allowed'));
    expect(allowed).toEqual(calls.map((_, index) => index % 2 === 0));
  });

  it("lets SageMaker's inference role read only this model's artifacts and inputs and write only its outputs", async () => {
    const audit = 'arn:aws:s3:::acme-dev-audit-111111111111-eu-west-1/ml/marketing';
    expect(
      await decisions('InferenceRole', [
        { action: 's3:GetObject', resource: `${audit}/churn/runs/r1/model/model.tar.gz` },
        { action: 's3:GetObject', resource: `${audit}/churn_eu/runs/r1/model/model.tar.gz` },
        { action: 's3:PutObject', resource: `${audit}/churn/predictions/r1/output/part.out` },
        { action: 's3:PutObject', resource: `${audit}/churn/predictions/r1/input/part.gz` },
      ]),
    ).toEqual([
      `s3:GetObject ${audit}/churn/runs/r1/model/model.tar.gz: Allowed`,
      `s3:GetObject ${audit}/churn_eu/runs/r1/model/model.tar.gz: ImplicitlyDenied`,
      `s3:PutObject ${audit}/churn/predictions/r1/output/part.out: Allowed`,
      `s3:PutObject ${audit}/churn/predictions/r1/input/part.gz: ImplicitlyDenied`,
    ]);
  });
});

describe('a promotion in the local interpreter', () => {
  const arnOf = (version: number) => `arn:aws:sagemaker:eu-west-1:111111111111:model-package/${group}/${version}`;
  const approved = (version: number) =>
    modelPackageStateChange({ group, version, arn: arnOf(version), status: 'Completed', approval: 'Approved' } as ModelVersion, {
      account: identity.account,
      region: identity.region,
      time: new Date('2026-12-05T14:00:00Z'),
    });

  /** One environment: its SSM parameters survive between executions, as they do in AWS. */
  function environmentOf(snapshotRows: readonly JsonValue[] = [{ Data: [{ VarCharValue: 'snapshot_id' }] }, { Data: [{ VarCharValue: '8123456789' }] }]) {
    const parameters = new Map<string, string>();
    const calls = { createModel: [] as Record<string, unknown>[], queries: [] as string[], transforms: [] as Record<string, unknown>[], alerts: [] as JsonValue[] };
    const query = (id: string) => ({ QueryExecution: { QueryExecutionId: id, Status: { State: 'SUCCEEDED' } } });
    const handlers: TaskHandlers = {
      [S.readCurrentVersion]: async (input) => {
        const value = parameters.get((input as { Name: string }).Name);
        if (value === undefined) throw new TaskError(PARAMETER_NOT_FOUND, 'parameter not found');
        return { Parameter: { Value: value } };
      },
      [S.recordCurrentVersion]: async (input) => {
        const { Name, Value } = input as { Name: string; Value: string };
        parameters.set(Name, Value);
        return { Version: 1 };
      },
      [S.describeVersion]: async (input) => ({
        ModelPackageArn: (input as { ModelPackageName: string }).ModelPackageName,
        ModelPackageVersion: Number((input as { ModelPackageName: string }).ModelPackageName.split('/').at(-1)),
        ModelApprovalStatus: 'Approved',
        InferenceSpecification: { Containers: [{ Image: xgboostImageUri('eu-west-1'), ModelDataUrl: 's3://audit/ml/marketing/churn/runs/r1/model/model.tar.gz' }] },
      }),
      [S.createModel]: async (input) => {
        calls.createModel.push(input as Record<string, unknown>);
        return { ModelArn: 'arn' };
      },
      [S.findFeatureSnapshot]: async (input) => {
        calls.queries.push((input as { QueryString: string }).QueryString);
        return query('snapshot');
      },
      [S.readFeatureSnapshot]: async () => ({ ResultSet: { Rows: [...snapshotRows] } }),
      [S.unloadFeatures]: async (input) => {
        calls.queries.push((input as { QueryString: string }).QueryString);
        return query('unload');
      },
      [S.transform]: async (input) => {
        calls.transforms.push(input as Record<string, unknown>);
        return { TransformJobStatus: 'Completed' };
      },
      [S.insertPredictions]: async (input) => {
        calls.queries.push((input as { QueryString: string }).QueryString);
        return query('insert');
      },
      [S.alertFailed]: async (input) => {
        calls.alerts.push(input);
        return { MessageId: 'm' };
      },
    };
    const promote = (version: number) =>
      runStateMachine({ definition: machine.definition, input: approved(version) as unknown as JsonValue, handlers, retryPauseMs: 0, stateMachineArn: machine.arn });
    return { parameters, calls, promote };
  }

  it('promotes a new version once: a repeated event ends AlreadyPromoted without creating a model', async () => {
    const { parameters, calls, promote } = environmentOf();
    const first = await promote(3);
    expect([first.status, first.error, first.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(first.visitedStates).toEqual(expect.arrayContaining([S.noCurrentVersion, S.recordCurrentVersion, S.createModel, S.transform, S.insertPredictions]));
    expect(first.visitedStates.at(-1)).toBe(S.promoted);
    expect(parameters.get(parameter)).toBe(arnOf(3));
    expect(calls.createModel).toHaveLength(1);
    const modelName = calls.createModel[0]!['ModelName'] as string;
    expect(modelName).toMatch(new RegExp(`^${prefix}-[0-9a-f-]{36}$`));
    expect(modelName.length).toBeLessThanOrEqual(63);
    expect(calls.createModel[0]).toMatchObject({ PrimaryContainer: { Image: xgboostImageUri('eu-west-1') } });
    expect(calls.transforms[0]).toMatchObject({ ModelName: modelName, TransformJobName: modelName });
    const runId = modelName.slice(prefix.length + 1);
    expect(calls.queries[1]).toContain(`FOR VERSION AS OF 8123456789) TO 's3://acme-dev-audit-111111111111-eu-west-1/ml/marketing/churn/predictions/${runId}/input/'`);
    expect(calls.queries[2]).toMatch(/^MERGE INTO "acme_dev_marketing"\."churn_predictions"/);
    expect(calls.queries[2]).toContain(`'${arnOf(3)}' AS "model_package_arn", CAST('3' AS integer) AS "model_version", '8123456789' AS "feature_snapshot_id", '${runId}' AS "run_id"`);

    const repeat = await promote(3);
    expect([repeat.status, repeat.visitedStates.at(-1)]).toEqual(['SUCCEEDED', S.alreadyPromoted]);
    expect(repeat.visitedStates).not.toContain(S.recordCurrentVersion);
    expect(calls.createModel).toHaveLength(1);
    expect(calls.queries).toHaveLength(3);

    const next = await promote(4);
    expect([next.status, next.visitedStates.at(-1)]).toEqual(['SUCCEEDED', S.promoted]);
    expect(next.visitedStates).not.toContain(S.noCurrentVersion);
    expect(parameters.get(parameter)).toBe(arnOf(4));
    expect(calls.createModel).toHaveLength(2);
  });

  it('alerts the domain and fails when the feature table has no snapshot to score', async () => {
    const { parameters, calls, promote } = environmentOf([{ Data: [{ VarCharValue: 'snapshot_id' }] }]);
    const execution = await promote(3);
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Promotion.Failed']);
    // Nothing scored, nothing recorded: the event delivered again promotes the version.
    expect(parameters.has(parameter)).toBe(false);
    expect(execution.visitedStates).toEqual(expect.arrayContaining([S.noFeatureData, S.alertFailed]));
    expect(execution.visitedStates).not.toContain(S.transform);
    expect(calls.alerts).toEqual([
      expect.objectContaining({ Message: expect.objectContaining({ alert: 'PromotionFailed', model: 'marketing/churn', failure: expect.objectContaining({ Error: 'Promotion.NoFeatureData' }) }) }),
    ]);
  });
});

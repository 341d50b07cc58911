/**
 * The stand-ins of the promotion machine's calls besides Athena and the transform, on real files:
 * SSM's parameter store, SageMaker's CreateModel, and EventBridge's delivery of an event to a
 * rule's target with the input the target declares.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deliveriesTo } from '../../../lib/local/runtime/event-rule-delivery.ts';
import { LocalParameterStore } from '../../../lib/local/runtime/local-parameter-store.ts';
import { LocalSageMakerModels } from '../../../lib/local/runtime/local-sagemaker-models.ts';
import type { JsonObject, JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';
import type { SynthesizedResource } from '../../../lib/local/stepfunctions/synthesized-resources.ts';
import { PARAMETER_NOT_FOUND } from '../../../lib/ml/promotion-states.ts';

const folder = mkdtempSync(join(tmpdir(), 'promotion-stand-ins-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function failure(call: Promise<unknown>): Promise<TaskError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TaskError);
  return error as TaskError;
}

describe('the local parameter store', () => {
  const store = new LocalParameterStore(join(folder, 'ssm'));
  const name = '/acme/dev/marketing/ml/churn/current-version';

  it("fails GetParameter of a missing parameter with SSM's error as Step Functions names it", async () => {
    expect((await failure(store.getParameter({ Name: name }))).name).toBe(PARAMETER_NOT_FOUND);
  });

  it('keeps what PutParameter wrote, numbering versions, and overwrites only when asked', async () => {
    expect(await store.putParameter({ Name: name, Value: 'arn:1', Type: 'String', Overwrite: true })).toEqual({ Version: 1, Tier: 'Standard' });
    expect(await store.getParameter({ Name: name })).toMatchObject({ Parameter: { Name: name, Value: 'arn:1', Version: 1 } });
    expect((await failure(store.putParameter({ Name: name, Value: 'arn:2' }))).name).toBe('Ssm.ParameterAlreadyExistsException');
    await store.putParameter({ Name: name, Value: 'arn:2', Overwrite: true });
    expect(new LocalParameterStore(join(folder, 'ssm')).read(name)).toMatchObject({ Value: 'arn:2', Version: 2 });
  });
});

describe('the local CreateModel', () => {
  const models = new LocalSageMakerModels(join(folder, 'models'), { account: '111111111111', region: 'eu-west-1' });
  const request = { ModelName: 'acme-dev-churn-run1', ExecutionRoleArn: 'arn:aws:iam::1:role/r', PrimaryContainer: { Image: 'image:1', ModelDataUrl: 's3://b/model.json' } };

  it('records the name with its image and artifact, and refuses the name a second time as SageMaker does', async () => {
    expect(await models.createModel(request)).toEqual({ ModelArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model/acme-dev-churn-run1' });
    expect(models.model('acme-dev-churn-run1')).toMatchObject({ Image: 'image:1', ModelDataUrl: 's3://b/model.json' });
    const again = await failure(models.createModel({ ...request, PrimaryContainer: { Image: 'image:2', ModelDataUrl: 's3://b/other.json' } }));
    expect([again.name, again.message]).toEqual(['SageMaker.ValidationException', expect.stringContaining('Cannot create already existing model')]);
    expect(models.model('acme-dev-churn-run1')).toMatchObject({ Image: 'image:1' });
    expect(models.model('never-created')).toBeUndefined();
  });
});

describe("EventBridge's delivery to a rule's targets", () => {
  const event = { source: 'aws.sagemaker', detail: { ModelApprovalStatus: 'Approved', ModelPackageArn: 'arn:p/1' } };
  const rule = (properties: Record<string, JsonValue>): SynthesizedResource => ({ stackName: 'S', logicalId: 'Rule', property: (name) => properties[name] });
  const pattern = { source: ['aws.sagemaker'], detail: { ModelApprovalStatus: ['Approved'] } };

  it('gives each matching target the whole event, its Input, its InputPath or its InputTransformer output', () => {
    const targets: JsonObject[] = [
      { Arn: 'arn:machine', Id: 'Whole' },
      { Arn: 'arn:machine', Id: 'Constant', Input: '{"fixed":true}' },
      { Arn: 'arn:machine', Id: 'Path', InputPath: '$.detail' },
      { Arn: 'arn:machine', Id: 'Transformed', InputTransformer: { InputPathsMap: { arn: '$.detail.ModelPackageArn' }, InputTemplate: '{"version": <arn>, "raw": "<arn>"}' } },
      { Arn: 'arn:other', Id: 'Elsewhere' },
    ];
    expect(deliveriesTo([rule({ EventPattern: pattern, Targets: targets })], 'arn:machine', event).map((delivery) => delivery.input)).toEqual([
      event,
      { fixed: true },
      event.detail,
      { version: 'arn:p/1', raw: 'arn:p/1' },
    ]);
  });

  it('puts a value with quotes into a string of the template escaped, and never fills a value put in twice', () => {
    const quoted = { source: 'aws.sagemaker', detail: { ModelApprovalStatus: 'Approved', ModelPackageArn: 'say "<arn>"' } };
    const targets = [{ Arn: 'arn:machine', Id: 'T', InputTransformer: { InputPathsMap: { arn: '$.detail.ModelPackageArn' }, InputTemplate: '{"text": "arn <arn>", "value": <arn>}' } }];
    expect(deliveriesTo([rule({ EventPattern: pattern, Targets: targets })], 'arn:machine', quoted).map((delivery) => delivery.input)).toEqual([
      { text: 'arn say "<arn>"', value: 'say "<arn>"' },
    ]);
  });

  it('delivers nothing for an event the pattern refuses, or from a disabled rule', () => {
    const targets = [{ Arn: 'arn:machine', Id: 'Whole' }];
    expect(deliveriesTo([rule({ EventPattern: pattern, Targets: targets })], 'arn:machine', { ...event, detail: { ModelApprovalStatus: 'Rejected' } })).toEqual([]);
    expect(deliveriesTo([rule({ EventPattern: pattern, Targets: targets, State: 'DISABLED' })], 'arn:machine', event)).toEqual([]);
  });
});

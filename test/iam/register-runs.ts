/**
 * Runs each ML model's register function's real handler, configured from its synthesized function,
 * on the payload its training machine's Register Task sends in one run (run-values.ts; what the
 * training job answers, its artifact and metrics, filled in as the job would), with a recording
 * SageMaker client: the commands it sends are the calls its role must allow.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createRegisterHandler } from '../../lambdas/register-model/handler.ts';
import { readRegisterSettings } from '../../lambdas/register-model/settings.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { SageMakerModelRegistry } from '../../lib/ml/sagemaker-registry.ts';
import type { MlModel } from '../../lib/ml/model.ts';
import type { AthenaCatalog } from './athena-on-behalf.ts';
import { type Call, distinctCalls } from './call.ts';
import { runValue } from './run-values.ts';
import { callsOfCommands, modelPackageArn, recording, type SentCommand } from './sdk-calls.ts';
import type { SynthesizedResource } from './synthesized-app.ts';

type Graph = Readonly<Record<string, Record<string, unknown>>>;

export interface RegisterRun {
  readonly function: SynthesizedResource;
  readonly calls: readonly Call[];
}

/** The Register Task's payload in a run: each field the definition determines, the job's answers as given. */
function registerPayload(machine: SynthesizedStateMachine, functionArn: string, answers: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const graph = machine.definition.States as unknown as Graph;
  const task = Object.values(graph).find((state) => state['Type'] === 'Task' && (state['Parameters'] as Record<string, unknown> | undefined)?.['FunctionName'] === functionArn);
  if (task === undefined) throw new Error(`${machine.name}: no Task invokes ${functionArn}`);
  const payload = (task['Parameters'] as { Payload: Record<string, unknown> }).Payload;
  return Object.fromEntries(
    Object.entries(payload).map(([field, value]) => {
      const name = field.replace(/\.\$$/, '');
      const inRun = typeof value === 'string' && field.endsWith('.$') ? runValue(graph, value) : value;
      const given = inRun ?? answers[name];
      if (given === undefined) throw new Error(`${machine.name}: the Register payload's ${name} (${JSON.stringify(value)}) has no value in a run`);
      return [name, given];
    }),
  );
}

export async function runRegister(
  catalog: AthenaCatalog,
  fn: SynthesizedResource,
  model: MlModel,
  training: SynthesizedStateMachine,
  artifact: string,
): Promise<RegisterRun> {
  const environment = (fn.resolve((fn.raw.Properties?.['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {}) ?? {}) as Record<string, string>;
  const settings = readRegisterSettings(environment);
  const sent: SentCommand[] = [];
  let created: Record<string, unknown> = {};
  const sagemaker = recording(new SageMakerClient({ region: catalog.region }), 'SageMaker', sent, (command) => {
    if (command.command === 'CreateModelPackageCommand') {
      created = command.input;
      return { ModelPackageArn: modelPackageArn(catalog, settings.group, 1) };
    }
    // The version as SageMaker describes what was created.
    return { ...created, ModelPackageVersion: 1, ModelPackageStatus: 'Completed', CreationTime: new Date() };
  });
  const functionArn = fn.resolve({ 'Fn::GetAtt': [fn.logicalId, 'Arn'] }) as string;
  // What the training job answers: its artifact and a value for each metric the thresholds name.
  const answers = {
    featureSnapshotId: '4711',
    artifact,
    metrics: model.thresholds.map((threshold) => ({ MetricName: threshold.metric, Value: threshold.value })),
  };
  await createRegisterHandler(new SageMakerModelRegistry(sagemaker), settings)(registerPayload(training, functionArn, answers));
  return { function: fn, calls: distinctCalls(callsOfCommands({ catalog, topicKeys: new Map() }, sent)) };
}

/**
 * The calls SageMaker makes with the role an ML machine passes it, derived from the job Tasks of
 * the machine's definition as they are in one run (run-values.ts): a training job reads its
 * channels' prefixes and writes its model artifact under the output path; a transform job reads
 * its model's artifact and its input prefix and writes `<input file>.out` under the output path;
 * both encrypt with the keys the Task names (the volume through a grant), write their logs and
 * publish their metrics. Built-in algorithm images are pulled with SageMaker's own credentials
 * (SageMaker API reference, AlgorithmSpecification), so no ECR call is the role's.
 */
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import type { AthenaCatalog } from './athena-on-behalf.ts';
import { type Call, distinctCalls } from './call.ts';
import { runParameter, runValue, s3Location } from './run-values.ts';

type Graph = Readonly<Record<string, Record<string, unknown>>>;

export interface SageMakerJobRun {
  readonly kind: 'training-job' | 'transform-job';
  /** The role SageMaker assumes for the job. */
  readonly roleArn: string;
  readonly calls: readonly Call[];
  /** A training job's model artifact, which a transform job of the same model reads. */
  readonly artifact?: string;
}

/** A file an S3 prefix holds in a run (Athena and SageMaker name them; any name under it is scoped the same). */
const SAMPLE_FILE = 'part-00000';

function tasks(graph: Graph): { name: string; resource: string; parameters: Record<string, unknown> }[] {
  return Object.entries(graph).flatMap(([name, state]) => {
    const nested = [
      ...((state['Branches'] as { States: Graph }[] | undefined) ?? []).map((branch) => branch.States),
      ...[(state['ItemProcessor'] ?? state['Iterator']) as { States: Graph } | undefined].flatMap((processor) => (processor === undefined ? [] : [processor.States])),
    ];
    const own = state['Type'] === 'Task' ? [{ name, resource: state['Resource'] as string, parameters: (state['Parameters'] ?? {}) as Record<string, unknown> }] : [];
    return [...own, ...nested.flatMap(tasks)];
  });
}

function objectArn(partition: string, uri: string): string {
  const { bucket, key } = s3Location(uri);
  return `arn:${partition}:s3:::${bucket}/${key}`;
}

export function sageMakerJobRuns(catalog: AthenaCatalog, machine: SynthesizedStateMachine, artifacts: ReadonlyMap<string, string>): SageMakerJobRun[] {
  const { partition, region, account } = catalog;
  const graph = machine.definition.States as unknown as Graph;
  const all = tasks(graph);
  const keyOf = (bucket: string): string => {
    const key = catalog.bucketKeys.get(bucket);
    if (key === undefined) throw new Error(`bucket ${bucket} is not an encrypted bucket of this app`);
    return key;
  };
  const readPrefix = (uri: string, why: string): Call[] => {
    const { bucket, key } = s3Location(uri);
    return [
      { action: 's3:ListBucket', resource: `arn:${partition}:s3:::${bucket}`, context: { 's3:prefix': key }, why: `${why}: lists the input prefix` },
      { action: 's3:GetObject', resource: objectArn(partition, `${uri}${SAMPLE_FILE}`), why: `${why}: reads the input` },
      { action: 'kms:Decrypt', resource: keyOf(bucket), why: `${why}: reads the input` },
    ];
  };
  const jobTelemetry = (kind: 'Training' | 'Transform', job: string, volumeKey: unknown, why: string): Call[] => [
    ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
      action,
      resource: `arn:${partition}:logs:${region}:${account}:log-group:/aws/sagemaker/${kind}Jobs:log-stream:${job}/algo-1`,
      why: `${why}: logs`,
    })),
    { action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': `/aws/sagemaker/${kind}Jobs` }, why: `${why}: metrics` },
    ...(typeof volumeKey === 'string'
      ? [{ action: 'kms:CreateGrant', resource: volumeKey, context: { 'kms:GrantIsForAWSResource': 'true' }, why: `${why}: encrypts its volume` }]
      : []),
  ];

  return all.flatMap((task): SageMakerJobRun[] => {
    const where = `${machine.name} Task ${task.name}`;
    const inRun = (parameters: Record<string, unknown>, name: string): string => runParameter(graph, parameters, name, where);
    const { parameters } = task;
    if (task.resource.endsWith(':sagemaker:createTrainingJob.sync')) {
      const job = inRun(parameters, 'TrainingJobName');
      const why = `training job of ${where}`;
      const output = parameters['OutputDataConfig'] as Record<string, unknown>;
      const artifact = `${inRun(output, 'S3OutputPath')}${job}/output/model.tar.gz`;
      const channels = parameters['InputDataConfig'] as { DataSource: { S3DataSource: Record<string, unknown> } }[];
      const resources = parameters['ResourceConfig'] as Record<string, unknown>;
      return [
        {
          kind: 'training-job',
          roleArn: inRun(parameters, 'RoleArn'),
          artifact,
          calls: distinctCalls([
            ...channels.flatMap((channel) => readPrefix(inRun(channel.DataSource.S3DataSource, 'S3Uri'), why)),
            { action: 's3:PutObject', resource: objectArn(partition, artifact), why: `${why}: writes the model artifact` },
            { action: 'kms:GenerateDataKey', resource: inRun(output, 'KmsKeyId'), why: `${why}: encrypts the model artifact` },
            ...jobTelemetry('Training', job, resources['VolumeKmsKeyId'], why),
          ]),
        },
      ];
    }
    if (task.resource.endsWith(':sagemaker:createTransformJob.sync')) {
      const job = inRun(parameters, 'TransformJobName');
      const why = `transform job of ${where}`;
      const modelName = inRun(parameters, 'ModelName');
      // The model the job runs: the CreateModel Task of the same name, whose role SageMaker assumes.
      const model = all.find((candidate) => candidate.resource.endsWith(':sagemaker:createModel') && runValue(graph, String(candidate.parameters['ModelName.$'])) === modelName);
      if (model === undefined) throw new Error(`${where}: no CreateModel Task makes model ${modelName}`);
      const artifact = artifacts.get(machine.name);
      if (artifact === undefined) throw new Error(`${where}: no training job of this model makes the artifact it scores with`);
      const input = inRun((parameters['TransformInput'] as { DataSource: { S3DataSource: Record<string, unknown> } }).DataSource.S3DataSource, 'S3Uri');
      const output = parameters['TransformOutput'] as Record<string, unknown>;
      const resources = parameters['TransformResources'] as Record<string, unknown>;
      return [
        {
          kind: 'transform-job',
          roleArn: inRun(model.parameters, 'ExecutionRoleArn'),
          calls: distinctCalls([
            { action: 's3:GetObject', resource: objectArn(partition, artifact), why: `${why}: reads the model artifact` },
            { action: 'kms:Decrypt', resource: keyOf(s3Location(artifact).bucket), why: `${why}: reads the model artifact` },
            ...readPrefix(input, why),
            { action: 's3:PutObject', resource: objectArn(partition, `${inRun(output, 'S3OutputPath')}${SAMPLE_FILE}.out`), why: `${why}: writes the scores` },
            { action: 'kms:GenerateDataKey', resource: inRun(output, 'KmsKeyId'), why: `${why}: encrypts the scores` },
            ...jobTelemetry('Transform', job, resources['VolumeKmsKeyId'], why),
          ]),
        },
      ];
    }
    return [];
  });
}

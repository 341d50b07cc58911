import { App, Fn, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCloudAssembly } from '../../../lib/local/stepfunctions/cloud-assembly.ts';
import {
  DefinitionResolutionError,
  type SynthesizedStateMachine,
  synthesizedStateMachines,
} from '../../../lib/local/stepfunctions/definitions.ts';
import { ACCOUNT, type FixtureStage, fixtureStage, REGION } from './fixture-stage.ts';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/local`;

function byName(machines: readonly SynthesizedStateMachine[], name: string): SynthesizedStateMachine {
  const found = machines.find((machine) => machine.name === name);
  if (found === undefined) throw new Error(`no state machine ${name} among ${machines.map((m) => m.name).join(', ')}`);
  return found;
}

function state(machine: SynthesizedStateMachine, name: string): Record<string, unknown> {
  return machine.definition.States[name] as unknown as Record<string, unknown>;
}

/** The machines of a Stage's cloud assembly, read from the folder CDK writes. */
function machinesOf(stage: Stage): SynthesizedStateMachine[] {
  return synthesizedStateMachines(readCloudAssembly(stage.synth().directory));
}

/** A stage whose one stack holds a raw `CfnStateMachine`, for intrinsics CDK's L2 never emits. */
function rawMachineStage(definitionString: unknown, environmentAgnostic = false): Stage {
  const stage = new Stage(new App(), 'Edge', environmentAgnostic ? {} : { env: { account: ACCOUNT, region: REGION } });
  const stack = new Stack(stage, 'Raw');
  new sfn.CfnStateMachine(stack, 'RawMachine', { roleArn: ROLE_ARN, definitionString: definitionString as string });
  return stage;
}

describe('synthesizedStateMachines on the assembly of a synthesized stage', () => {
  let fixture: FixtureStage;
  let machines: SynthesizedStateMachine[];

  beforeAll(() => {
    fixture = fixtureStage();
    machines = machinesOf(fixture.stage);
  });

  it('finds every state machine with its stack, logical id, construct path, name and ARN', () => {
    expect(machines.map(({ stackName, path, name }) => ({ stackName, path, name }))).toEqual([
      { stackName: 'Dev-Pipeline', path: 'Dev/Pipeline/Machine/Resource', name: 'dev-pipeline' },
      { stackName: 'Dev-Pipeline', path: 'Dev/Pipeline/SlowMachine/Resource', name: 'dev-slow' },
      { stackName: 'Dev-Pipeline', path: 'Dev/Pipeline/BoundedMachine/Resource', name: 'dev-bounded' },
    ]);
    const pipeline = byName(machines, 'dev-pipeline');
    const cfnMachine = fixture.pipelineStack.node.findChild('Machine').node.defaultChild as sfn.CfnStateMachine;
    expect(pipeline.logicalId).toBe(fixture.pipelineStack.getLogicalId(cfnMachine));
    expect(pipeline.arn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:dev-pipeline`);
  });

  it('leaves no intrinsic in any definition', () => {
    for (const machine of machines) {
      const text = JSON.stringify(machine.definition);
      expect(text).not.toContain('Fn::');
      expect(text).not.toContain('"Ref"');
      expect(text).not.toContain('AWS::');
    }
  });

  it('resolves GetAtt Arn of a named function, Ref AWS::Partition and Ref of a named work group', () => {
    const pipeline = byName(machines, 'dev-pipeline');
    expect(state(pipeline, 'Validate')).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dev-validator` },
    });
    expect(state(pipeline, 'Load')).toMatchObject({
      Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      Parameters: { WorkGroup: 'dev-wg' },
    });
    expect(state(pipeline, 'Announce')).toMatchObject({
      Parameters: { Entries: [{ EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/dev-bus` }] },
    });
  });

  it('names a resource without a physical name local-<logicalId>, inside a Map too', () => {
    const itemProcessor = state(byName(machines, 'dev-pipeline'), 'EachFile')['ItemProcessor'] as {
      States: Record<string, { Resource: string }>;
    };
    expect(itemProcessor.States['PerFile']?.Resource).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${fixture.unnamedFunctionId}`,
    );
  });

  it('resolves Fn::ImportValue from the exporting stack of the same stage', () => {
    const template = fixture.stage.synth().getStackArtifact(fixture.pipelineStack.artifactId).template as object;
    expect(JSON.stringify(template)).toContain('Fn::ImportValue');
    expect(state(byName(machines, 'dev-pipeline'), 'Alert')).toMatchObject({
      Parameters: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:dev-alerts` },
    });
  });

  it('reads the folder of a Stage in the assembly the whole app wrote, as `cdk synth` leaves it', () => {
    const stageFolder = fixture.app.synth().getNestedAssemblyArtifact(fixture.stage.artifactId).fullPath;
    const fromAssembly = synthesizedStateMachines(readCloudAssembly(stageFolder));
    expect(fromAssembly.map((machine) => machine.definition)).toEqual(machines.map((machine) => machine.definition));
  });

  it('keeps the top-level TimeoutSeconds of a machine with a timeout', () => {
    expect(byName(machines, 'dev-bounded').definition.TimeoutSeconds).toBe(1);
  });
});

describe('synthesizedStateMachines on hand-written CloudFormation', () => {
  it('resolves Fn::Sub, Fn::Select and Fn::Split with pseudo parameters and resource references', () => {
    const stage = new Stage(new App(), 'Edge', { env: { account: ACCOUNT, region: 'cn-north-1' } });
    const stack = new Stack(stage, 'Raw');
    const bucket = new s3.CfnBucket(stack, 'Landing', { bucketName: 'acme-dev-landing' });
    const template = JSON.stringify({
      StartAt: 'Describe',
      States: {
        Describe: {
          Type: 'Pass',
          Result: {
            where: '${AWS::Partition}|${AWS::Region}|${AWS::AccountId}|${AWS::URLSuffix}|${AWS::StackName}',
            bucket: '${Bucket}|${Landing.Arn}|${!Literal}',
            zone: '__ZONE__',
          },
          End: true,
        },
      },
    });
    const [before, after] = template.split('__ZONE__');
    new sfn.CfnStateMachine(stack, 'RawMachine', {
      roleArn: ROLE_ARN,
      definitionString: Fn.join('', [
        Fn.sub(before ?? '', { Bucket: bucket.ref }),
        Fn.select(2, Fn.split('-', bucket.ref)),
        after ?? '',
      ]),
    });
    const [machine] = machinesOf(stage);
    expect(machine?.definition.States['Describe']).toMatchObject({
      Result: {
        where: `aws-cn|cn-north-1|${ACCOUNT}|amazonaws.com.cn|Edge-Raw`,
        bucket: 'acme-dev-landing|arn:aws-cn:s3:::acme-dev-landing|${Literal}',
        zone: 'landing',
      },
    });
    expect(machine?.name).toBe(`local-${machine?.logicalId}`);
  });

  it('applies DefinitionSubstitutions to an object Definition', () => {
    const stage = new Stage(new App(), 'Edge', { env: { account: ACCOUNT, region: REGION } });
    const stack = new Stack(stage, 'Raw');
    const bucket = new s3.CfnBucket(stack, 'Landing', { bucketName: 'acme-dev-landing' });
    new sfn.CfnStateMachine(stack, 'RawMachine', {
      roleArn: ROLE_ARN,
      stateMachineName: 'raw',
      definition: { StartAt: 'Only', States: { Only: { Type: 'Pass', Result: 's3://${LandingBucket}/in/', End: true } } },
      definitionSubstitutions: { LandingBucket: bucket.ref },
    });
    const [machine] = machinesOf(stage);
    expect(machine?.definition.States['Only']).toMatchObject({ Result: 's3://acme-dev-landing/in/' });
  });

  it('refuses an unsupported intrinsic, naming the stack, logical id and construct path', () => {
    const stage = rawMachineStage(Fn.join('', ['{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"', Fn.base64('x'), '","End":true}}}']));
    expect(() => machinesOf(stage)).toThrow(DefinitionResolutionError);
    expect(() => machinesOf(stage)).toThrow(
      /state machine RawMachine \(Edge\/Raw\/RawMachine\) in stack Edge-Raw: unsupported intrinsic Fn::Base64/,
    );
  });

  it('refuses an import that no stack of the assembly exports', () => {
    const stage = rawMachineStage(Fn.join('', ['{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"', Fn.importValue('nobody-exports-this'), '","End":true}}}']));
    expect(() => machinesOf(stage)).toThrow(/Fn::ImportValue nobody-exports-this: no stack in this assembly exports it/);
  });

  it('refuses an environment-agnostic stack instead of inventing an account', () => {
    const stage = rawMachineStage(Fn.join('', ['{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"', Fn.ref('AWS::Region'), '","End":true}}}']), true);
    expect(() => machinesOf(stage)).toThrow(/stack Edge-Raw is environment-agnostic/);
  });

  it('refuses a definition that is not JSON or has no states', () => {
    expect(() => machinesOf(rawMachineStage('{"StartAt": '))).toThrow(/DefinitionString is not JSON/);
    expect(() => machinesOf(rawMachineStage('{"Comment": "empty"}'))).toThrow(/has no StartAt and States/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCloudAssembly } from '../../../lib/local/stepfunctions/cloud-assembly.ts';

let directory: string;

function write(file: string, content: unknown): void {
  writeFileSync(join(directory, file), JSON.stringify(content));
}

const TEMPLATE = { Resources: { Machine1A2B: { Type: 'AWS::StepFunctions::StateMachine' } } };

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cloud-assembly-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('readCloudAssembly', () => {
  it('reads each stack artifact in manifest order, its metadata inline or in its own file', () => {
    write('manifest.json', {
      version: '48.0.0',
      artifacts: {
        'Shared.assets': { type: 'cdk:asset-manifest', properties: { file: 'Shared.assets.json' } },
        Shared: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://123456789012/eu-west-1',
          properties: { templateFile: 'Shared.template.json', stackName: 'Dev-Shared' },
          metadata: { '/Dev/Shared/Machine/Resource': [{ type: 'aws:cdk:logicalId', data: 'Machine1A2B' }] },
        },
        Pipeline: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://123456789012/eu-west-1',
          properties: { templateFile: 'Pipeline.template.json' },
          additionalMetadataFile: 'Pipeline.metadata.json',
        },
      },
    });
    write('Shared.template.json', TEMPLATE);
    write('Pipeline.template.json', TEMPLATE);
    write('Pipeline.metadata.json', {
      '/Dev/Pipeline': [{ type: 'aws:cdk:warning', data: 'not a logical id' }],
      '/Dev/Pipeline/Machine/Resource': [{ type: 'aws:cdk:logicalId', data: 'Machine1A2B' }],
    });
    const stacks = readCloudAssembly(directory);
    expect(stacks.map(({ stackName, environment, template }) => ({ stackName, environment, template }))).toEqual([
      { stackName: 'Dev-Shared', environment: { account: '123456789012', region: 'eu-west-1' }, template: TEMPLATE },
      // CDK leaves stackName out when it is the artifact id.
      { stackName: 'Pipeline', environment: { account: '123456789012', region: 'eu-west-1' }, template: TEMPLATE },
    ]);
    expect(stacks.map((stack) => [...stack.constructPaths])).toEqual([
      [['Machine1A2B', '/Dev/Shared/Machine/Resource']],
      [['Machine1A2B', '/Dev/Pipeline/Machine/Resource']],
    ]);
  });

  it('names the folder and the file it cannot read', () => {
    expect(() => readCloudAssembly(directory)).toThrow(`cloud assembly ${directory}: cannot read manifest.json (ENOENT)`);
    write('manifest.json', { artifacts: { Raw: { type: 'aws:cloudformation:stack', environment: 'aws://1/r', properties: { templateFile: 'Raw.template.json' } } } });
    expect(() => readCloudAssembly(directory)).toThrow(`cloud assembly ${directory}: cannot read Raw.template.json (ENOENT)`);
    writeFileSync(join(directory, 'Raw.template.json'), '{"Resources": ');
    expect(() => readCloudAssembly(directory)).toThrow(new RegExp(`cloud assembly ${directory}: Raw.template.json is not JSON`));
  });

  it('refuses a stack without an aws:// environment', () => {
    write('manifest.json', { artifacts: { Raw: { type: 'aws:cloudformation:stack', environment: 'somewhere', properties: { templateFile: 'Raw.template.json' } } } });
    write('Raw.template.json', TEMPLATE);
    expect(() => readCloudAssembly(directory)).toThrow(/stack Raw has no environment aws:\/\/<account>\/<region> \(somewhere\)/);
  });
});

import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssemblyCache } from '../../../lib/local/assembly-cache/assembly-cache.ts';
import type { AssemblyInputs } from '../../../lib/local/assembly-cache/assembly-key.ts';
import { cachedAssembly } from '../../../lib/local/assembly-cache/cached-assembly.ts';
import { readCloudAssembly } from '../../../lib/local/stepfunctions/cloud-assembly.ts';

let root: string;
let cache: AssemblyCache;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'assembly-cache-'));
  cache = new AssemblyCache(join(root, 'project', '.lake', 'assemblies'), 3);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function key(digit: string): string {
  return digit.repeat(64);
}

/**
 * A cloud assembly as CDK writes a Stage's: a manifest, a template per stack (one with its metadata
 * in a file of its own), an asset manifest and a bundled asset, which readCloudAssembly never reads.
 */
function writeAssembly(directory: string, machineName: string): string {
  const write = (file: string, content: unknown) => {
    mkdirSync(join(directory, file, '..'), { recursive: true });
    writeFileSync(join(directory, file), JSON.stringify(content));
  };
  const environment = 'aws://111111111111/eu-west-1';
  write('manifest.json', {
    version: '48.0.0',
    artifacts: {
      'Pipeline.assets': { type: 'cdk:asset-manifest', properties: { file: 'Pipeline.assets.json' } },
      Platform: { type: 'aws:cloudformation:stack', environment, properties: { templateFile: 'Platform.template.json' } },
      Pipeline: {
        type: 'aws:cloudformation:stack',
        environment,
        properties: { templateFile: 'Pipeline.template.json', stackName: 'dev-Pipeline' },
        additionalMetadataFile: 'Pipeline.metadata.json',
      },
    },
  });
  write('Platform.template.json', { Resources: {} });
  write('Pipeline.template.json', {
    Resources: { Machine1A2B: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: machineName } } },
  });
  write('Pipeline.metadata.json', { '/dev/Pipeline/Machine/Resource': [{ type: 'aws:cdk:logicalId', data: 'Machine1A2B' }] });
  write('Pipeline.assets.json', { files: {} });
  write('asset.0123/index.js', 'bundled handler');
  return directory;
}

function entries(): string[] {
  return readdirSync(cache.directory).sort();
}

describe('AssemblyCache', () => {
  it('reads back what it stored, holding only the files readCloudAssembly reads', () => {
    const assembly = writeAssembly(join(root, 'synth'), 'acme-dev-orders');
    expect(cache.read(key('a'))).toBeUndefined();
    cache.store(key('a'), assembly);
    expect(cache.read(key('a'))).toEqual(readCloudAssembly(assembly));
    expect(readdirSync(cache.entryDirectory(key('a'))).sort()).toEqual([
      'Pipeline.metadata.json',
      'Pipeline.template.json',
      'Platform.template.json',
      'manifest.json',
    ]);
    expect(entries()).toEqual([key('a')]);
  });

  it('refuses a key that is not a hash, so no key can name a folder outside the cache', () => {
    expect(() => cache.read('../../etc')).toThrow("assembly cache: '../../etc' is not a key (64 hex digits)");
  });

  it('keeps the entry of another process that stored the same key first', () => {
    cache.store(key('a'), writeAssembly(join(root, 'first'), 'first'));
    cache.store(key('a'), writeAssembly(join(root, 'second'), 'second'));
    expect(cache.read(key('a'))![1]!.template.Resources!['Machine1A2B']!.Properties).toEqual({ StateMachineName: 'first' });
    expect(entries()).toEqual([key('a')]);
  });

  it('answers a damaged entry as a miss and removes it, so the next store replaces it', () => {
    cache.store(key('a'), writeAssembly(join(root, 'synth'), 'old'));
    appendFileSync(join(cache.entryDirectory(key('a')), 'Pipeline.template.json'), '}');
    expect(cache.read(key('a'))).toBeUndefined();
    expect(entries()).toEqual([]);
    cache.store(key('a'), writeAssembly(join(root, 'again'), 'new'));
    expect(cache.read(key('a'))![1]!.template.Resources!['Machine1A2B']!.Properties).toEqual({ StateMachineName: 'new' });
  });

  it('keeps the newest entries, a hit making its entry new again, and clears what killed processes left', () => {
    const assembly = writeAssembly(join(root, 'synth'), 'machine');
    const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const [index, digit] of ['a', 'b', 'c'].entries()) {
      cache.store(key(digit), assembly);
      const written = new Date(Date.now() - (10 - index) * 60 * 1000);
      utimesSync(cache.entryDirectory(key(digit)), written, written);
    }
    mkdirSync(join(cache.directory, '.writing-killed'));
    utimesSync(join(cache.directory, '.writing-killed'), longAgo, longAgo);
    mkdirSync(join(cache.directory, '.writing-in-progress'));
    expect(cache.read(key('a'))).toBeDefined();
    cache.store(key('d'), assembly);
    // 'b' was the least recently used: stored before 'c', and 'a' was read since.
    expect(entries()).toEqual(['.writing-in-progress', key('a'), key('c'), key('d')]);
  });
});

describe('cachedAssembly', () => {
  let contracts: string;
  let synthesized: number;
  let inputs: AssemblyInputs;

  beforeEach(() => {
    contracts = join(root, 'contracts');
    mkdirSync(contracts);
    writeFileSync(join(contracts, 'orders.yaml'), 'name: orders\n');
    synthesized = 0;
    inputs = { contractsRoot: contracts, context: {}, environment: 'dev', variables: {}, codeRoot: root, code: [] };
  });

  const synthesizeInto = async (outdir: string) => {
    synthesized += 1;
    return writeAssembly(join(outdir, 'assembly-dev'), `machine-${synthesized}`);
  };

  it('synthesizes on a miss, reads the cache on a hit, and synthesizes again when an input changed', async () => {
    const first = await cachedAssembly({ cache, inputs, synthesizeInto });
    expect({ hit: first.hit, synthesized }).toEqual({ hit: false, synthesized: 1 });
    const second = await cachedAssembly({ cache, inputs, synthesizeInto });
    expect({ hit: second.hit, synthesized, key: second.key }).toEqual({ hit: true, synthesized: 1, key: first.key });
    expect(second.stacks).toEqual(first.stacks);
    appendFileSync(join(contracts, 'orders.yaml'), ' ');
    const third = await cachedAssembly({ cache, inputs, synthesizeInto });
    expect({ hit: third.hit, synthesized }).toEqual({ hit: false, synthesized: 2 });
    expect(third.key).not.toBe(first.key);
  });

  it('does not store an assembly whose inputs changed while it was synthesized, and removes its output folder', async () => {
    let outdir = '';
    const result = await cachedAssembly({
      cache,
      inputs,
      synthesizeInto: async (folder) => {
        outdir = folder;
        appendFileSync(join(contracts, 'orders.yaml'), '# saved meanwhile\n');
        return synthesizeInto(folder);
      },
    });
    expect(result.hit).toBe(false);
    expect(existsSync(cache.entryDirectory(result.key))).toBe(false);
    expect(existsSync(outdir)).toBe(false);
  });
});

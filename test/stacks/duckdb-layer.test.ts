import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { duckDbLayerAsset, layerPackages, LINUX_BINDING } from '../../lib/constructs/duckdb-layer-asset.ts';
import { buildApp, resourcesOf } from './build.ts';
import { environment, settings } from './fixtures.ts';

const built = buildApp();
const platform = Template.fromStack(built.stage('dev').platform);
const [layerId, layer] = Object.entries(resourcesOf(platform, 'AWS::Lambda::LayerVersion'))[0]!;

const scratch = mkdtempSync(join(tmpdir(), 'duckdb-layer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('DuckDB layer in the platform stack', () => {
  it('is one x86_64 layer for Node.js 22 and newer, whose versions are never deleted', () => {
    expect(Object.keys(resourcesOf(platform, 'AWS::Lambda::LayerVersion'))).toHaveLength(1);
    expect(layer.Properties).toMatchObject({
      LayerName: 'acme-dev-duckdb',
      CompatibleArchitectures: ['x86_64'],
      CompatibleRuntimes: ['nodejs22.x', 'nodejs24.x'],
      LicenseInfo: 'MIT',
    });
    expect(layer.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(layer.Properties['Description']).toMatch(/^DuckDB 1\.5\.\d.* for Node\.js \(.*@duckdb\/node-bindings-linux-x64@/);
  });

  it('publishes its version ARN in an SSM parameter, not as a CloudFormation export', () => {
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/acme/dev/lakehouse/duckdb-layer-version-arn',
      Type: 'String',
      Value: { Ref: layerId },
    });
    const outputs = Object.values(platform.toJSON()['Outputs'] as Record<string, { Value: unknown }>);
    expect(outputs.filter((output) => JSON.stringify(output.Value).includes(layerId))).toEqual([]);
  });

  it('uploads the cached layer directory, named by the package versions, hard-linked into the cloud assembly', () => {
    const asset = duckDbLayerAsset();
    expect(layer.Properties['Content']).toMatchObject({ S3Key: `${asset.hash}.zip` });
    const staged = join(built.stage('dev').assetOutdir, `asset.${asset.hash}`);
    const library = join('nodejs', 'node_modules', LINUX_BINDING, 'libduckdb.so');
    expect(statSync(join(staged, library)).ino).toBe(statSync(join(asset.directory, library)).ino);
    for (const name of ['@duckdb/node-api', '@duckdb/node-bindings', LINUX_BINDING, 'detect-libc']) {
      expect(existsSync(join(staged, 'nodejs', 'node_modules', name, 'package.json')), name).toBe(true);
    }
  });

  it('is the same asset in every environment', () => {
    const { stages } = buildApp(undefined, settings({ environments: [environment('dev'), environment('staging'), environment('prod')] }));
    const keys = stages.map((stage) => {
      const layers = Object.values(resourcesOf(Template.fromStack(stage.platform), 'AWS::Lambda::LayerVersion'));
      return (layers[0]!.Properties['Content'] as { S3Key: string }).S3Key;
    });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });
});

/** A fake installation: `node_modules` with the given packages, each `{ name: [version, dependencies] }`. */
function installation(packages: Record<string, [string, Record<string, string>?]>): string {
  const root = mkdtempSync(join(scratch, 'project-'));
  for (const [name, [version, dependencies = {}]] of Object.entries(packages)) {
    const directory = join(root, 'node_modules', name);
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, version, dependencies }));
    writeFileSync(join(directory, 'index.js'), `module.exports = ${JSON.stringify(name)};`);
  }
  return root;
}

const complete = {
  '@duckdb/node-api': ['9.9.9', { '@duckdb/node-bindings': '9.9.9' }],
  '@duckdb/node-bindings': ['9.9.9', { 'detect-libc': '^2.1.2' }],
  [LINUX_BINDING]: ['9.9.9'],
  'detect-libc': ['2.1.2'],
  'unrelated-package': ['1.0.0'],
} satisfies Record<string, [string, Record<string, string>?]>;

describe('DuckDB layer directory', () => {
  it('holds the API, the linux-x64 binding and their runtime dependencies under nodejs/node_modules, nothing else', () => {
    const root = installation(complete);
    const asset = duckDbLayerAsset({ resolveFrom: root, cacheRoot: join(scratch, 'cache') });
    expect(asset.packages.map((found) => `${found.name}@${found.version}`)).toEqual([
      '@duckdb/node-api@9.9.9',
      '@duckdb/node-bindings@9.9.9',
      `${LINUX_BINDING}@9.9.9`,
      'detect-libc@2.1.2',
    ]);
    expect(asset.duckDbVersion).toBe('9.9.9');
    expect(readFileSync(join(asset.directory, 'nodejs', 'node_modules', 'detect-libc', 'index.js'), 'utf8')).toContain('detect-libc');
    expect(existsSync(join(asset.directory, 'nodejs', 'node_modules', 'unrelated-package'))).toBe(false);
  });

  it('hashes the package versions, not 70 MB of contents: same versions, same hash; a new version, a new hash', () => {
    const cacheRoot = join(scratch, 'hash-cache');
    const first = duckDbLayerAsset({ resolveFrom: installation(complete), cacheRoot });
    const sameVersionsOtherBytes = installation(complete);
    writeFileSync(join(sameVersionsOtherBytes, 'node_modules', LINUX_BINDING, 'index.js'), 'changed');
    expect(duckDbLayerAsset({ resolveFrom: sameVersionsOtherBytes, cacheRoot }).hash).toBe(first.hash);
    const upgraded = installation({ ...complete, 'detect-libc': ['2.2.0'] });
    expect(duckDbLayerAsset({ resolveFrom: upgraded, cacheRoot }).hash).not.toBe(first.hash);
  });

  it('says how to install the linux-x64 binding when it is missing (as on macOS)', () => {
    const { [LINUX_BINDING]: _binding, ...withoutBinding } = complete;
    expect(() => layerPackages(installation(withoutBinding))).toThrow(
      `the DuckDB Lambda layer needs ${LINUX_BINDING}@9.9.9 (the version of @duckdb/node-bindings), but it is not installed; ` +
        'npm installs only the binding of the machine it runs on. Add it with: ' +
        `npm install --no-save --os=linux --cpu=x64 ${LINUX_BINDING}@9.9.9`,
    );
  });

  it('refuses a linux-x64 binding of another version than the bindings', () => {
    expect(() => layerPackages(installation({ ...complete, [LINUX_BINDING]: ['9.9.8'] }))).toThrow(
      /version 9\.9\.8 is installed; .*npm install --no-save --os=linux --cpu=x64 @duckdb\/node-bindings-linux-x64@9\.9\.9/,
    );
  });

  it('names a missing runtime dependency and a missing API package', () => {
    const { 'detect-libc': _detectLibc, ...withoutDependency } = complete;
    expect(() => layerPackages(installation(withoutDependency))).toThrow('detect-libc, a dependency of @duckdb/node-bindings, is not installed: run npm install');
    expect(() => layerPackages(installation({ 'detect-libc': ['2.1.2'] }))).toThrow(/@duckdb\/node-api is not installed/);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { fillOnce, linkTree } from '../../lib/constructs/asset-cache.ts';
import { bundleHandler, compiledContract, handlerCode, stagedValidator } from '../../lib/constructs/lambda-code.ts';
import { LinkedAssetCode } from '../../lib/constructs/linked-asset-code.ts';
import { buildApp, datasetTemplate, resourcesOf } from './build.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { typedOrders, dataset } from './fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'lambda-code-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the validator bundle', () => {
  const bundle = bundleHandler('lambdas/validate/index.ts');
  const source = readFileSync(join(bundle.directory, 'index.js'), 'utf8');

  it('is CommonJS that leaves DuckDB to the layer and carries the AWS SDK and Powertools', () => {
    const required = new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]!));
    // The SDK loads the CRT signer only inside a try, for SigV4a, which S3 in one region never needs.
    expect([...required].filter((name) => !name.startsWith('node:')).sort()).toEqual(['@aws-sdk/signature-v4-crt', '@duckdb/node-api']);
    expect(source).toContain('ContractLakehouse');
    expect(source).toMatch(/module\.exports/);
    expect(source).not.toContain('import.meta');
  });

  it('is built once per process', () => {
    expect(bundleHandler('lambdas/validate/index.ts')).toBe(bundle);
  });

  it("stages each dataset's code as the shared bundle, hard-linked, next to its compiled contract", () => {
    const staged = stagedValidator(typedOrders);
    expect(readdirSync(staged.directory).sort()).toEqual(['dataset.json', 'index.js']);
    expect(statSync(join(staged.directory, 'index.js')).ino).toBe(statSync(join(bundle.directory, 'index.js')).ino);
    expect(JSON.parse(readFileSync(join(staged.directory, 'dataset.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(typedOrders)));
    expect(readFileSync(join(staged.directory, 'dataset.json'), 'utf8')).toBe(compiledContract(typedOrders));
  });

  it('names the staged code by bundle and contract: a changed contract is a new asset, the same one is not', () => {
    const staged = stagedValidator(typedOrders);
    expect(stagedValidator({ ...typedOrders }).hash).toBe(staged.hash);
    expect(stagedValidator({ ...typedOrders, contract: { ...typedOrders.contract, version: '1.1.0' } }).hash).not.toBe(staged.hash);
    expect(stagedValidator(dataset('sales', 'customers')).hash).not.toBe(staged.hash);
  });

  it('names the same contract the same in any checkout: source files inside the project are relative to it', () => {
    const under = (root: string): Dataset =>
      JSON.parse(JSON.stringify(typedOrders), (key: string, value: unknown) => (key === 'file' ? join(root, value as string) : value)) as Dataset;
    const compiled = JSON.parse(compiledContract(under(repoRoot))) as Dataset;
    expect(compiled.contract.file).toBe(typedOrders.contract.file);
    expect(compiled.columns[0]!.position.file).toBe(typedOrders.columns[0]!.position.file);
    expect(stagedValidator(under(repoRoot)).hash).toBe(stagedValidator(typedOrders).hash);
    expect(JSON.parse(compiledContract(under('/elsewhere'))).contract.file).toBe(join('/elsewhere', typedOrders.contract.file));
  });

  it("is what the function deploys, hard-linked into the cloud assembly", () => {
    const stage = buildApp().stage('dev');
    const template = datasetTemplate(stage, 'sales', 'orders');
    const fn = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
      (resource) => resource.Properties['FunctionName'] === 'acme-dev-sales-orders-validate',
    )!;
    const { hash, directory } = stagedValidator(typedOrders);
    expect(fn.Properties['Code']).toMatchObject({ S3Key: `${hash}.zip` });
    const staged = join(stage.assetOutdir, `asset.${hash}`);
    expect(statSync(join(staged, 'dataset.json')).ino).toBe(statSync(join(directory, 'dataset.json')).ino);
  });
});

describe('bundling failures', () => {
  it('refuses a handler whose CommonJS bundle would break at runtime (esbuild warns)', () => {
    const entry = join(scratch, 'uses-import-meta.ts');
    writeFileSync(entry, 'export const handler = async () => import.meta.url;\n');
    expect(() => bundleHandler(entry)).toThrow(/bundling .*uses-import-meta\.ts warned:\n {2}"import\.meta" is not available/);
  });

  it('reports an entry point that does not resolve', () => {
    expect(() => handlerCode('lambdas/does-not-exist/index.ts')).toThrow(/Could not resolve/);
  });
});

describe('LinkedAssetCode', () => {
  it('refuses a directory that does not exist', () => {
    expect(() => new LinkedAssetCode(join(scratch, 'missing'), 'abc')).toThrow(/missing does not exist/);
  });

  it('needs an App or Stage to stage into', () => {
    const code = new LinkedAssetCode(scratch, 'abc');
    expect(() => code.bind(new Construct(undefined as never, 'Alone'))).toThrow(/must be defined inside an App or Stage/);
  });

  it('stages by hard link and registers the asset under the given hash', () => {
    const source = join(scratch, 'code');
    mkdirSync(join(source, 'lib'), { recursive: true });
    writeFileSync(join(source, 'lib', 'index.js'), 'exports.handler = 1;');
    const app = new App({ outdir: join(scratch, 'assembly') });
    const stack = new Stack(app, 'Stack');
    const config = new LinkedAssetCode(source, 'feedbeef').bind(stack);
    expect(config.s3Location?.objectKey).toBe('feedbeef.zip');
    expect(statSync(join(app.assetOutdir, 'asset.feedbeef', 'lib', 'index.js')).ino).toBe(statSync(join(source, 'lib', 'index.js')).ino);
  });
});

describe('the asset cache', () => {
  it('fills a directory once and reuses it', () => {
    const target = join(scratch, 'once');
    let fills = 0;
    const fill = (staging: string) => {
      fills += 1;
      writeFileSync(join(staging, 'file'), 'content');
    };
    expect(fillOnce(target, fill)).toBe(target);
    expect(fillOnce(target, fill)).toBe(target);
    expect(fills).toBe(1);
    expect(readFileSync(join(target, 'file'), 'utf8')).toBe('content');
  });

  it('leaves neither the directory nor a staging directory behind when filling fails', () => {
    const target = join(scratch, 'failing');
    expect(() =>
      fillOnce(target, (staging) => {
        writeFileSync(join(staging, 'half'), 'written');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(scratch).filter((name) => name.startsWith('failing'))).toEqual([]);
  });

  it('keeps the first complete copy when another process filled it meanwhile', () => {
    const target = join(scratch, 'raced');
    const result = fillOnce(target, (staging) => {
      writeFileSync(join(staging, 'mine'), 'late');
      mkdirSync(target);
      writeFileSync(join(target, 'theirs'), 'first');
    });
    expect(result).toBe(target);
    expect(readdirSync(target)).toEqual(['theirs']);
    expect(readdirSync(scratch).filter((name) => name.startsWith('raced.'))).toEqual([]);
  });

  it('links a tree file by file, keeping its folders', () => {
    const source = join(scratch, 'tree');
    mkdirSync(join(source, 'a', 'b'), { recursive: true });
    writeFileSync(join(source, 'a', 'b', 'leaf.txt'), 'leaf');
    writeFileSync(join(source, 'top.txt'), 'top');
    linkTree(source, join(scratch, 'tree-linked'));
    expect(readFileSync(join(scratch, 'tree-linked', 'a', 'b', 'leaf.txt'), 'utf8')).toBe('leaf');
    expect(statSync(join(scratch, 'tree-linked', 'top.txt')).ino).toBe(statSync(join(source, 'top.txt')).ino);
  });
});

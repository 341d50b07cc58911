/**
 * Dependencies point one way (issue 10 item 4): contracts and sql at the bottom; validation, ingest,
 * pipeline and transforms above them; constructs and stacks (the cloud path) and lib/local (the
 * offline path) side by side above those, lib/local taking the cloud path's synthesized assembly
 * as data, never its constructs; lib/cli and bin on top, joining both. Every import of every
 * TypeScript file under lib/ and lambdas/ is checked, type-only and dynamic ones included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moduleImports } from './module-imports.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The CDK itself: lib/local reads what it synthesizes, never builds it. */
const CDK_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'cdk-monitoring-constructs'];
/** What lib/ml builds on; none of it may import lib/ml. */
const BELOW_ML = ['contracts', 'sql', 'config', 'validation', 'ingest', 'pipeline', 'transforms'];
const CORE = [...BELOW_ML, 'ml'];

interface Rule {
  readonly name: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
}

const RULES: readonly Rule[] = [
  { name: 'lib/local takes the synthesized assembly as data, never constructs or the CDK', from: ['local'], to: ['constructs', 'stacks', ...CDK_PACKAGES] },
  { name: 'the core never depends on the offline runtime or the cloud constructs', from: CORE, to: ['local', 'constructs', 'stacks'] },
  {
    name: 'contracts and sql are the bottom layer',
    from: ['contracts', 'sql'],
    to: ['validation', 'ingest', 'pipeline', 'transforms', 'ml', 'constructs', 'stacks', 'local', 'cli'],
  },
  { name: 'the layers lib/ml builds on never import it', from: BELOW_ML, to: ['ml'] },
];

/** `lib/<layer>/...` -> layer; `lambdas/...` -> 'lambdas'; a package -> its name; anything else -> null. */
function layerOfPath(path: string): string | null {
  const parts = relative(repoRoot, path).split(sep);
  if (parts[0] === 'lib' && parts.length > 2) return parts[1]!;
  if (parts[0] === 'lambdas') return 'lambdas';
  return null;
}

function layerOfImport(file: string, specifier: string): string | null {
  if (specifier.startsWith('.')) return layerOfPath(resolve(dirname(file), specifier));
  if (specifier.startsWith('node:')) return null;
  const [scopeOrName, name] = specifier.split('/');
  return scopeOrName!.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName!;
}

interface Violation {
  readonly where: string;
  readonly specifier: string | null;
  readonly rule: string;
}

/** Every import of `source` (the text of `file`, a path in the repository) that crosses a rule. */
function violations(file: string, source: string): Violation[] {
  const from = layerOfPath(file);
  const rules = RULES.filter((rule) => from !== null && rule.from.includes(from));
  if (rules.length === 0) return [];
  return moduleImports(file, source).flatMap(({ specifier, line, column }): Violation[] => {
    const where = `${relative(repoRoot, file)}:${line}:${column}`;
    if (specifier === null) return [{ where, specifier, rule: 'a computed import() cannot be checked: name the module' }];
    const to = layerOfImport(file, specifier);
    return rules.filter((rule) => to !== null && rule.to.includes(to)).map((rule) => ({ where, specifier, rule: rule.name }));
  });
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.split(sep).includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('import direction', () => {
  const files = [...typeScriptFiles(join(repoRoot, 'lib')), ...typeScriptFiles(join(repoRoot, 'lambdas'))];

  it('holds for every import of every file under lib/ and lambdas/', () => {
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) => violations(file, readFileSync(file, 'utf8')));
    expect(found.map((violation) => `${violation.where}: imports ${violation.specifier}: ${violation.rule}`)).toEqual([]);
  });

  it('sees every form of import, on its line and column', () => {
    const file = join(repoRoot, 'lib', 'local', 'runtime', 'example.ts');
    const source = [
      "import { App } from 'aws-cdk-lib';",
      "import type { Stage } from 'aws-cdk-lib';",
      '// a comment naming "../../constructs/x.ts" is no import',
      "import {\n  type LakehouseApp,\n} from '../../stacks/create-lakehouse-app.ts';",
      "export { ZoneBucket } from '../../constructs/zone-bucket.ts';",
      "export * from '../../stacks/lakehouse-stage.ts';",
      "const later = await import('../../constructs/dataset-pipeline.ts');",
      "const template = await import(`../../stacks/platform-stack.ts`);",
      "type Props = import('aws-cdk-lib/aws-s3').BucketProps;",
      "import cx = require('aws-cdk-lib/cx-api');",
      "const dynamic = await import(`../../stacks/${name}.ts`);",
      "const text = 'import { App } from \"aws-cdk-lib\"';",
      "import { openLocalDuckDb } from '../local-duckdb.ts';",
      "import { silverTableName } from '../../config/names.ts';",
    ].join('\n');
    expect(violations(file, source).map(({ where, specifier }) => `${where} ${specifier}`)).toEqual([
      'lib/local/runtime/example.ts:1:1 aws-cdk-lib',
      'lib/local/runtime/example.ts:2:1 aws-cdk-lib',
      'lib/local/runtime/example.ts:4:1 ../../stacks/create-lakehouse-app.ts',
      'lib/local/runtime/example.ts:7:1 ../../constructs/zone-bucket.ts',
      'lib/local/runtime/example.ts:8:1 ../../stacks/lakehouse-stage.ts',
      'lib/local/runtime/example.ts:9:21 ../../constructs/dataset-pipeline.ts',
      'lib/local/runtime/example.ts:10:24 ../../stacks/platform-stack.ts',
      'lib/local/runtime/example.ts:11:14 aws-cdk-lib/aws-s3',
      'lib/local/runtime/example.ts:12:13 aws-cdk-lib/cx-api',
      'lib/local/runtime/example.ts:13:23 null',
    ]);
  });

  it('applies each rule to its layers only', () => {
    const importing = (from: string, specifier: string) =>
      violations(join(repoRoot, from), `import { x } from '${specifier}';`).map((violation) => violation.rule);
    expect(importing('lib/transforms/x.ts', '../local/lake/local-lake.ts')).toEqual([RULES[1]!.name]);
    expect(importing('lib/pipeline/x.ts', '../constructs/lock-states.ts')).toEqual([RULES[1]!.name]);
    expect(importing('lib/sql/x.ts', '../validation/compile.ts')).toEqual([RULES[2]!.name]);
    expect(importing('lib/contracts/x.ts', '../local/workspace.ts')).toEqual([RULES[1]!.name, RULES[2]!.name]);
    expect(importing('lib/validation/x.ts', '../sql/duckdb.ts')).toEqual([]);
    expect(importing('lib/local/x.ts', '../transforms/model.ts')).toEqual([]);
    expect(importing('lib/cli/x.ts', '../stacks/synthesize-assembly.ts')).toEqual([]);
    expect(importing('lib/stacks/x.ts', 'aws-cdk-lib')).toEqual([]);
    expect(importing('lib/transforms/x.ts', '../ml/model.ts')).toEqual([RULES[3]!.name]);
    expect(importing('lib/contracts/x.ts', '../ml/model.ts')).toEqual([RULES[2]!.name, RULES[3]!.name]);
    expect(importing('lib/ml/x.ts', '../local/workspace.ts')).toEqual([RULES[1]!.name]);
    expect(importing('lib/ml/x.ts', '../transforms/model.ts')).toEqual([]);
  });
});

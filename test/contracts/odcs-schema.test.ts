import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardValidator } from '../../lib/contracts/lint-standard.ts';
import { BENCH_CONTRACT } from '../../bench/bench-dataset.ts';

// Every shipped contract, and the benchmark's, must stay readable by other ODCS tools, so each is
// checked against the standard's own JSON Schema, as vendored in lib/contracts/standards (the
// schema `contracts lint` uses).

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const contractsDir = join(repoRoot, 'contracts');

/** Every `contracts/<domain>/*.yaml` except `domain.yaml`, relative to the repository root. */
function shippedContractFiles(): string[] {
  return readdirSync(contractsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((domain) =>
      readdirSync(join(contractsDir, domain.name))
        .filter((file) => file.endsWith('.yaml') && file !== 'domain.yaml')
        .map((file) => relative(repoRoot, join(contractsDir, domain.name, file))),
    )
    .sort();
}

function schemaErrors(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
  );
}

function readYaml(repoRelativePath: string): unknown {
  return parse(readFileSync(join(repoRoot, repoRelativePath), 'utf8'));
}

const contractFiles = shippedContractFiles();
const benchContract = relative(repoRoot, BENCH_CONTRACT);

describe('shipped contracts conform to ODCS v3.1', () => {
  let validate: ValidateFunction;

  beforeAll(() => {
    validate = standardValidator('v3.1.0')!;
  });

  it('finds the minimal and the comprehensive example among the contracts', () => {
    expect(contractFiles).toEqual(
      expect.arrayContaining(['contracts/marketing/campaigns.yaml', 'contracts/sales/orders.yaml']),
    );
  });

  it.each([...contractFiles, benchContract])('%s validates against the ODCS JSON Schema', (file) => {
    expect(schemaErrors(validate, readYaml(file))).toEqual([]);
  });

  describe('the schema check is strict enough to catch real mistakes', () => {
    it('rejects an unknown top-level key (our settings belong in customProperties)', () => {
      const contract = readYaml('contracts/marketing/campaigns.yaml') as Record<string, unknown>;
      contract['onViolation'] = 'quarantine-rows';
      expect(schemaErrors(validate, contract)).toContainEqual(
        expect.stringMatching(/^\/ must NOT have additional properties .*onViolation/),
      );
    });

    it('rejects a quality rule with a misspelt operator', () => {
      const contract = readYaml('contracts/sales/orders.yaml') as {
        schema: { quality: Record<string, unknown>[] }[];
      };
      const rules = contract.schema[0]!.quality;
      const index = rules.findIndex((rule) => rule['metric'] === 'rowCount');
      const rowCountRule = rules[index]!;
      rowCountRule['mustBeGreaterThen'] = rowCountRule['mustBeGreaterThan'];
      delete rowCountRule['mustBeGreaterThan'];
      expect(schemaErrors(validate, contract)).toContainEqual(
        expect.stringMatching(new RegExp(`^/schema/0/quality/${index} must NOT have unevaluated properties`)),
      );
    });

    it('rejects a contract without the required status', () => {
      const contract = readYaml('contracts/marketing/campaigns.yaml') as Record<string, unknown>;
      delete contract['status'];
      expect(schemaErrors(validate, contract).join('\n')).toContain('status');
    });
  });
});

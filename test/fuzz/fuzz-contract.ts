import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadContractFile } from '../../lib/contracts/load.ts';
import type { CsvOptions, Dataset, FileFormat, OnViolation } from '../../lib/contracts/model.ts';

/** The parts of a small contract a fuzz property varies; the rest is a minimal valid ODCS contract. */
export interface FuzzContract {
  readonly format: FileFormat;
  /** Written as the s3 server's `csv` custom property; CSV only. */
  readonly csv?: CsvOptions;
  readonly onViolation: OnViolation;
  /** ODCS properties of the one schema object. */
  readonly properties: readonly Record<string, unknown>[];
  /** Schema-object level `quality[]`. */
  readonly quality?: readonly Record<string, unknown>[];
}

const domainYaml = stringify({
  domain: 'fuzz',
  owner: { team: 'fuzz-team', email: 'fuzz@example.com' },
  alerts: { emails: ['fuzz-oncall@example.com'] },
});

function server(spec: FuzzContract): Record<string, unknown> {
  const landing = { server: 'landing', type: 's3', location: 's3://landing/fuzz/items/', format: spec.format };
  if (spec.format === 'json') return { ...landing, delimiter: 'new_line' };
  if (spec.format === 'csv' && spec.csv !== undefined) return { ...landing, customProperties: [{ property: 'csv', value: spec.csv }] };
  return landing;
}

/** The contract as the ODCS document a user would write. */
export function contractDocument(spec: FuzzContract): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'urn:fuzz:items',
    name: 'Fuzz items',
    version: '1.0.0',
    status: 'active',
    servers: [server(spec)],
    customProperties: [{ property: 'onViolation', value: spec.onViolation }],
    schema: [
      {
        name: 'items',
        logicalType: 'object',
        properties: spec.properties,
        ...(spec.quality && spec.quality.length > 0 && { quality: spec.quality }),
      },
    ],
  };
}

/**
 * The dataset the way production loads it: the contract written as YAML beside a domain.yaml and
 * read by `loadContractFile`, so a generated contract the loader refuses fails the property loudly.
 */
export function loadFuzzDataset(spec: FuzzContract): Dataset {
  const root = mkdtempSync(join(tmpdir(), 'fuzz-contract-'));
  try {
    const folder = join(root, 'fuzz');
    mkdirSync(folder);
    writeFileSync(join(folder, 'domain.yaml'), domainYaml);
    const file = join(folder, 'items.yaml');
    writeFileSync(file, stringify(contractDocument(spec)));
    const [dataset] = loadContractFile(file).datasets;
    if (dataset === undefined) throw new Error('the fuzz contract has no dataset');
    return dataset;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

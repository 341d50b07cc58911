import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadContractFile } from '../../../lib/contracts/load.ts';
import type { Dataset } from '../../../lib/contracts/model.ts';

/** The parts of one ODCS contract a rule test varies; everything else is a minimal valid contract. */
export interface ContractSpec {
  readonly properties: readonly Record<string, unknown>[];
  /** Schema-object level `quality[]`. */
  readonly quality?: readonly Record<string, unknown>[];
  /** Schema-object level `customProperties[]`. */
  readonly customProperties?: readonly Record<string, unknown>[];
  readonly slaProperties?: readonly Record<string, unknown>[];
  readonly version?: string;
  /** The landing server's format. @default 'csv' */
  readonly format?: 'csv' | 'json' | 'parquet';
}

const domainYaml = stringify({
  domain: 'shop',
  owner: { team: 'shop-data', email: 'shop-data@example.com' },
  alerts: { emails: ['shop-oncall@example.com'] },
});

/**
 * A `Dataset` loaded the way the app loads one: the contract written as YAML beside a domain.yaml
 * in a temporary `shop/` folder and read by `loadContractFile`, so tests see what production sees.
 */
export function loadDataset(spec: ContractSpec): Dataset {
  const root = mkdtempSync(join(tmpdir(), 'rules-'));
  try {
    const folder = join(root, 'shop');
    mkdirSync(folder);
    writeFileSync(join(folder, 'domain.yaml'), domainYaml);
    const contract = {
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'urn:test:shop:items',
      name: 'Items',
      version: spec.version ?? '1.0.0',
      status: 'active',
      servers: [
        {
          server: 'landing',
          type: 's3',
          location: 's3://landing/shop/items/',
          format: spec.format ?? 'csv',
          ...(spec.format === 'json' && { delimiter: 'new_line' }),
        },
      ],
      schema: [
        {
          name: 'items',
          logicalType: 'object',
          properties: spec.properties,
          ...(spec.quality && { quality: spec.quality }),
          ...(spec.customProperties && { customProperties: spec.customProperties }),
        },
      ],
      ...(spec.slaProperties && { slaProperties: spec.slaProperties }),
    };
    const file = join(folder, 'items.yaml');
    writeFileSync(file, stringify(contract));
    const [dataset] = loadContractFile(file).datasets;
    if (dataset === undefined) throw new Error('the test contract has no dataset');
    return dataset;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A string column, with any other ODCS property fields. */
export function column(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, logicalType: 'string', ...fields };
}

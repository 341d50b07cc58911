/**
 * The docs site tests' fixture: a contracts root of two domains (a dataset, models reading across
 * domains, an ML model) and three deliveries of its dataset, validated for real, whose reports are
 * put where the validator puts them in an audit bucket on the project's local S3 server.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bucketName, type EnvironmentIdentity } from '../../lib/config/names.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Catalog, Dataset } from '../../lib/contracts/model.ts';
import { reportKey } from '../../lib/ingest/layout.ts';
import { startS3Server, type S3Server } from '../../lib/local/s3-server.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURE_CONTRACTS = join(here, 'fixture', 'contracts');
const FIXTURE_DATA = join(here, 'fixture', 'data');

/** The repository's cdk.json dev environment, which the docs command reads from the working directory. */
export const DEV: EnvironmentIdentity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
export const AUDIT_BUCKET = bucketName(DEV, 'audit');

/** The deliveries, oldest first: a clean file, one with bad rows and missing channels, another clean one. */
export const DELIVERIES = ['orders-1.csv', 'orders-2.csv', 'orders-3.csv'] as const;

export function fixtureCatalog(): Catalog {
  return loadCatalog(FIXTURE_CONTRACTS);
}

export function fixtureOrders(catalog: Catalog): Dataset {
  return catalog.domains.find((domain) => domain.name === 'shop')!.datasets[0]!;
}

/** Each delivery validated by the validator's own code, in delivery order. */
export async function validateDeliveries(dataset: Dataset): Promise<ValidationReport[]> {
  const reports: ValidationReport[] = [];
  for (const [i, name] of DELIVERIES.entries()) {
    const ingestTime = new Date(Date.UTC(2026, 10, 20 + i, 6));
    const { report } = await validateFile({ dataset, file: join(FIXTURE_DATA, name), displayName: `s3://landing/${dataset.names.landingPrefix}${name}`, ingestTime });
    reports.push(report);
  }
  return reports;
}

/** Puts each report at the key the validator writes it to (`reports/<domain>/<dataset>/<yyyy>/<mm>/<dd>/<file>-<file_id>.json`), under `prefix`. */
export async function putReports(server: S3Server, dataset: Dataset, reports: readonly ValidationReport[], prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for (const [i, report] of reports.entries()) {
    const key = `${prefix}${reportKey({ dataset, fileName: DELIVERIES[i]!, fileId: `file${i}`, ingestDate: `2026-11-${20 + i}` })}`;
    await server.client.send(new PutObjectCommand({ Bucket: AUDIT_BUCKET, Key: key, Body: JSON.stringify(report), ContentType: 'application/json' }));
    keys.push(key);
  }
  return keys;
}

export async function auditServer(directory: string): Promise<S3Server> {
  return startS3Server({ directory, buckets: [AUDIT_BUCKET] });
}

const LANDING_NODE = 'landing:s3://acme-dev-landing-111111111111-eu-west-1/shop/orders/';
const SILVER_NODE = 'silver:acme_dev_shop.orders';

/** The fixture's lineage as node ids and `from -> to` edge ids, written out by hand: what the graph and the page must show. */
export const FIXTURE_LINEAGE = {
  nodes: [LANDING_NODE, SILVER_NODE, 'gold:shop/order_totals', 'gold:finance/revenue', 'gold:finance/customer_value', 'ml:finance/big_spender'].sort(),
  edges: [
    `${LANDING_NODE} -> ${SILVER_NODE}`,
    `${SILVER_NODE} -> gold:shop/order_totals`,
    'gold:shop/order_totals -> gold:finance/revenue',
    `${SILVER_NODE} -> gold:finance/customer_value`,
    'gold:finance/customer_value -> ml:finance/big_spender',
  ].sort(),
} as const;

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { checkCatalog, type LoadOptions } from '../../../lib/contracts/load.ts';
import { formatProblem } from '../../../lib/contracts/problems.ts';

/**
 * Strip the indentation common to all lines and the first line break, so a test can write a
 * YAML file indented inside its code and read `line 1` as the first line after the backtick.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings.raw }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Write `files` (path -> content) under a fresh temporary contracts root, removed after the test. */
export function writeTree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'contracts-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Every problem `checkCatalog` reports for `files`, as `file:line:column: message` relative to the root. */
export function problemsIn(files: Readonly<Record<string, string>>, options?: LoadOptions): string[] {
  const root = writeTree(files);
  const result = checkCatalog(root, options);
  return result.problems.map((problem) => formatProblem(problem).slice(root.length + 1));
}

/** A valid domain.yaml for the folder `sales`, sharing `orders`. */
export const SALES_DOMAIN = yaml`
  domain: sales
  owner:
    team: sales-data-engineering
    email: sales-data@example.com
  alerts:
    emails: [sales-oncall@example.com]
  shares: [orders]
`;

/** A valid domain.yaml for the folder `marketing`, sharing nothing. */
export const MARKETING_DOMAIN = yaml`
  domain: marketing
  owner:
    team: marketing-analytics
    email: marketing-data@example.com
  alerts:
    emails: [marketing-oncall@example.com]
`;

/** A valid contract for the folder `marketing`: one CSV dataset `campaigns` with a string `campaign_id`. */
export const MARKETING_CAMPAIGNS = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: marketing-campaigns
  version: 1.0.0
  status: active
  servers:
    - server: landing
      type: s3
      location: s3://landing/marketing/campaigns/
      format: csv
  schema:
    - name: campaigns
      properties:
        - name: campaign_id
          logicalType: string
`;

/**
 * The folder `sales` with one contract, `orders.yaml`, of one dataset `orders` in CSV: `properties`
 * (YAML list items indented six spaces, starting on line 15) and then `extra` (top-level YAML such
 * as `slaProperties`, the dataset's own `quality` indented four spaces, or a further schema element
 * indented two) are spliced in, so a test writes only what it is about.
 */
export function salesOrdersContract(properties: string, extra = ''): Record<string, string> {
  return {
    'sales/domain.yaml': SALES_DOMAIN,
    'sales/orders.yaml': [
      yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: csv
        schema:
          - name: orders
            properties:
      `,
      properties,
      extra,
    ].join('\n'),
  };
}

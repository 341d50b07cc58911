import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintContract, type LintProblem, type LintResult } from '../../lib/contracts/lint.ts';
import { API_VERSIONS } from '../../lib/contracts/contract-schema.ts';
import { standardValidator } from '../../lib/contracts/lint-standard.ts';
import { runLakehouseInProcess } from '../cli/run-cli-in-process.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { writeTree, yaml } from './helpers/contract-tree.ts';

// `contracts lint` on one contract anywhere (no domain.yaml): the standard's schema for its
// apiVersion, the lakehouse's schema and its semantic checks, every problem in one run.

const header = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: lint-orders
  version: 1.0.0
  status: active
`;

/** `line:column [source] severity message` of each problem: what a user reads, in order. */
function shown(result: LintResult): string[] {
  return result.problems.map((problem: LintProblem) => `${problem.line}:${problem.column} [${problem.source}] ${problem.severity} ${problem.message}`);
}

function lint(text: string): LintResult {
  return lintContract('contract.yaml', text);
}

/**
 * `header` (apiVersion `apiVersion`), then a schema of one dataset `orders`: its `properties` (list
 * items, from line 9) and `after` (YAML that follows them: the dataset's own quality indented four
 * spaces, another dataset indented two, top-level slaProperties), so a test writes what it is about.
 */
function ordersContract(properties: string, after = '', apiVersion = 'v3.1.0'): string {
  const schema = `schema:\n  - name: orders\n    properties:\n${properties.replace(/^(?=.)/gm, '      ')}`;
  return `${header.replace('v3.1.0', apiVersion)}${schema}${after}`;
}

describe('contracts lint', () => {
  it('reports structural and semantic problems together, each saying who refuses it', () => {
    const result = lint(
      ordersContract(
        yaml`
          - name: order_id
            logicalType: integer
            primaryKey: true
          - name: placed
            logicalType: date
            logicalTypeOptions:
              minimum: not-a-date
        `,
        yaml`
              quality:
                - metric: nullValues
                  column: order_id
                  mustBe: 0
          slaProperties:
            - property: freshness
              value: 3
              unit: lightyears
        `,
      ),
    );
    expect(shown(result)).toEqual([
      "15:20 [lakehouse] error schema[0].properties[1].logicalTypeOptions.minimum: minimum must be an ISO date string such as '2024-01-31' for date column 'placed' (got 'not-a-date')",
      '17:17 [lakehouse] error schema[0].quality[0].metric: nullValues counts values of one column: move this rule to that property\'s quality',
      "18:9 [odcs] error schema[0].quality[0]: unknown field 'column'",
      "23:11 [lakehouse] error slaProperties[0].unit: unknown unit 'lightyears' (use one of ms, s, m, min, h, d, day, days, w, month, months, y, yr, year, years)",
    ]);
    expect(result.apiVersion).toBe('v3.1.0');
  });

  it('keeps reporting at the lines written after setting aside a part the lakehouse refuses', () => {
    // properties[0] has no name (refused by both schemas); properties[1] is sound and its bad
    // bound must still be found, at its own line, although the list it is read from lost an item.
    const result = lint(
      ordersContract(yaml`
        - logicalType: integer
        - name: amount
          logicalType: integer
          logicalTypeOptions:
            minimum: 10
            maximum: 1
      `),
    );
    expect(shown(result)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^9:9 \[odcs\] error schema\[0\]\.properties\[0\]: missing required field 'name'/),
        '13:20 [lakehouse] error schema[0].properties[1].logicalTypeOptions.minimum: minimum 10 is greater than maximum 1: no value can pass',
      ]),
    );
  });

  it('says the lakehouse, not the standard, refuses what the standard allows', () => {
    const result = lint(
      ordersContract(
        yaml`
          - name: order_id
            logicalType: integer
        `,
        yaml`
          - name: Orders
            properties:
              - name: order_id
                logicalType: integer
        `.replace(/^(?=.)/gm, '  '),
      ),
    );
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((problem) => problem.source === 'lakehouse')).toBe(true);
    expect(shown(result)).toContainEqual(expect.stringMatching(/^11:11 \[lakehouse\] error schema\[1\]\.name: /));
  });

  it('names the versions it knows when apiVersion is not one of them, and still runs the lakehouse checks', () => {
    const result = lint(
      ordersContract(
        yaml`
          - name: placed
            logicalType: date
            logicalTypeOptions:
              minimum: never
        `,
        '',
        'v9.9.9',
      ),
    );
    expect(result.apiVersion).toBe('v9.9.9');
    expect(shown(result)).toEqual(
      expect.arrayContaining([
        `1:13 [odcs] error apiVersion: "v9.9.9" is not an ODCS version this lint knows (${API_VERSIONS.join(', ')}), so the standard's schema was not checked`,
        expect.stringMatching(/^12:\d+ \[lakehouse\] error .*minimum must be an ISO date/),
      ]),
    );
  });

  it("checks a v3.0 contract against v3.0's own schema", () => {
    // v3.0 has no timestamp logical type (v3.1 added it); v3.0.2's published schema omits its own
    // version from apiVersion, which the lint accepts (standards/README.md).
    const placedAt = (logicalType: string) => `- name: placed_at\n  logicalType: ${logicalType}\n`;
    const v301 = lint(ordersContract(placedAt('timestamp'), '', 'v3.0.1'));
    expect(v301.apiVersion).toBe('v3.0.1');
    expect(shown(v301)).toContainEqual(
      expect.stringMatching(/^10:22 \[odcs\] error schema\[0\]\.properties\[0\]\.logicalType: must be one of string, date, number, integer, object, array, boolean \(got 'timestamp'\)/),
    );
    const v302 = lint(ordersContract(placedAt('date'), '', 'v3.0.2'));
    expect(v302.problems.filter((problem) => problem.source === 'odcs')).toEqual([]);
  });

  it('reports YAML syntax errors at their line as the only problems', () => {
    const result = lint(`${header}schema: [unclosed\n`);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'contract.yaml', line: 7, source: 'yaml', severity: 'error' });
    expect(result.problems[0]!.message).toMatch(/^YAML syntax error/);
    expect(result.apiVersion).toBeNull();
  });

  it('finds nothing wrong in the shipped contracts and the benchmark contract', () => {
    for (const file of ['contracts/sales/orders.yaml', 'contracts/marketing/campaigns.yaml', 'bench/contracts/bench/orders.yaml']) {
      const result = lintContract(file, readFileSync(join(repoRoot, file), 'utf8'));
      expect(result.problems.filter((problem) => problem.severity === 'error'), file).toEqual([]);
    }
  });
});

describe('contracts lint messages (review of issue 13)', () => {
  it('says a logicalType the standard does not know is wrong, without also calling the column untyped', () => {
    const result = lint(
      ordersContract(yaml`
        - name: amount
          logicalType: decimal
        - name: note
          logicalType: strin
      `),
    );
    expect(shown(result)).toEqual([
      "10:22 [odcs] error schema[0].properties[0].logicalType: must be one of string, date, timestamp, time, number, integer, object, array, boolean (got 'decimal')",
      "12:22 [odcs] error schema[0].properties[1].logicalType: must be one of string, date, timestamp, time, number, integer, object, array, boolean (got 'strin'); did you mean 'string'?",
    ]);
  });

  it('reports a misspelt SLA property once, as the error with its did-you-mean, not also as not enforced', () => {
    const result = lint(
      ordersContract(
        yaml`
          - name: order_id
            logicalType: string
        `,
        yaml`
          slaProperties:
            - property: freshnes
              value: 1
              unit: d
        `,
      ),
    );
    expect(shown(result)).toEqual(["12:15 [lakehouse] error slaProperties[0].property: unknown SLA property 'freshnes'; did you mean 'freshness'?"]);
  });

  it("names the standard's patterns a relationship target fails, not the list form it did not take", () => {
    const result = lint(`${header}${yaml`
      schema:
        - name: Customers
          properties:
            - name: Customer ID
              logicalType: string
              primaryKey: true
        - name: Orders
          properties:
            - name: Customer Ref
              logicalType: string
              relationships:
                - to: Customers.Customer ID
                  type: foreignKey
    `}`);
    expect(shown(result)).toEqual([
      expect.stringMatching(
        /^17:17 \[odcs\] error schema\[1\]\.properties\[0\]\.relationships\[0\]\.to: must match \/\^\[A-Za-z_\].* or \/.* \(got 'Customers\.Customer ID'\)$/,
      ),
    ]);
  });

  it('says ODCS defines the object options the lakehouse does not support, rather than calling them unknown', () => {
    const result = lint(`${header}${yaml`
      servers:
        - server: landing
          type: s3
          location: s3://landing/orders/
          format: json
          delimiter: new_line
      schema:
        - name: orders
          properties:
            - name: tags
              logicalType: array
              logicalTypeOptions: {minItems: 1, maxItems: 3, uniqueItems: true}
              items:
                logicalType: string
            - name: attributes
              logicalType: object
              logicalTypeOptions: {minProperties: 1, maxProperties: 3}
              properties:
                - name: colour
                  logicalType: string
    `}`);
    const options = shown(result).filter((line) => line.includes('logicalTypeOptions.'));
    expect(options).toEqual(
      ['minProperties', 'maxProperties'].map((option) =>
        expect.stringMatching(new RegExp(`\\[lakehouse\\] error .*\\.logicalTypeOptions\\.${option}: defined by ODCS, not supported by the lakehouse$`)),
      ),
    );
    expect(shown(result).filter((line) => line.includes('unknown field'))).toEqual([]);
  });

  it.each(API_VERSIONS)("checks apiVersion %s against the standard's own schema, vendored for every version the lakehouse reads", (apiVersion) => {
    expect(standardValidator(apiVersion)).toBeDefined();
  });
});

describe('lakehouse contracts lint', () => {
  it('exits 0 with warnings only, printing each with its source', async () => {
    const properties = yaml`
      - name: order_id
        logicalType: integer
    `;
    const quality = yaml`
      quality:
        - type: custom
          engine: soda
          implementation: "checks for orders: [row_count > 0]"
    `.replace(/^(?=.)/gm, '    ');
    const root = writeTree({ 'anywhere/orders.yaml': ordersContract(properties, quality) });
    const file = join(root, 'anywhere/orders.yaml');
    const result = await runLakehouseInProcess(['contracts', 'lint', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${file}:12:9: warning: [lakehouse] schema[0].quality[0]: not enforced: a custom rule for soda is run by that engine, not by the lakehouse\n`);
    expect(result.stderr).toBe(`${file}: 0 problems, 1 warning (apiVersion v3.1.0)\n`);
  });

  it('exits 1 with --json carrying exactly the documented shape', async () => {
    const root = writeTree({ 'anywhere/orders.yaml': `${header}${yaml`
      schema:
        - name: orders
          colour: blue
          properties:
            - name: order_id
              logicalType: integer
    `}` });
    const file = join(root, 'anywhere/orders.yaml');
    const result = await runLakehouseInProcess(['contracts', 'lint', file, '--json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as LintResult;
    expect(Object.keys(report)).toEqual(['file', 'apiVersion', 'problems']);
    expect(report).toMatchObject({ file, apiVersion: 'v3.1.0' });
    expect(report.problems).toEqual([
      { file, line: 8, column: 5, message: "schema[0]: unknown field 'colour'", source: 'odcs', severity: 'error' },
    ]);
  });

  it('reports the cause of a failed branch of the standard, not its valid fields as unknown', () => {
    const timestampUnderV302 = lint(
      header.replace('v3.1.0', 'v3.0.2') +
        yaml`
          schema:
            - name: t
              properties:
                - name: at
                  logicalType: timestamp
                  logicalTypeOptions: {minimum: "2024-01-01"}
        `,
    );
    expect(shown(timestampUnderV302)).toEqual([expect.stringMatching(/^10:22 \[odcs\] error schema\[0\]\.properties\[0\]\.logicalType: must be one of /)]);
    const ruleWithoutOperator = lint(
      header +
        yaml`
          schema:
            - name: t
              properties:
                - name: address
                  logicalType: object
                  colour: red
                  properties:
                    - name: zip
                      logicalType: string
                      quality:
                        - metric: invalidValues
                          arguments: {validValues: ["1"]}
        `,
    );
    const unknown = shown(ruleWithoutOperator).filter((line) => line.includes('unknown field'));
    // A name the standard defines nowhere is still a typo, reported beside the cause.
    expect(unknown).toEqual([expect.stringContaining("unknown field 'colour'")]);
    expect(shown(ruleWithoutOperator).some((line) => line.includes('a rule needs exactly one operator'))).toBe(true);
  });

  it('exits 2 on a missing file or a missing argument', async () => {
    expect((await runLakehouseInProcess(['contracts', 'lint', 'no/such.yaml'])).status).toBe(2);
    expect((await runLakehouseInProcess(['contracts', 'lint'])).status).toBe(2);
  });
});

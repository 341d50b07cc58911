import { describe, expect, it } from 'vitest';
import { MARKETING_CAMPAIGNS, MARKETING_DOMAIN, problemsIn, SALES_DOMAIN, yaml } from './helpers/contract-tree.ts';

/**
 * Each test writes a small broken contract or domain file and asserts the exact
 * `file:line:column` and message of what is wrong: line 1 is the first line after the backtick.
 */

/** Expect exactly one problem, at `where`, whose message contains `message`. */
function expectOnly(problems: string[], where: string, message: string): void {
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain(`${where}: `);
  expect(problems[0]!.startsWith(`${where}: `)).toBe(true);
  expect(problems[0]).toContain(message);
}

describe('YAML and structure', () => {
  it('reports every YAML syntax error of a file with its position and skips further checks', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0.0
        version: 1.0.1
        status: active
        servers: [ {server: landing, type: s3
        schema: []
      `,
    });
    expect(problems).toEqual([
      'sales/orders.yaml:5:1: YAML syntax error: Map keys must be unique',
      'sales/orders.yaml:8:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
      'sales/orders.yaml:8:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('points a missing required field at the mapping that lacks it', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: csv
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:1:1', "missing required field 'version'");
  });

  it('names the allowed logical types when one is wrong', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
              - name: note
                logicalType: text
      `,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:17:22',
      "schema[0].properties[1].logicalType: must be one of string, integer, number, boolean, date, timestamp, time, object, array (got 'text')",
    );
  });

  it('rejects an unknown key at its key, suggesting the near-miss', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
                descripton: The order number.
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:16:9', "schema[0].properties[0]: unknown field 'descripton'; did you mean 'description'?");
  });

  it('accepts ODCS keys the project ignores, such as businessName, examples and authoritativeDefinitions', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0.0
        status: active
        tenant: acme
        tags: [finance]
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: csv
          - server: warehouse
            type: snowflake
            account: acme
        schema:
          - name: orders
            businessName: Orders
            dataGranularityDescription: one row per order
            properties:
              - name: order_id
                logicalType: string
                businessName: Order number
                examples: [ORD-1]
                criticalDataElement: true
                transformLogic: copied
                authoritativeDefinitions:
                  - url: https://example.com/orders
                    type: businessDefinition
                quality:
                  - type: custom
                    engine: soda
                    implementation: 'missing_count(order_id) = 0'
                  - type: text
                    description: Order numbers are never reused.
      `,
    });
    expect(problems).toEqual([]);
  });

  it('reports a field of the wrong type once, not once per keyword it also fails', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: csv
        schema:
          - name: orders
            properties: order_id
      `,
    });
    expect(problems).toEqual([
      'sales/orders.yaml:4:10: version: must be a semantic version such as 1.2.0 (got 1.0)',
      "sales/orders.yaml:13:17: schema[0].properties: must be a list (got 'order_id')",
    ]);
  });

  it('reports an empty contract file at its first line', () => {
    const problems = problemsIn({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/orders.yaml': '' });
    expectOnly(problems, 'sales/orders.yaml:1:1', 'document: must be a mapping (got nothing)');
  });
});

describe('custom properties and settings', () => {
  it('rejects a near-miss of a project custom property with did-you-mean', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
        customProperties:
          - property: otherTool
            value: kept
          - property: onViolaton
            value: quarantine-rows
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:14:15', "unknown custom property 'onViolaton'; did you mean 'onViolation'?");
  });

  it('rejects a project custom property at the wrong level or set twice', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
        customProperties:
          - property: csv
            value: {header: false}
          - property: unknownColumns
            value: ignore
          - property: unknownColumns
            value: fail
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expect(problems).toEqual([
      "sales/orders.yaml:12:15: customProperties[0].property: custom property 'csv' belongs in the s3 server entry's customProperties, not at contract level",
      "sales/orders.yaml:16:15: customProperties[2].property: custom property 'unknownColumns' is already set in this list (customProperties[1])",
    ]);
  });

  it('rejects loadMode merge on a dataset without a primary key', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
            customProperties:
              - property: loadMode
                value: merge
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:18:16', "dataset 'orders' has no primary key, so loadMode merge cannot match rows");
  });

  it('rejects a classBalance column the dataset does not have', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
        customProperties:
          - property: classBalance
            value:
              column: statuss
              minPercent: 5
        schema:
          - name: orders
            properties:
              - name: status
                logicalType: string
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:14:15', "dataset 'orders' has no column 'statuss'; did you mean 'status'?");
  });

  it('requires delimiter new_line for JSON and csv options only on CSV servers', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: json
            delimiter: array
            customProperties:
              - property: csv
                value: {delimiter: ";"}
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expect(problems).toEqual([
      'sales/orders.yaml:11:16: servers[0].delimiter: format json needs delimiter: new_line (JSON Lines, one document per line)',
      'sales/orders.yaml:14:16: servers[0].customProperties[0].value: csv options apply to format csv only (this server\'s format is json)',
    ]);
  });

  it('requires one s3 server under the domain landing prefix', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://my-bucket/orders/
            format: parquet
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:9:15', 'servers[0].location: must start with s3://landing/sales/');
  });
});

describe('columns, keys and partitions', () => {
  it('rejects a gap in primary key positions', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
          - name: order_lines
            properties:
              - name: order_id
                logicalType: string
                primaryKey: true
                primaryKeyPosition: 1
              - name: line_number
                logicalType: integer
                primaryKey: true
                primaryKeyPosition: 3
      `,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:21:29',
      'primaryKeyPosition 3 leaves a gap: the 2 primary key columns must have positions 1..2 (position 2 is missing)',
    );
  });

  it('rejects a partition spec whose first column is missing', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
              - name: order_date
                logicalType: date
                partitioned: true
                partitionKeyPosition: 2
      `,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:19:31',
      'partitionKeyPosition 2 leaves a gap: the only partition column must have position 1',
    );
  });

  it('rejects a repeated key position, a position without its flag and a double partition column', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
                primaryKey: true
                primaryKeyPosition: 1
              - name: shop_id
                logicalType: string
                primaryKey: true
                primaryKeyPosition: 1
              - name: amount
                logicalType: number
                partitioned: true
                primaryKeyPosition: 2
      `,
    });
    expect(problems).toEqual([
      "sales/orders.yaml:21:29: schema[0].properties[1].primaryKeyPosition: primaryKeyPosition 1 is already used by column 'order_id'",
      "sales/orders.yaml:24:22: schema[0].properties[2].partitioned: column 'amount' is a double and cannot be a partition column (partitions need exact values: use decimal, integer, string or date)",
      'sales/orders.yaml:25:29: schema[0].properties[2].primaryKeyPosition: primaryKeyPosition needs primaryKey: true',
    ]);
  });

  it('rejects a repeated column name, pointing at the second and naming the first line', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
              - name: order_id
                logicalType: integer
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:16:15', "column name 'order_id' is already used in dataset 'orders' at ");
    expect(problems[0]).toContain('sales/orders.yaml:14:15');
  });

  it('rejects a physicalType that contradicts the logicalType', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: quantity
                logicalType: integer
                physicalType: decimal(10,2)
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:16:23', "physicalType 'decimal(10,2)' does not fit logicalType integer");
  });

  it('rejects a lookahead pattern because RE2 (DuckDB) cannot run it', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
                logicalTypeOptions:
                  pattern: '^(?!TEST)[A-Z]+-\d+$'
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:20', 'uses lookahead or lookbehind, which RE2 (DuckDB) cannot run');
    expect(problems[0]).toContain('Java (Athena)');
  });

  it('rejects a pattern that is not a regular expression at all', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
                logicalTypeOptions:
                  pattern: '[A-Z'
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:20', "pattern '[A-Z' is not a valid regular expression");
  });

  it('rejects a minimum greater than the maximum', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: quantity
                logicalType: integer
                logicalTypeOptions:
                  minimum: 10
                  maximum: 5
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:20', 'minimum 10 is greater than maximum 5: no value can pass');
  });

  it('rejects exclusive bounds that leave no value between them, on dates too', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_date
                logicalType: date
                logicalTypeOptions:
                  exclusiveMinimum: '2024-06-01'
                  exclusiveMaximum: '2024-06-01'
      `,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:17:29',
      "exclusiveMinimum '2024-06-01' is not less than exclusiveMaximum '2024-06-01'",
    );
  });

  it('rejects bounds that are not values of the column type, and bounds on strings', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_date
                logicalType: date
                logicalTypeOptions:
                  minimum: 2015
              - name: amount
                logicalType: number
                logicalTypeOptions:
                  maximum: '2024-02-30'
              - name: status
                logicalType: string
                logicalTypeOptions:
                  minimum: 1
      `,
    });
    expect(problems).toEqual([
      "sales/orders.yaml:17:20: schema[0].properties[0].logicalTypeOptions.minimum: minimum must be an ISO date string such as '2024-01-31' for date column 'order_date' (got 2015)",
      "sales/orders.yaml:21:20: schema[0].properties[1].logicalTypeOptions.maximum: maximum must be a number for number column 'amount' (got '2024-02-30')",
      'sales/orders.yaml:25:20: schema[0].properties[2].logicalTypeOptions.minimum: minimum does not apply to string columns (use minLength, maxLength or pattern)',
    ]);
  });
});

describe('quality rules', () => {
  it('rejects mustBeBetween with low above high', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
            quality:
              - metric: rowCount
                mustBeBetween: [1000, 10]
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:18:24', 'mustBeBetween needs [low, high] with low < high (got [1000, 10])');
  });

  it('rejects a percent threshold above 100', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: email
                logicalType: string
                quality:
                  - metric: nullValues
                    mustBeLessThan: 150
                    unit: percent
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:18:29', 'a percent threshold must be within 0..100 (got 150)');
  });

  it('rejects a rule with two operators, at the second', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: email
                logicalType: string
                quality:
                  - metric: nullValues
                    mustBe: 0
                    mustBeLessThan: 5
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:19:13', 'a rule takes exactly one operator, but this one has mustBe and mustBeLessThan');
  });

  it('rejects a rule without an operator', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: email
                logicalType: string
            quality:
              - type: sql
                query: SELECT COUNT(*) FROM {object}
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:9', 'schema[0].quality[0]: a rule needs exactly one operator');
  });

  it('rejects rowCount at property level', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
                quality:
                  - metric: rowCount
                    mustBeGreaterThan: 0
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:21', "rowCount is a dataset-level metric: move this rule to schema[].quality of 'orders'");
  });

  it('rejects invalidValues without arguments', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: status
                logicalType: string
                quality:
                  - metric: invalidValues
                    mustBe: 0
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:13', 'invalidValues needs arguments.validValues (a list) or arguments.pattern');
  });

  it('rejects valid values of the wrong type and arguments of another metric', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: priority
                logicalType: integer
                quality:
                  - metric: invalidValues
                    arguments:
                      validValues: [1, 2, high]
                    mustBe: 0
                  - metric: nullValues
                    arguments:
                      missingValues: ['']
                    mustBe: 0
      `,
    });
    expect(problems).toEqual([
      "sales/orders.yaml:19:35: schema[0].properties[0].quality[0].arguments.validValues[2]: valid values of integer column 'priority' must be a whole number (got 'high')",
      'sales/orders.yaml:23:15: schema[0].properties[0].quality[1].arguments.missingValues: arguments.missingValues does not apply to metric nullValues',
    ]);
  });

  it('rejects a dataset-level duplicateValues rule naming a column that does not exist', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: customer_id
                logicalType: string
              - name: order_ts
                logicalType: timestamp
            quality:
              - metric: duplicateValues
                arguments:
                  properties: [customer_id, order_tz]
                mustBe: 0
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:21:37', "dataset 'orders' has no column 'order_tz'; did you mean 'order_ts'?");
  });
});

describe('references across files and domains', () => {
  it('rejects a relationship to a column that does not exist', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: customer_id
                logicalType: string
                relationships:
                  - to: customers.yaml#/schema/customers/properties/id
      `,
      'sales/customers.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-customers
        version: 1.0.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/customers/
            format: csv
        schema:
          - name: customers
            properties:
              - name: customer_id
                logicalType: string
      `,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:17:17',
      "relationship target 'customers.yaml#/schema/customers/properties/id': schema object 'customers' in",
    );
    expect(problems[0]).toContain("has no property with id 'id'");
  });

  it('rejects a reference into another domain that does not share the dataset', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: campaign_id
                logicalType: string
                relationships:
                  - to: ../marketing/campaigns.yaml#/schema/campaigns/properties/campaign_id
      `,
      'marketing/domain.yaml': MARKETING_DOMAIN,
      'marketing/campaigns.yaml': MARKETING_CAMPAIGNS,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:17:17',
      "domain 'marketing' does not share dataset 'campaigns' (add it to shares in its domain.yaml",
    );
  });

  it('still resolves a cross-domain reference when only the referring domain is loaded', () => {
    const problems = problemsIn(
      {
        'sales/domain.yaml': SALES_DOMAIN,
        'sales/orders.yaml': yaml`
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
                - name: campaign_id
                  logicalType: string
                  relationships:
                    - to: ../marketing/campaigns.yaml#/schema/campaigns/properties/campaign_id
        `,
        'marketing/domain.yaml': MARKETING_DOMAIN,
        'marketing/campaigns.yaml': 'apiVersion: [',
      },
      { domains: ['sales'] },
    );
    expectOnly(problems, 'sales/orders.yaml:17:17', 'marketing/campaigns.yaml has problems of its own');
  });

  it('rejects a dataset defined in two files, naming the first definition', () => {
    const contract = (file: string) => yaml`
      apiVersion: v3.1.0
      kind: DataContract
      id: sales-${file}
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
            - name: order_id
              logicalType: string
    `;
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/a-orders.yaml': contract('a'),
      'sales/b-orders.yaml': contract('b'),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sales\/b-orders\.yaml:12:11: schema\[0\]\.name: dataset 'orders' is already defined at .*sales\/a-orders\.yaml:12:11$/);
  });
  it('rejects two datasets whose derived table names collide', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/a.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders-v2
        version: 2.0.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: csv
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
      'sales/b.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders-archive
        version: 1.0.0
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders_v2/
            format: csv
        schema:
          - name: orders_v2
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sales\/b\.yaml:12:11: schema\[0\]\.name: table name 'orders_v2' is already derived for dataset 'orders' at .*sales\/a\.yaml:12:11$/);
  });

  it('rejects schema-level relationships whose from is another dataset or whose lists differ in length', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
          - name: order_lines
            properties:
              - name: order_id
                logicalType: string
            relationships:
              - from: orders.order_id
                to: order_lines.order_id
              - from: [order_lines.order_id]
                to: [orders.order_id, orders.order_id]
      `,
    });
    expect(problems).toEqual([
      "sales/orders.yaml:21:15: schema[1].relationships[0].from: from must name a column of dataset 'order_lines' itself",
      'sales/orders.yaml:23:9: schema[1].relationships[1]: from and to must both be one reference or lists of the same length',
    ]);
  });

  it('rejects a reference that climbs out of the contracts folder', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
                relationships:
                  - to: ../../secrets.yaml#/schema/x/properties/y
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:17:17', 'must be <dataset>.<column> in this contract');
  });
});

describe('domains', () => {
  it("rejects a contract whose domain is not its folder's", () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 1.0.0
        status: active
        domain: marketing
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: csv
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:6:9', "domain: 'marketing' must equal the folder name 'sales'");
  });

  it("rejects a domain.yaml whose domain is not its folder's, and unknown keys in it", () => {
    const problems = problemsIn({
      'sales/domain.yaml': yaml`
        domain: sale
        owner:
          team: sales-data-engineering
          email: sales-data@example.com
        alerts:
          emails: [sales-oncall@example.com]
        share: [orders]
      `,
    });
    expect(problems).toEqual([
      "sales/domain.yaml:1:9: domain: 'sale' must equal the folder name 'sales'",
      "sales/domain.yaml:7:1: unknown field 'share'; did you mean 'shares'?",
    ]);
  });

  it('rejects a domain.yaml without alert addresses and with a malformed consumer ARN', () => {
    const problems = problemsIn({
      'sales/domain.yaml': yaml`
        domain: sales
        owner:
          team: sales-data-engineering
          email: sales-data@example.com
        alerts:
          emails: []
        consumers:
          analysts:
            dev: sales-analysts
      `,
    });
    expect(problems).toEqual([
      'sales/domain.yaml:6:11: alerts.emails: must have at least 1 item',
      "sales/domain.yaml:9:10: consumers.analysts.dev: must be an IAM principal ARN (arn:aws:iam::<account>:...) (got 'sales-analysts')",
    ]);
  });

  it('reports a domain folder without domain.yaml at its first contract', () => {
    const problems = problemsIn({
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:1:1', 'sales/domain.yaml is missing: every domain folder needs one');
  });

  it('reports an unknown domain asked for in the options, with did-you-mean', () => {
    const problems = problemsIn({ 'sales/domain.yaml': SALES_DOMAIN }, { domains: ['slaes'] });
    expectOnly(problems, 'slaes:1:1', "there is no domain folder 'slaes'");
    expect(problems[0]).toContain("did you mean 'sales'?");
  });
});

describe('service levels', () => {
  it('rejects an unknown SLA unit', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
        slaProperties:
          - property: retention
            value: 2
            unit: fortnights
      `,
    });
    expectOnly(problems, 'sales/orders.yaml:19:11', "slaProperties[0].unit: unknown unit 'fortnights'");
  });

  it('rejects a freshness element that is not a timestamp or date column', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_id
                logicalType: string
        slaProperties:
          - property: freshness
            value: 2
            unit: d
            element: orders.order_id
      `,
    });
    expectOnly(
      problems,
      'sales/orders.yaml:20:14',
      "freshness is measured on a timestamp or date column, but 'order_id' is string",
    );
  });

  it('requires a freshness element when the contract has several datasets, and suggests SLA property names', () => {
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
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
              - name: order_ts
                logicalType: timestamp
          - name: order_lines
            properties:
              - name: line_ts
                logicalType: timestamp
        slaProperties:
          - property: freshness
            value: 2
            unit: d
          - property: retension
            value: 1
            unit: y
      `,
    });
    expect(problems).toEqual([
      'sales/orders.yaml:21:5: slaProperties[0]: freshness needs an element (<dataset>.<timestamp column>): this contract has several datasets (orders, order_lines)',
      "sales/orders.yaml:24:15: slaProperties[1].property: unknown SLA property 'retension'; did you mean 'retention'?",
    ]);
  });
});

describe('one run', () => {
  it('reports every problem in every file, sorted by file, line and column', () => {
    const root = {
      'marketing/domain.yaml': yaml`
        domain: marketing
        owner:
          team: marketing-analytics
        alerts:
          emails: [marketing-oncall@example.com]
      `,
      'marketing/campaigns.yaml': yaml`
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
              - name: budget
                logicalType: number
                logicalTypeOptions:
                  minimum: 100
                  maximum: 10
      `,
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/orders.yaml': yaml`
        apiVersion: v3.1.0
        kind: DataContract
        id: sales-orders
        version: 2
        status: active
        servers:
          - server: landing
            type: s3
            location: s3://landing/sales/orders/
            format: xml
        schema:
          - name: orders
            properties:
              - name: order_id
                logicalType: string
      `,
      'sales/customers.yaml': 'apiVersion: v3.1.0\nkind: [DataContract\n',
    };
    const problems = problemsIn(root);
    expect(problems.map((problem) => problem.split(': ')[0])).toEqual([
      'marketing/campaigns.yaml:17:20',
      'marketing/domain.yaml:3:3',
      'sales/customers.yaml:3:1',
      'sales/orders.yaml:4:10',
      'sales/orders.yaml:10:13',
    ]);
    expect(problems[1]).toContain("owner: missing required field 'email'");
    expect(problems[4]).toContain("servers[0].format: must be one of csv, json, parquet (got 'xml')");
  });
});

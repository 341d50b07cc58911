import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../lib/contracts/load.ts';
import { formatProblem } from '../../lib/contracts/problems.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { runLakehouseInProcess } from '../cli/run-cli-in-process.ts';
import { salesOrdersContract, writeTree, yaml } from './helpers/contract-tree.ts';

// Properties start on line 15 of orders.yaml (salesOrdersContract), `extra` right after them.
const UNRUN = salesOrdersContract(
  yaml`
      - name: order_id
        logicalType: string
        primaryKey: true
        quality:
          - type: text
            description: every order id is the one the shop printed on the receipt
      - name: amount
        logicalType: number
  `.replace(/^/gm, '      '),
  yaml`
        quality:
          - id: soda_check
            type: custom
            engine: soda
            implementation: "row_count > 0"
    slaProperties:
      - property: generalAvailability
        value: "2024-01-01"
  `.replace(/^ {4}(?=quality|  -|      )/gm, '    '),
);

function checked(files: Readonly<Record<string, string>>) {
  const root = writeTree(files);
  const result = checkCatalog(root);
  return { ...result, relative: (problem: Parameters<typeof formatProblem>[0]) => formatProblem(problem).slice(root.length + 1) };
}

describe('entries nothing enforces', () => {
  it('are warnings at file:line:column, and the catalog still loads', () => {
    const result = checked(UNRUN);
    expect(result.problems).toEqual([]);
    expect(result.warnings.map(result.relative)).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:19:13: warning: schema\[0\]\.properties\[0\]\.quality\[0\]: not enforced: a text rule/),
      expect.stringMatching(/^sales\/orders\.yaml:\d+:\d+: warning: schema\[0\]\.quality\[0\]: not enforced: a custom rule for soda is run by that engine/),
      expect.stringMatching(/^sales\/orders\.yaml:\d+:\d+: warning: slaProperties\[0\]: not enforced: SLA property 'generalAvailability' is not measured/),
    ]);
    const [orders] = result.catalog!.domains[0]!.datasets;
    expect(orders!.notEnforced.map(({ kind, id, column }) => ({ kind, id, column }))).toEqual([
      { kind: 'custom', id: 'soda_check', column: null },
      { kind: 'text', id: undefined, column: 'order_id' },
      { kind: 'sla', id: undefined, column: null },
    ]);
  });

  it('are printed by contracts check, which still exits 0; --json lists them apart from problems', async () => {
    const root = writeTree(UNRUN);
    const text = await runLakehouseInProcess(['contracts', 'check', root]);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n').filter((line) => / warning: .*: not enforced: /.test(line))).toHaveLength(3);
    expect(text.stderr).toMatch(/1 datasets, no problems, 3 warnings/);
    const json = await runLakehouseInProcess(['contracts', 'check', root, '--json']);
    expect(json.status).toBe(0);
    const document = JSON.parse(json.stdout) as { ok: boolean; problems: unknown[]; warnings: { line: number; message: string; severity: string }[] };
    expect(document.ok).toBe(true);
    expect(document.problems).toEqual([]);
    expect(document.warnings).toHaveLength(3);
    expect(document.warnings.every((warning) => warning.severity === 'warning' && warning.message.includes('not enforced: '))).toBe(true);
  });

  it('are listed per dataset by contracts list --json, where each is written', async () => {
    const root = writeTree(UNRUN);
    const result = await runLakehouseInProcess(['contracts', 'list', root, '--json']);
    expect(result.status).toBe(0);
    const [orders] = JSON.parse(result.stdout) as { notEnforced: { where: string; kind: string; reason: string }[] }[];
    expect(orders!.notEnforced.map(({ where, kind }) => `${where.slice(root.length + 1)} ${kind}`)).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:\d+:\d+ custom$/),
      'sales/orders.yaml:19:13 text',
      expect.stringMatching(/^sales\/orders\.yaml:\d+:\d+ sla$/),
    ]);
    expect(orders!.notEnforced[0]!.reason).toBe('a custom rule for soda is run by that engine, not by the lakehouse');
  });

  it('include a format the validator does not check, and a date pattern with a letter nothing parses is refused', () => {
    const result = checked(
      salesOrdersContract(
        yaml`
          - name: iban
            logicalType: string
            logicalTypeOptions:
              format: iban
          - name: ordered_on
            logicalType: date
            logicalTypeOptions:
              format: EEE dd.MM.yyyy
          - name: shipped_on
            logicalType: date
            logicalTypeOptions:
              format: yyyy-MM-dd
          - name: amount
            logicalType: number
            logicalTypeOptions:
              multipleOf: 0.01
          - name: code
            logicalType: string
            logicalTypeOptions:
              multipleOf: 2
        `.replace(/^/gm, '      '),
      ),
    );
    expect(result.problems.map(result.relative)).toEqual([
      expect.stringMatching(
        /^sales\/orders\.yaml:22:19: schema\[0\]\.properties\[1\]\.logicalTypeOptions\.format: format 'EEE dd\.MM\.yyyy' is not supported: the letters 'EEE' are not supported \(it reads yyyy, MM, dd, HH, mm, ss, SSS/,
      ),
      "sales/orders.yaml:34:23: schema[0].properties[4].logicalTypeOptions.multipleOf: multipleOf applies to number and integer columns only ('code' is string)",
    ]);
    expect(result.warnings.map(result.relative)).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:18:19: warning: .*: not enforced: format 'iban' is not one the validator checks \(it checks email, uri, uuid, ipv4, date-time, date and date patterns/),
    ]);
  });
});

/** The same contract delivered as Parquet, which holds nested columns (a CSV file cannot). */
function parquet(files: Record<string, string>): Record<string, string> {
  return { ...files, 'sales/orders.yaml': files['sales/orders.yaml']!.replace('format: csv', 'format: parquet') };
}

describe('options on nested fields (second review #1)', () => {
  it('a format or timezone nothing checks is a warning at the field; a defaultTimezone on a nested timestamp is refused', () => {
    const result = checked(
      parquet(
        salesOrdersContract(
          yaml`
            - name: order_id
              logicalType: string
            - name: ship_to
              logicalType: object
              properties:
                - name: host
                  logicalType: string
                  logicalTypeOptions:
                    format: hostname
                - name: at
                  logicalType: timestamp
                  logicalTypeOptions:
                    timezone: false
                    defaultTimezone: Europe/Berlinn
            - name: visits
              logicalType: array
              items:
                logicalType: timestamp
                logicalTypeOptions:
                  defaultTimezone: UTC
          `.replace(/^/gm, '      '),
        ),
      ),
    );
    expect(result.problems.map(result.relative)).toEqual([
      'sales/orders.yaml:28:32: schema[0].properties[1].properties[1].logicalTypeOptions.defaultTimezone: defaultTimezone on a nested field (ship_to.at) is not supported: only a top-level timestamp column\'s values are placed in a zone',
      'sales/orders.yaml:34:30: schema[0].properties[2].items.logicalTypeOptions.defaultTimezone: defaultTimezone on a nested field (visits[]) is not supported: only a top-level timestamp column\'s values are placed in a zone',
    ]);
    expect(result.warnings.map(result.relative)).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:23:23: warning: schema\[0\]\.properties\[1\]\.properties\[0\]\.logicalTypeOptions\.format: not enforced: format 'hostname' is not one/),
      expect.stringMatching(/^sales\/orders\.yaml:27:25: warning: schema\[0\]\.properties\[1\]\.properties\[1\]\.logicalTypeOptions\.timezone: not enforced: timezone: false is not checked: .* one without in UTC$/),
    ]);
  });
});

describe('one message for one mistake (second review #1)', () => {
  it('a format on an array column and a custom rule on a nested field are refused once, with no warning beside', () => {
    const result = checked(
      parquet(
        salesOrdersContract(
          yaml`
            - name: tags
              logicalType: array
              logicalTypeOptions:
                format: email
              items:
                logicalType: string
            - name: ship_to
              logicalType: object
              properties:
                - name: zip
                  logicalType: string
                  quality:
                    - type: custom
                      engine: great-expectations
                      implementation:
                        expectation_type: expect_column_values_to_not_be_null
                        kwargs: { column: nope }
          `.replace(/^/gm, '      '),
        ),
      ),
    );
    expect(result.problems.map(result.relative)).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:\d+:\d+: schema\[0\]\.properties\[0\]\.logicalTypeOptions\.format: format on an array column is not supported/),
      expect.stringMatching(/^sales\/orders\.yaml:\d+:\d+: schema\[0\]\.properties\[1\]\.properties\[0\]\.quality\[0\]\.type: a custom rule on a nested field is not supported/),
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe("a timestamp's time zone options", () => {
  const TIMEZONES = salesOrdersContract(
    yaml`
      - name: order_id
        logicalType: string
      - name: ordered_at
        logicalType: timestamp
        logicalTypeOptions:
          timezone: false
          defaultTimezone: Europe/Berlin
    `.replace(/^/gm, '      '),
  );

  it('apply defaultTimezone; timezone, which requires nothing, is a warning at check and a notEvaluated rule in every report', async () => {
    const result = checked(TIMEZONES);
    expect(result.problems).toEqual([]);
    expect(result.warnings.map(result.relative)).toEqual([
      'sales/orders.yaml:20:21: warning: schema[0].properties[1].logicalTypeOptions.timezone: not enforced: timezone: false is not checked: a timestamp with an offset is read at its offset, one without in Europe/Berlin',
    ]);
    const [orders] = result.catalog!.domains[0]!.datasets;
    const root = mkdtempSync(join(tmpdir(), 'timezone-'));
    try {
      const file = join(root, 'orders.csv');
      writeFileSync(file, 'order_id,ordered_at\na,2026-01-01 10:00:00\n');
      const { report } = await validateFile({ dataset: orders!, file, ingestTime: new Date('2026-01-02T00:00:00Z'), outDir: join(root, 'out'), fileId: 'f' });
      expect(report.passed).toBe(true);
      expect(report.rules.filter((rule) => rule.status === 'notEvaluated')).toMatchObject([
        { kind: 'timezone', column: 'ordered_at', passed: false, message: expect.stringContaining('timezone: false is not checked') },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

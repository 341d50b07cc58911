import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// The sample files are fixtures for the demo and the validator tests. This checks their shape
// against the contracts as written (YAML parsed directly, independent of the contract loader):
// a sample whose header drifted from its contract would make every validator test fail for the
// wrong reason.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const contractsDir = join(repoRoot, 'contracts');
/** The fixed delivery time of every sample file, as samples/README.md states. */
const DELIVERY_TIME = '2026-11-21T06:00:00Z';
const CLEAN_ROWS = { min: 20, max: 60 };

/** The parts of an ODCS contract this test reads. */
interface OdcsContract {
  readonly servers?: readonly {
    readonly type?: string;
    readonly format?: string;
    readonly delimiter?: string;
    readonly customProperties?: readonly { readonly property: string; readonly value: unknown }[];
  }[];
  readonly schema?: readonly {
    readonly name: string;
    readonly id?: string;
    readonly properties?: readonly {
      readonly name: string;
      readonly id?: string;
      readonly logicalType?: string;
      readonly relationships?: readonly { readonly to: unknown }[];
    }[];
  }[];
}

interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
}

interface SampleDataset {
  /** `<domain>/<dataset>`. */
  readonly ref: string;
  readonly domain: string;
  readonly name: string;
  /** The schema object's `id`, falling back to its `name`, as file references use it. */
  readonly objectId: string;
  /** The contract file name within its domain folder. */
  readonly contractFile: string;
  readonly columns: readonly { readonly name: string; readonly id: string; readonly logicalType?: string }[];
  readonly relationships: readonly { readonly column: string; readonly to: string }[];
  readonly format: 'csv' | 'jsonl';
  readonly dialect: CsvDialect;
}

type Row = Readonly<Record<string, unknown>>;

interface SampleFile {
  /** The CSV header, or each JSON line's keys: one entry per line for JSON Lines. */
  readonly keyLines: readonly (readonly string[])[];
  /** Field counts of the CSV data records that differ from the header's. */
  readonly raggedRecords: readonly { readonly row: number; readonly fields: number }[];
  readonly rows: readonly Row[];
}

/**
 * RFC 4180 records with the contract's dialect. A quote opens only at the start of a field; inside
 * quotes, `escape` followed by `quote` is a literal quote (with the default dialect that is `""`).
 * An empty unquoted field is null, like DuckDB reads it.
 */
function parseCsv(text: string, dialect: CsvDialect): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const endField = (): void => {
    record.push(field === '' && !quoted ? null : field);
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inQuotes) {
      if (char === dialect.escape && text[i + 1] === dialect.quote) {
        field += dialect.quote;
        i++;
      } else if (char === dialect.quote) {
        inQuotes = false;
      } else {
        field += char;
      }
    } else if (char === dialect.quote && field === '' && !quoted) {
      inQuotes = true;
      quoted = true;
    } else if (char === dialect.delimiter) {
      endField();
    } else if (char === '\n') {
      if (field.endsWith('\r')) field = field.slice(0, -1);
      endField();
      records.push(record);
      record = [];
    } else {
      field += char;
    }
  }
  if (inQuotes) throw new Error(`unterminated quoted field in record ${records.length + 1}`);
  if (field !== '' || quoted || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

function parseJsonLines(text: string): Row[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`line ${index + 1} is not a JSON object`);
      }
      return value as Row;
    });
}

function csvDialect(customProperties: readonly { property: string; value: unknown }[] = []): CsvDialect {
  const options = (customProperties.find((entry) => entry.property === 'csv')?.value ?? {}) as Partial<CsvDialect>;
  return { delimiter: options.delimiter ?? ',', quote: options.quote ?? '"', escape: options.escape ?? '"' };
}

function datasetsOfContract(domain: string, contractFile: string): SampleDataset[] {
  const path = join(contractsDir, domain, contractFile);
  const contract = parse(readFileSync(path, 'utf8')) as OdcsContract;
  const server = contract.servers?.find((entry) => entry.type === 's3');
  if (!server) throw new Error(`${relative(repoRoot, path)}: no servers entry of type s3`);
  if (server.format !== 'csv' && !(server.format === 'json' && server.delimiter === 'new_line')) {
    throw new Error(`${relative(repoRoot, path)}: samples exist only for csv and JSON Lines, not ${server.format}`);
  }
  return (contract.schema ?? []).map((object) => {
    const properties = object.properties ?? [];
    return {
      ref: `${domain}/${object.name}`,
      domain,
      name: object.name,
      objectId: object.id ?? object.name,
      contractFile,
      columns: properties.map((property) => ({
        name: property.name,
        id: property.id ?? property.name,
        logicalType: property.logicalType,
      })),
      relationships: properties.flatMap((property) =>
        (property.relationships ?? []).map((relationship) => {
          if (typeof relationship.to !== 'string') {
            throw new Error(
              `${relative(repoRoot, path)}: ${property.name}: only single-column relationships are sampled`,
            );
          }
          return { column: property.name, to: relationship.to };
        }),
      ),
      format: server.format === 'csv' ? 'csv' : 'jsonl',
      dialect: csvDialect(server.customProperties),
    };
  });
}

function shippedDatasets(): SampleDataset[] {
  return readdirSync(contractsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((domain) =>
      readdirSync(join(contractsDir, domain.name))
        .filter((file) => file.endsWith('.yaml') && file !== 'domain.yaml')
        .sort()
        .flatMap((file) => datasetsOfContract(domain.name, file)),
    );
}

function samplePath(dataset: SampleDataset, variant: 'clean' | 'broken'): string {
  const suffix = variant === 'clean' ? '' : '.broken';
  return join(contractsDir, dataset.domain, 'samples', `${dataset.name}${suffix}.${dataset.format}`);
}

function readSample(dataset: SampleDataset, variant: 'clean' | 'broken'): SampleFile {
  const text = readFileSync(samplePath(dataset, variant), 'utf8');
  if (dataset.format === 'jsonl') {
    const rows = parseJsonLines(text);
    return { keyLines: rows.map((row) => Object.keys(row)), raggedRecords: [], rows };
  }
  const [header = [], ...records] = parseCsv(text, dataset.dialect);
  const names = header.map((name) => name ?? '');
  return {
    keyLines: [names],
    raggedRecords: records.flatMap((fields, index) =>
      fields.length === names.length ? [] : [{ row: index + 1, fields: fields.length }],
    ),
    rows: records.map((fields) => Object.fromEntries(names.map((name, index) => [name, fields[index] ?? null]))),
  };
}

const SHORTHAND_REFERENCE = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/;
const FILE_REFERENCE = /^(?:\.\.\/([a-z][a-z0-9_]*)\/)?([^/#]+\.yaml)#\/?schema\/([^/]+)\/properties\/([^/]+)$/;

/** The dataset and column a `relationships[].to` names, in the ODCS forms the project accepts. */
function resolveReference(
  from: SampleDataset,
  to: string,
  datasets: readonly SampleDataset[],
): { readonly dataset: SampleDataset; readonly column: string } {
  const shorthand = SHORTHAND_REFERENCE.exec(to);
  const fileReference = FILE_REFERENCE.exec(to);
  const dataset = shorthand
    ? datasets.find((d) => d.domain === from.domain && d.contractFile === from.contractFile && d.name === shorthand[1])
    : fileReference
      ? datasets.find(
          (d) =>
            d.domain === (fileReference[1] ?? from.domain) &&
            d.contractFile === fileReference[2] &&
            d.objectId === fileReference[3],
        )
      : undefined;
  const column = shorthand
    ? dataset?.columns.find((c) => c.name === shorthand[2])
    : dataset?.columns.find((c) => c.id === fileReference?.[4]);
  if (!dataset || !column) throw new Error(`${from.ref}: relationship target '${to}' names no shipped column`);
  return { dataset, column: column.name };
}

const datasets = shippedDatasets();
const samples = datasets.flatMap((dataset) =>
  (['clean', 'broken'] as const).map((variant) => ({ ref: dataset.ref, variant, dataset })),
);
const relationships = datasets.flatMap((dataset) =>
  dataset.relationships.map((relationship) => ({ ref: dataset.ref, ...relationship, dataset })),
);

describe('reading sample files', () => {
  const standard: CsvDialect = { delimiter: ',', quote: '"', escape: '"' };

  it('keeps delimiters and doubled quotes inside quoted fields, and reads empty fields as null', () => {
    const text = 'a;b;c\r\n"x;y";"say ""hi""";\n1;"";3';
    expect(parseCsv(text, { ...standard, delimiter: ';' })).toEqual([
      ['a', 'b', 'c'],
      ['x;y', 'say "hi"', null],
      ['1', '', '3'],
    ]);
  });

  it('honours an escape character that differs from the quote', () => {
    expect(parseCsv('"a\\"b",c\n', { ...standard, escape: '\\' })).toEqual([['a"b', 'c']]);
  });

  it('refuses an unterminated quoted field', () => {
    expect(() => parseCsv('a,b\n"open,2\n', standard)).toThrow(/unterminated quoted field in record 2/);
  });

  it('refuses a JSON line that is not an object', () => {
    expect(() => parseJsonLines('{"a":1}\n[1,2]\n')).toThrow(/line 2 is not a JSON object/);
  });

  it('resolves the three relationship forms and reports a target that does not exist', () => {
    const orders = datasets.find((d) => d.ref === 'sales/orders')!;
    const webEvents = datasets.find((d) => d.ref === 'marketing/web_events')!;
    expect(resolveReference(orders, 'orders.order_id', datasets).dataset.ref).toBe('sales/orders');
    expect(resolveReference(orders, 'customers.yaml#/schema/customers/properties/email', datasets)).toMatchObject({
      dataset: { ref: 'sales/customers' },
      column: 'email',
    });
    expect(
      resolveReference(webEvents, '../sales/orders.yaml#/schema/orders/properties/order_id', datasets).dataset.ref,
    ).toBe('sales/orders');
    expect(() => resolveReference(orders, 'customers.yaml#/schema/customers/properties/phone', datasets)).toThrow(
      "sales/orders: relationship target 'customers.yaml#/schema/customers/properties/phone' names no shipped column",
    );
    expect(() => resolveReference(webEvents, 'customers.customer_id', datasets)).toThrow(/names no shipped column/);
  });
});

describe('shipped sample files', () => {
  it('covers both example domains', () => {
    expect(datasets.map((d) => d.ref)).toEqual(
      expect.arrayContaining([
        'marketing/campaigns',
        'marketing/web_events',
        'sales/customers',
        'sales/order_items',
        'sales/orders',
      ]),
    );
  });

  it.each(samples)('$ref has a $variant sample in the format its server declares', ({ dataset, variant }) => {
    expect(existsSync(samplePath(dataset, variant)), relative(repoRoot, samplePath(dataset, variant))).toBe(true);
  });

  it.each(samples)('$ref $variant sample: header or keys equal the property names in order', ({ dataset, variant }) => {
    const sample = readSample(dataset, variant);
    const columnNames = dataset.columns.map((c) => c.name);
    const mismatches = sample.keyLines.flatMap((keys, index) =>
      keys.join() === columnNames.join() ? [] : [{ line: index + 1, keys }],
    );
    expect(mismatches).toEqual([]);
    expect(sample.raggedRecords).toEqual([]);
    expect(sample.rows.length).toBeGreaterThan(0);
  });

  it.each(datasets)(`$ref clean sample has ${CLEAN_ROWS.min} to ${CLEAN_ROWS.max} rows`, (dataset) => {
    const { rows } = readSample(dataset, 'clean');
    expect(rows.length).toBeGreaterThanOrEqual(CLEAN_ROWS.min);
    expect(rows.length).toBeLessThanOrEqual(CLEAN_ROWS.max);
  });

  it.each(datasets)('$ref clean sample has its timestamps in the day before delivery', (dataset) => {
    const deliveredAt = Date.parse(DELIVERY_TIME);
    const dayBefore = deliveredAt - 24 * 60 * 60 * 1000;
    const { rows } = readSample(dataset, 'clean');
    const outside = dataset.columns
      .filter((column) => column.logicalType === 'timestamp')
      .flatMap((column) =>
        rows.flatMap((row, index) => {
          const value = row[column.name];
          if (value === null) return [];
          const time = Date.parse(String(value));
          return time >= dayBefore && time < deliveredAt ? [] : [{ row: index + 1, column: column.name, value }];
        }),
      );
    expect(outside).toEqual([]);
  });

  it.each(relationships)('$ref clean sample: every $column resolves through $to', ({ dataset, column, to }) => {
    const target = resolveReference(dataset, to, datasets);
    const known = new Set(readSample(target.dataset, 'clean').rows.map((row) => row[target.column]));
    const dangling = readSample(dataset, 'clean').rows.flatMap((row, index) =>
      row[column] === null || known.has(row[column]) ? [] : [{ row: index + 1, value: row[column] }],
    );
    expect(dangling).toEqual([]);
  });

  it.each([...new Set(datasets.map((d) => d.domain))])(
    'contracts/%s/samples/README.md names the delivery time and every broken file',
    (domain) => {
      const readme = readFileSync(join(contractsDir, domain, 'samples', 'README.md'), 'utf8');
      expect(readme).toContain(DELIVERY_TIME);
      const brokenFiles = datasets
        .filter((d) => d.domain === domain)
        .map((d) => relative(join(contractsDir, domain, 'samples'), samplePath(d, 'broken')));
      expect(brokenFiles.filter((file) => !readme.includes(`\`${file}\``))).toEqual([]);
    },
  );
});

import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvOptions, Dataset, OnViolation } from '../../lib/contracts/model.ts';
import { quoteString } from '../../lib/sql/ansi.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { validateFile, type FileValidation } from '../../lib/validation/validate-file.ts';
import { loadFuzzDataset } from './fuzz-contract.ts';
import { runs } from './runs.ts';
import { columnProperty, deliveredValue, generatedColumns, textRows, validText, type GeneratedColumn, type TextRow } from './generated-rows.ts';
import { csvOptions, csvText, jsonLinesText, PARQUET_TYPES, textLayouts, writeParquet } from './write-data-file.ts';

/**
 * Whatever bytes arrive, validation ends in a report, never an exception; `rowCount = rowsPassed +
 * rowsQuarantined`; every row ends up in the validated or quarantined output, or the file is
 * quarantined whole, byte for byte; and a well-formed file has every record it holds counted.
 */

const ingestTime = new Date('2026-11-21T06:00:00Z');
const root = mkdtempSync(join(tmpdir(), 'fuzz-files-'));
let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(root, { recursive: true, force: true });
});

const onViolations = fc.constantFrom<OnViolation>('quarantine-file', 'quarantine-rows');

/** The contract's properties, some columns also declared unique so quarantine-rows has rows to split. */
function properties(columns: readonly GeneratedColumn[], unique: readonly boolean[]): Record<string, unknown>[] {
  return columns.map((column, index) => ({ ...columnProperty(column), ...(unique[index] && { unique: true }) }));
}
const uniqueFlags = fc.array(fc.boolean(), { minLength: 4, maxLength: 4 });

async function parquetRowCount(file: string): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet(${quoteString(file)})`);
  return Number(reader.getRows()[0]![0]);
}

async function parquetBytes(physical: Parameters<typeof writeParquet>[2], rows: readonly TextRow[]): Promise<Buffer> {
  const file = join(root, 'generated.parquet');
  await writeParquet(connection, file, physical, rows);
  return readFile(file);
}

const readFailures = (report: ValidationReport) => report.rules.filter((rule) => rule.kind === 'readable' || rule.kind === 'schema');

/**
 * Validates `bytes` as a file named `name` in a fresh folder and checks what must hold for any
 * input. Returns the validation for the property's own checks.
 */
async function validateBytes(dataset: Dataset, name: string, bytes: Buffer | string): Promise<FileValidation> {
  const folder = await mkdtemp(join(root, 'run-'));
  try {
    const file = join(folder, name);
    await writeFile(file, bytes);
    const validation = await validateFile({ dataset, file, ingestTime, outDir: join(folder, 'out'), fileId: 'fuzz' });
    const { report, outputs } = validation;
    expect(report.rowCount).toBe(report.rowsPassed + report.rowsQuarantined);
    if (readFailures(report).length > 0) expect(report).toMatchObject({ passed: false, rowCount: 0 });
    if (outputs.quarantinedFile !== undefined) {
      expect(await readFile(outputs.quarantinedFile)).toEqual(await readFile(file));
      expect(report.rowsPassed).toBe(0);
    } else {
      expect(outputs.validated).toBeDefined();
      expect(await parquetRowCount(outputs.validated!)).toBe(report.rowsPassed);
      expect(outputs.quarantinedRows === undefined ? 0 : await parquetRowCount(outputs.quarantinedRows)).toBe(report.rowsQuarantined);
    }
    return validation;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A file with no record may be refused (an empty file, or JSON Lines without the keys the contract requires). */
function expectEveryRecordCounted(report: ValidationReport, records: number): void {
  if (records > 0) expect(readFailures(report)).toEqual([]);
  expect(report.rowCount).toBe(records);
}

interface GeneratedCsv {
  readonly dataset: Dataset;
  readonly names: readonly string[];
  readonly rows: readonly TextRow[];
  readonly options: CsvOptions;
  readonly layout: Parameters<typeof csvText>[3];
  readonly text: string;
}

const generatedCsv: fc.Arbitrary<GeneratedCsv> = fc
  .record({ columns: generatedColumns, unique: uniqueFlags, options: csvOptions, onViolation: onViolations })
  .chain(({ columns, unique, options, onViolation }) =>
    fc.record({
      columns: fc.constant(columns),
      spec: fc.constant({ format: 'csv' as const, csv: options, onViolation, properties: properties(columns, unique) }),
      options: fc.constant(options),
      rows: textRows(columns),
      layout: textLayouts,
      quoteAll: fc.boolean(),
    }),
  )
  .map(({ columns, spec, options, rows, layout: textLayout, quoteAll }) => {
    const names = columns.map((column) => column.name);
    const layout = { ...textLayout, quoteAll };
    return { dataset: loadFuzzDataset(spec), names, rows, options, layout, text: csvText(names, rows, options, layout) };
  });

/** A file whose first value holds a line break, the first of the file unless a header comes first. */
const csvWithLeadingBreak: fc.Arbitrary<GeneratedCsv> = fc
  .record({ generated: generatedCsv.filter((generated) => generated.rows.length > 0), lineBreak: fc.constantFrom('\n', '\r', '\r\n') })
  .map(({ generated, lineBreak }) => {
    const [first, ...others] = generated.rows;
    const rows = [[`${first![0] ?? ''}${lineBreak}`, ...first!.slice(1)], ...others];
    return { ...generated, rows, text: csvText(generated.names, rows, generated.options, generated.layout) };
  });

/**
 * The one well-formed CSV layout DuckDB 1.5 cannot read (see `csvReaderLineEnd`): CRLF line ends
 * with a LF or CR inside a quoted value before the first one. Such a file must be refused on line 1
 * with that reason; any other must have every record counted.
 */
function expectCsvRead(report: ValidationReport, generated: GeneratedCsv): void {
  const { options, layout, rows, text } = generated;
  const records = rows.length + (options.header ? 1 : 0);
  const hasLineEnd = records > 1 || (records === 1 && layout.finalNewline);
  const firstBreak = /\r\n|\r|\n/.exec(text)?.[0];
  if (layout.lineEnd === '\r\n' && hasLineEnd && firstBreak !== '\r\n') {
    expect(readFailures(report)).toMatchObject([{ kind: 'readable', message: expect.stringMatching(/^line 1 has a (LF|CR) line break inside a quoted value, before the first CRLF line end;/) }]);
  } else {
    expectEveryRecordCounted(report, generated.rows.length);
  }
}

interface GeneratedJsonLines {
  readonly dataset: Dataset;
  readonly rows: readonly TextRow[];
  readonly text: string;
}

const generatedJsonLines: fc.Arbitrary<GeneratedJsonLines> = fc
  .record({ columns: generatedColumns, unique: uniqueFlags, onViolation: onViolations })
  .chain(({ columns, unique, onViolation }) =>
    fc.record({
      columns: fc.constant(columns),
      spec: fc.constant({ format: 'json' as const, onViolation, properties: properties(columns, unique) }),
      rows: textRows(columns),
      layout: textLayouts,
      omitNulls: fc.boolean(),
    }),
  )
  .map(({ columns, spec, rows, layout, omitNulls }) => ({ dataset: loadFuzzDataset(spec), rows, text: jsonLinesText(columns, rows, { ...layout, omitNulls }) }));

/** The byte offset where each data record of a generated CSV file ends. */
function csvRecordEnds({ names, rows, options, layout }: GeneratedCsv): number[] {
  return rows.map((_, index) => Buffer.byteLength(csvText(names, rows.slice(0, index + 1), options, { ...layout, finalNewline: false })));
}

/** Typed rows and the Parquet type each column is written in, for `writeParquet`. */
const generatedParquet = fc
    .record({ columns: generatedColumns, unique: uniqueFlags, onViolation: onViolations })
    .chain(({ columns, unique, onViolation }) =>
      fc.record({
        spec: fc.constant({ format: 'parquet' as const, onViolation, properties: properties(columns, unique) }),
        physical: fc.tuple(...columns.map((column) => fc.constantFrom(...PARQUET_TYPES[column.type]).map((sqlType) => ({ name: column.name, sqlType, column })))),
      }),
    )
    .chain(({ spec, physical }) =>
      fc.record({
        spec: fc.constant(spec),
        physical: fc.constant(physical),
        rows: fc.array(
          fc.tuple(...physical.map(({ column, sqlType }) => (sqlType === 'VARCHAR' ? deliveredValue(column) : fc.option(validText(column.type))))),
          { maxLength: 25 },
        ),
      }),
    );

describe('well-formed files: every record is counted', () => {
  it('CSV with any options, quoting, line ends, BOM and values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(generatedCsv, csvWithLeadingBreak), async (generated) => {
        const { report } = await validateBytes(generated.dataset, 'items.csv', generated.text);
        expectCsvRead(report, generated);
      }),
      { numRuns: runs(10) },
    );
  });

  it('JSON Lines with any values, absent keys, line ends and BOM', async () => {
    await fc.assert(
      fc.asyncProperty(generatedJsonLines, async (generated) => {
        const { report } = await validateBytes(generated.dataset, 'items.jsonl', generated.text);
        expectEveryRecordCounted(report, generated.rows.length);
      }),
      { numRuns: runs(8) },
    );
  });

  it('gzipped CSV and JSON Lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(generatedCsv, generatedJsonLines), async (generated) => {
        const name = 'options' in generated ? 'items.csv.gz' : 'items.jsonl.gz';
        const { report } = await validateBytes(generated.dataset, name, gzipSync(generated.text));
        if ('options' in generated) expectCsvRead(report, generated);
        else expectEveryRecordCounted(report, generated.rows.length);
      }),
      { numRuns: runs(5) },
    );
  });

  it('Parquet written by DuckDB, each column in a type a producer might choose', async () => {
    await fc.assert(
      fc.asyncProperty(generatedParquet, async ({ spec, physical, rows }) => {
        const { report } = await validateBytes(loadFuzzDataset(spec), 'items.parquet', await parquetBytes(physical, rows));
        expectEveryRecordCounted(report, rows.length);
      }),
      { numRuns: runs(8) },
    );
  });
});

describe('damaged files: a report that loses nothing', () => {
  it('a truncated CSV file counts every complete record, or is refused', async () => {
    const truncated = generatedCsv.chain((generated) =>
      fc.record({ generated: fc.constant(generated), cut: fc.nat({ max: Math.max(0, Buffer.byteLength(generated.text) - 1) }) }),
    );
    await fc.assert(
      fc.asyncProperty(truncated, async ({ generated, cut }) => {
        const bytes = Buffer.from(generated.text).subarray(0, cut);
        const { report } = await validateBytes(generated.dataset, 'items.csv', bytes);
        if (readFailures(report).length > 0) return;
        // The record the cut goes through may be read as a shorter value: it counts too.
        const complete = csvRecordEnds(generated).filter((end) => end <= cut).length;
        expect(report.rowCount).toBeGreaterThanOrEqual(complete);
        expect(report.rowCount).toBeLessThanOrEqual(generated.rows.length);
      }),
      { numRuns: runs(10) },
    );
  });

  it('a truncated gzip or Parquet file is refused as unreadable', async () => {
    const gzipped = fc.oneof(
      generatedCsv.map((generated) => ({ dataset: generated.dataset, name: 'items.csv.gz', bytes: async () => gzipSync(generated.text) })),
      generatedJsonLines.map((generated) => ({ dataset: generated.dataset, name: 'items.jsonl.gz', bytes: async () => gzipSync(generated.text) })),
    );
    const parquet = generatedParquet.map(({ spec, physical, rows }) => ({
      dataset: loadFuzzDataset(spec),
      name: 'items.parquet',
      bytes: () => parquetBytes(physical, rows),
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(gzipped, parquet), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), async (whole, keep) => {
        const bytes = await whole.bytes();
        const { report } = await validateBytes(whole.dataset, whole.name, bytes.subarray(0, Math.floor(bytes.length * keep)));
        expect(readFailures(report).map((rule) => rule.kind)).toEqual(['readable']);
      }),
      { numRuns: runs(8) },
    );
  });

  it('random bytes under any name the validator reads', async () => {
    const names = fc.constantFrom('items.csv', 'items.csv.gz', 'items.jsonl', 'items.json.gz', 'items.parquet');
    const formatOf = (name: string) => (name.includes('.csv') ? 'csv' : name.includes('.json') ? 'json' : 'parquet') as 'csv' | 'json' | 'parquet';
    await fc.assert(
      fc.asyncProperty(generatedColumns, names, fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (columns, name, bytes, gzipped) => {
        const dataset = loadFuzzDataset({ format: formatOf(name), onViolation: 'quarantine-rows', properties: columns.map(columnProperty) });
        // Random bytes in a valid gzip stream reach the text readers; raw ones mostly stop at the gzip check.
        const content = gzipped && name.endsWith('.gz') ? gzipSync(bytes) : Buffer.from(bytes);
        await validateBytes(dataset, name, content);
      }),
      { numRuns: runs(8) },
    );
  });

  it('a well-formed text file with bytes changed, inserted or removed', async () => {
    const edit = fc.record({
      at: fc.nat(),
      insert: fc.constantFrom('', '\n', '\r\n', '\r', '"', "'", '\\', ',', '\u0000', '\u00ff', '\ufeff', '{', '}'),
      remove: fc.nat({ max: 3 }),
    });
    const mutated = fc
      .oneof(
        generatedCsv.map((generated) => ({ dataset: generated.dataset, name: 'items.csv', text: generated.text })),
        generatedJsonLines.map((generated) => ({ dataset: generated.dataset, name: 'items.jsonl', text: generated.text })),
      )
      .chain((file) => fc.record({ file: fc.constant(file), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }));
    await fc.assert(
      fc.asyncProperty(mutated, async ({ file, edits }) => {
        let bytes = Buffer.from(file.text);
        for (const { at, insert, remove } of edits) {
          const position = bytes.length === 0 ? 0 : at % bytes.length;
          bytes = Buffer.concat([bytes.subarray(0, position), Buffer.from(insert, insert === '\u00ff' ? 'latin1' : 'utf8'), bytes.subarray(position + remove)]);
        }
        await validateBytes(file.dataset, file.name, bytes);
      }),
      { numRuns: runs(10) },
    );
  });
});

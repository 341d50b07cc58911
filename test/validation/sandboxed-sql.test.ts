import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/contracts/model.ts';
import { openDuckDb } from '../../lib/validation/run-validation.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

/**
 * Defense in depth behind the contract's parser (DESIGN.md, "User-written SQL is sandboxed"): the
 * statements here are what a rule could run had it slipped past the parser.
 */
const root = mkdtempSync(join(tmpdir(), 'sandboxed-sql-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const input = join(root, 'items.csv');
const secret = join(root, 'secret.txt');
const outDir = join(root, 'out');
const outside = join(root, 'outside.json');
writeFileSync(input, 'id\na\nb\n');
writeFileSync(secret, 'not for rules\n');
mkdirSync(outDir);

const failure = (run: Promise<unknown>) =>
  run.then(
    () => 'ran',
    (error: Error) => error.message,
  );

describe('a connection from openDuckDb', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeEach(async () => {
    ({ instance, connection } = await openDuckDb(mkdtempSync(join(root, 'scratch-')), undefined, { files: [input], directories: [outDir] }));
    await connection.run(`CREATE TEMP VIEW src AS SELECT * FROM read_csv('${input}', header = true)`);
  });
  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('reads the file it validates and writes into its output directory', async () => {
    const reader = await connection.runAndReadAll('SELECT count(*) FROM src');
    expect(Number(reader.getRows()[0]![0])).toBe(2);
    await connection.run(`COPY (SELECT * FROM src) TO '${join(outDir, 'validated.parquet')}' (FORMAT parquet)`);
    expect(existsSync(join(outDir, 'validated.parquet'))).toBe(true);
  });

  it('cannot read any other file', async () => {
    for (const sql of ["SELECT * FROM read_text('/etc/passwd')", `SELECT * FROM read_text('${secret}')`, `SELECT * FROM read_csv('${secret}')`, `SELECT * FROM '${secret}'`, "SELECT * FROM glob('/etc/*')"]) {
      expect(await failure(connection.runAndReadAll(sql)), sql).toMatch(/Permission Error|does not exist/);
    }
  });

  it('cannot write a file outside its output directory, even as the second statement of a rule', async () => {
    expect(await failure(connection.run(`SELECT count(*) FROM src; COPY (SELECT 99 AS snapshot) TO '${outside}'`))).toMatch(/Permission Error/);
    expect(await failure(connection.run(`COPY (SELECT 1) TO '${join(outDir, '..', 'escaped.csv')}'`))).toMatch(/Permission Error/);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(root, 'escaped.csv'))).toBe(false);
  });

  it('cannot attach a database, install an extension or turn the restriction off', async () => {
    expect(await failure(connection.run(`ATTACH '${join(root, 'other.db')}'`))).toMatch(/Permission Error/);
    expect(await failure(connection.run('INSTALL httpfs'))).toMatch(/Permission Error/);
    for (const sql of ['SET enable_external_access = true', "SET allowed_directories = ['/']", 'RESET lock_configuration', "SET memory_limit = '8GB'"]) {
      expect(await failure(connection.run(sql)), sql).toMatch(/configuration has been locked/);
    }
  });
});

describe('validateFile with a sql rule that slipped past the contract parser', () => {
  /** The dataset as loaded, then its rule's query replaced: what a parser gap would let through. */
  function withRuleQuery(query: string): Dataset {
    const loaded = loadDataset({ properties: [column('id')], quality: [{ id: 'sneaky', type: 'sql', query: 'SELECT count(*) FROM {object}', mustBe: 2 }] });
    return { ...loaded, quality: loaded.quality.map((rule) => (rule.metric === 'sql' ? { ...rule, query } : rule)) };
  }

  it.each([
    ['a file read', "SELECT count(*) FROM read_text('/etc/passwd')", /^not run: DuckDB reads read_text\(\) as a table function/],
    ['a second statement hidden from Athena\'s grammar by an E-string', `SELECT E'\\''; COPY (SELECT 1) TO '${outside}'; --'`, /^not run: DuckDB does not read it as one SELECT/],
  ])('does not run %s, fails the rule and still validates the file', async (_, query, message) => {
    const out = mkdtempSync(join(root, 'validated-'));
    const { report, outputs } = await validateFile({ dataset: withRuleQuery(query), file: input, ingestTime: new Date('2026-11-21T06:00:00Z'), outDir: out, fileId: 'f1' });
    const rule = report.rules.find((candidate) => candidate.id === 'sneaky');
    expect(rule).toMatchObject({ passed: false, observed: null });
    expect(rule?.message).toMatch(message);
    expect(report).toMatchObject({ rowCount: 2, rowsPassed: 0, rowsQuarantined: 2 });
    expect(outputs.quarantinedFile).toBeDefined();
    expect(existsSync(outside)).toBe(false);
  });
});

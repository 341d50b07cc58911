import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContractFile, loadContractFile } from '../../lib/contracts/load.ts';
import type { ContractProblem } from '../../lib/contracts/problems.ts';
import { fileKindOf } from '../../lib/validation/read/file-kind.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';

/**
 * The shared corpus of issue 13 (layout in corpus/README.md): every case folder's contract is
 * loaded as `lakehouse validate --contract` loads it (standalone: no domain.yaml), and its data
 * file validated by the real validator, or the contract's refusal compared with the expected one.
 */

const CORPUS = join(import.meta.dirname, 'corpus');
const CONTRACT = 'contract.yaml';
const DATA_FILES = ['data.csv', 'data.jsonl', 'data.parquet'];
/** Turned into `data.parquet` by DuckDB when no Parquet file is committed. */
const PARQUET_SOURCE = 'data.parquet.jsonl';
/** Freshness is measured against it; a case may set its own `ingestTime`. */
const DEFAULT_INGEST_TIME = '2026-01-15T12:00:00Z';

interface ExpectedRule {
  readonly id: string;
  readonly kind: string;
  readonly passed: boolean;
  readonly failedCount: number;
}

interface Expected {
  readonly ingestTime?: string;
  /** The schema object to validate when the contract has several. */
  readonly dataset?: string;
  readonly report?: { readonly rules: readonly ExpectedRule[] } & Record<string, unknown>;
  /** `<file>:<line>:<column> <message fragment>`, one per expected error. */
  readonly refused?: readonly string[];
  /** The same form, one per expected warning. */
  readonly warnings?: readonly string[];
}

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const scratch = mkdtempSync(join(tmpdir(), 'corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the contract corpus', () => {
  it('has a case folder per construct, each with a contract and what to expect', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
    for (const name of cases) {
      expect(existsSync(join(CORPUS, name, CONTRACT)), `${name}/${CONTRACT}`).toBe(true);
      expect(existsSync(join(CORPUS, name, 'expected.json')), `${name}/expected.json`).toBe(true);
    }
  });

  it.each(cases)('%s', async (name) => {
    const folder = join(CORPUS, name);
    const expected = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as Expected;
    expect(expected.report === undefined, `${name}: expected.json has either report or refused`).toBe(expected.refused !== undefined);
    const data = await dataFile(folder, name);
    expect(data === undefined, `${name}: a data file unless the contract is refused`).toBe(expected.report === undefined);

    const checked = checkContractFile(join(folder, CONTRACT));
    expect(checked.problems.map(located)).toEqual(matchingEach(expected.refused ?? []));
    expect(checked.warnings.map(located)).toEqual(matchingEach(expected.warnings ?? []));
    if (expected.report === undefined) return;

    const { datasets } = loadContractFile(join(folder, CONTRACT), { fileFormat: fileKindOf(data!)?.format });
    const dataset = expected.dataset === undefined && datasets.length === 1 ? datasets[0] : datasets.find((entry) => entry.name === expected.dataset);
    expect(dataset, `${name}: dataset ${expected.dataset ?? '(the only one)'}`).toBeDefined();
    const { report } = await validateFile({
      dataset: dataset!,
      file: data!,
      displayName: basename(data!),
      ingestTime: new Date(expected.ingestTime ?? DEFAULT_INGEST_TIME),
    });
    for (const rule of expected.report.rules) {
      expect(Object.keys(rule), `${name}: every expected rule says id, kind, passed and failedCount`).toEqual(
        expect.arrayContaining(['id', 'kind', 'passed', 'failedCount']),
      );
    }
    // The ids first, so a missing or extra rule reads as such, not as a shifted comparison.
    expect(report.rules.map((rule) => rule.id)).toEqual(expected.report.rules.map((rule) => rule.id));
    expect(report).toMatchObject(expected.report);
  });
});

/** `contract.yaml:12:7 message`: a problem as expected.json lists it, relative to its case folder. */
function located(problem: ContractProblem): string {
  return `${basename(problem.file)}:${problem.line}:${problem.column} ${problem.message}`;
}

/** Each expected `<file>:<line>:<column> <fragment>` matches a problem at that place whose message holds the fragment. */
function matchingEach(lines: readonly string[]): unknown[] {
  return lines.map((line) => {
    const parsed = /^(\S+?):(\d+):(\d+) (.+)$/.exec(line);
    if (parsed === null) throw new Error(`expected.json: '${line}' is not '<file>:<line>:<column> <fragment>'`);
    const [, file, lineNumber, column, fragment] = parsed;
    return expect.stringMatching(new RegExp(`^${escaped(`${file}:${lineNumber}:${column} `)}.*${escaped(fragment!)}`, 's'));
  });
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The case's data file; a Parquet one is written from `data.parquet.jsonl` into a scratch folder. */
async function dataFile(folder: string, name: string): Promise<string | undefined> {
  const present = DATA_FILES.filter((file) => existsSync(join(folder, file)));
  const source = join(folder, PARQUET_SOURCE);
  expect(present.length + (existsSync(source) ? 1 : 0), `${name}: at most one data file`).toBeLessThanOrEqual(1);
  if (present.length === 1) return join(folder, present[0]!);
  if (!existsSync(source)) return undefined;
  mkdirSync(join(scratch, name));
  const target = join(scratch, name, 'data.parquet');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_json_auto('${source.replaceAll("'", "''")}')) TO '${target.replaceAll("'", "''")}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return target;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { loadFuzzDataset } from './fuzz-contract.ts';
import { oracleCases, oracleContractSpec } from './generated-rules.ts';
import { evaluateOracle } from './rule-oracle.ts';
import { runs } from './runs.ts';

const ingestTime = new Date('2026-11-21T06:00:00Z');
const root = mkdtempSync(join(tmpdir(), 'fuzz-oracle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Rows as a JSON Lines file: every value a JSON string or null, so the file carries exactly the text the rules see. */
function jsonLines(names: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return rows.map((row) => JSON.stringify(Object.fromEntries(names.map((name, index) => [name, row[index] ?? null])))).join('\n');
}

describe('for random rows and rules, DuckDB agrees with a plain evaluation of DESIGN.md semantics', () => {
  it('per rule failed rows and verdict, the file verdict, and rows passed and quarantined', async () => {
    await fc.assert(
      fc.asyncProperty(oracleCases, async ({ contract, rows }) => {
        const dataset = loadFuzzDataset(oracleContractSpec(contract));
        const folder = await mkdtemp(join(root, 'case-'));
        try {
          const file = join(folder, 'items.jsonl');
          await writeFile(file, jsonLines(contract.columns.map((column) => column.name), rows));
          const { report } = await validateFile({ dataset, file, ingestTime, outDir: join(folder, 'out'), fileId: 'oracle' });
          const expected = evaluateOracle(contract, rows);
          const actual = Object.fromEntries(report.rules.map((rule) => [rule.id, { failedCount: rule.failedCount, passed: rule.passed }]));
          expect(actual).toEqual(expected.rules);
          expect({ passed: report.passed, rowsPassed: report.rowsPassed, rowsQuarantined: report.rowsQuarantined }).toEqual({
            passed: expected.passed,
            rowsPassed: expected.rowsPassed,
            rowsQuarantined: expected.rowsQuarantined,
          });
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      }),
      { numRuns: runs(25) },
    );
  });
});

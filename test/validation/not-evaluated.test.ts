import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../lib/cli/render-report.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

const folder = mkdtempSync(join(tmpdir(), 'not-evaluated-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const dataset = loadDataset({
  properties: [
    column('id', { primaryKey: true, quality: [{ type: 'text', description: 'ids are the ones printed on the receipt' }] }),
    column('amount', { logicalType: 'number' }),
  ],
  quality: [
    { id: 'soda_rows', type: 'custom', engine: 'soda', implementation: 'row_count > 0' },
    { type: 'text', description: 'amounts add up to the daily total' },
  ],
  slaProperties: [{ property: 'generalAvailability', value: '2026-01-01' }],
});

async function validated(name: string, content: string) {
  const file = join(folder, name);
  writeFileSync(file, content);
  return (await validateFile({ dataset, file, ingestTime: new Date('2026-11-21T06:00:00Z') })).report;
}

const notEvaluated = [
  { id: 'soda_rows', kind: 'custom', column: null, message: 'not evaluated: a custom rule for soda is run by that engine, not by the lakehouse' },
  { id: 'text', kind: 'text', column: null, message: 'not evaluated: a text rule describes a check in words, and nothing runs it' },
  { id: 'id.text', kind: 'text', column: 'id', message: 'not evaluated: a text rule describes a check in words, and nothing runs it' },
  { id: 'sla', kind: 'sla', column: null, message: expect.stringMatching(/^not evaluated: SLA property 'generalAvailability' is not measured/) },
].map((rule) => ({ ...rule, severity: 'warning', status: 'notEvaluated', passed: false, failedCount: 0, failedPercent: 0, observed: null, threshold: null, samples: [] }));

describe('rules nothing evaluates, in a real validation', () => {
  it('are listed after the evaluated rules as notEvaluated, and the file still passes', async () => {
    const report = await validated('good.csv', 'id,amount\na,1.5\nb,2\n');
    expect(report.passed).toBe(true);
    expect(report.rowsPassed).toBe(2);
    expect(report.rules.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: 'id.required', status: 'passed' },
      { id: 'id.unique', status: 'passed' },
      { id: 'amount.type', status: 'passed' },
      ...notEvaluated.map(({ id }) => ({ id, status: 'notEvaluated' })),
    ]);
    expect(report.rules.slice(3)).toEqual(notEvaluated);
  });

  it('are listed in the report of a file that cannot be read too', async () => {
    const report = await validated('wrong-columns.csv', 'id,price\na,1\n');
    expect(report.passed).toBe(false);
    expect(report.rules.map(({ id, status }) => `${id}:${status}`)).toEqual(['schema:failed', ...notEvaluated.map(({ id }) => `${id}:notEvaluated`)]);
  });

  it('are shown as "not run" with their reason in the terminal report, never as a pass', async () => {
    const text = renderReport(await validated('good-again.csv', 'id,amount\na,1\n'));
    expect(text).toMatch(/^PASSED /);
    expect(text).toMatch(/^not run +soda_rows +custom +warning +- +- +-$/m);
    expect(text).toContain('Not evaluated (the contract has these rules; nothing checked them):\n  soda_rows: a custom rule for soda');
    expect(text.indexOf('not run')).toBeLessThan(text.indexOf('pass '));
  });
});

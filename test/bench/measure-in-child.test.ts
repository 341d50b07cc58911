import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validationMismatches } from '../../bench/checks.ts';
import { measureInChild } from '../../bench/measure-in-child.ts';
import { writeOrdersFile } from '../../bench/orders-data.ts';

const root = mkdtempSync(join(tmpdir(), 'bench-child-'));
const file = join(root, 'orders.csv');
const ROWS = 60_000;
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => writeOrdersFile(file, ROWS, 'csv'));

describe('measureInChild', () => {
  it('returns what the child measured: seconds, its own peak RSS and the metrics by rule', async () => {
    const result = await measureInChild({ kind: 'generated', format: 'csv', file });
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.peakRssMb).toBeGreaterThan(0);
    const metrics = new Map(result.ruleMetrics);
    expect(metrics.get('orders_not_empty')).toEqual([ROWS]);
    expect(metrics.get('order_id.unique')).toEqual([2, ROWS]);
  });

  it('returns the outcome of a whole validation', async () => {
    const { validation } = await measureInChild({ kind: 'validate', format: 'csv', file });
    expect(validation).toBeDefined();
    expect(validationMismatches(validation!, ROWS)).toEqual([]);
  });

  it('rejects when the child cannot measure', async () => {
    await expect(measureInChild({ kind: 'parse', format: 'csv', file: join(root, 'missing.csv') })).rejects.toThrow(
      `parse of ${join(root, 'missing.csv')} failed (exit code 1)`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { exitCodeOf, verdicts, type Verdict } from '../../bench/targets.ts';
import { sectionOf, uniform } from './section-fixtures.ts';

const find = (all: readonly Verdict[], start: string) => {
  const found = all.filter((verdict) => verdict.target.startsWith(start));
  if (found.length !== 1) throw new Error(`${found.length} verdicts start with '${start}'`);
  return found[0]!;
};

describe('verdicts', () => {
  it('passes a generated query up to 1.25x the hand-written one, and misses beyond', () => {
    const at = (generated: number) => sectionOf('csv', 1_000_000, { ...uniform(1), generated: [{ seconds: generated }] });
    const ratio = 'csv 1,000,000 rows: metrics generated / hand-written';
    expect(find(verdicts([at(1.25)]), ratio)).toMatchObject({ measured: '1.25', outcome: 'PASS' });
    expect(find(verdicts([at(1.3)]), ratio)).toMatchObject({ measured: '1.30', outcome: 'MISS' });
  });

  it('judges metrics throughput by the median run against the format’s own target', () => {
    const runs = (format: 'csv' | 'parquet', seconds: number[]) =>
      sectionOf(format, 5_000_000, { ...uniform(1), generated: seconds.map((value) => ({ seconds: value })) });
    const csv = 'csv 5,000,000 rows: metrics with exact duplicate keys >= 2.00M rows/s';
    const parquet = 'parquet 5,000,000 rows: metrics with exact duplicate keys >= 4.50M rows/s';
    expect(find(verdicts([runs('csv', [9, 2.5, 1])]), csv)).toMatchObject({ measured: '2.00M rows/s (2.50 s)', outcome: 'PASS' });
    expect(find(verdicts([runs('csv', [2.6, 2.6, 1])]), csv).outcome).toBe('MISS');
    expect(find(verdicts([runs('parquet', [1, 1, 1])]), parquet)).toMatchObject({ measured: '5.00M rows/s (1.00 s)', outcome: 'PASS' });
    expect(find(verdicts([runs('parquet', [1.2, 1.2, 1.2])]), parquet).outcome).toBe('MISS');
  });

  it('judges peak RSS at 5M rows by the hungriest measurement, strictly under 512 MB', () => {
    const section = (validatePeak: number) =>
      sectionOf('parquet', 5_000_000, { ...uniform(1, 300), validate: [{ seconds: 1, peakRssMb: 400 }, { seconds: 1, peakRssMb: validatePeak }] });
    const rss = 'parquet 5,000,000 rows: peak RSS';
    expect(find(verdicts([section(511)]), rss)).toMatchObject({ measured: '511 MB (validateFile + Parquet)', outcome: 'PASS' });
    expect(find(verdicts([section(512)]), rss).outcome).toBe('MISS');
  });

  it('judges 5M rows against 1M rows for the generated metrics and the whole validation', () => {
    const small = sectionOf('csv', 1_000_000, uniform(1));
    const large = sectionOf('csv', 5_000_000, { ...uniform(5.5), validate: [{ seconds: 6 }] });
    const all = verdicts([small, large]);
    expect(find(all, 'csv: metrics, generated, 5,000,000 rows')).toMatchObject({ measured: '5.50x (5.50 s / 1.00 s)', outcome: 'PASS' });
    expect(find(all, 'csv: validateFile + Parquet, 5,000,000 rows')).toMatchObject({ measured: '6.00x (6.00 s / 1.00 s)', outcome: 'MISS' });
  });

  it('says what was not measured instead of judging it', () => {
    const all = verdicts([sectionOf('csv', 1_000_000, uniform(1))]);
    const unjudged = all.filter((verdict) => verdict.outcome === 'n/a');
    expect(unjudged.map((verdict) => verdict.measured)).toEqual(['not measured', 'not measured', 'not measured']);
    expect(unjudged.map((verdict) => verdict.target)).toEqual([
      'csv 5,000,000 rows: peak RSS < 512 MB, every measurement',
      'csv: metrics, generated, 5,000,000 rows in <= 5.5x the time of 1,000,000',
      'csv: validateFile + Parquet, 5,000,000 rows in <= 5.5x the time of 1,000,000',
    ]);
  });

  it('passes the checks of a section whose checks passed, and exits 0 on missed targets', () => {
    const slow = sectionOf('csv', 1_000_000, { ...uniform(1), generated: [{ seconds: 2 }] });
    const all = verdicts([slow]);
    expect(find(all, 'csv 1,000,000 rows: checks')).toMatchObject({ measured: 'all passed', outcome: 'PASS' });
    expect(find(all, 'csv 1,000,000 rows: metrics generated / hand-written').outcome).toBe('MISS');
    expect(exitCodeOf(all)).toBe(0);
  });

  it('fails a section whose checks failed, and every figure from it however good, and exits 1', () => {
    const untrusted = { ...sectionOf('csv', 1_000_000, uniform(1)), problems: ['orders_not_empty: generated [2], hand-written [1]'] };
    const large = sectionOf('csv', 5_000_000, uniform(1, 100));
    const all = verdicts([untrusted, large]);
    expect(find(all, 'csv 1,000,000 rows: checks')).toMatchObject({ measured: '1 failed (CHECK FAILED lines above)', outcome: 'FAIL' });
    expect(find(all, 'csv 1,000,000 rows: metrics generated / hand-written')).toMatchObject({
      measured: '1.00, from a section whose checks failed',
      outcome: 'FAIL',
    });
    expect(find(all, 'csv 1,000,000 rows: metrics with exact duplicate keys').outcome).toBe('FAIL');
    expect(find(all, 'csv: metrics, generated, 5,000,000 rows').outcome).toBe('FAIL');
    expect(find(all, 'csv 5,000,000 rows: checks').outcome).toBe('PASS');
    expect(find(all, 'csv 5,000,000 rows: metrics generated / hand-written').outcome).toBe('PASS');
    expect(find(all, 'csv 5,000,000 rows: peak RSS').outcome).toBe('PASS');
    expect(exitCodeOf(all)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { parseBenchArguments, UsageError } from '../../bench/options.ts';

describe('parseBenchArguments', () => {
  it('defaults to 1M and 5M rows, 3 runs, CSV and Parquet', () => {
    expect(parseBenchArguments([])).toEqual({ help: false, options: { rows: [1_000_000, 5_000_000], runs: 3, formats: ['csv', 'parquet'] } });
  });

  it('reads sizes in any order, once each, with optional digit separators', () => {
    const parsed = parseBenchArguments(['--rows', '5_000_000,200000,200000', '--runs', '5', '--formats', 'parquet']);
    expect(parsed).toEqual({ help: false, options: { rows: [200_000, 5_000_000], runs: 5, formats: ['parquet'] } });
  });

  it('answers --help without reading other flags', () => {
    expect(parseBenchArguments(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--rows', '0'], "--rows: expected a positive whole number, got '0'"],
    [['--rows', '1e6'], "--rows: expected a positive whole number, got '1e6'"],
    [['--rows', '1000,,2000'], '--rows: expected a comma-separated list'],
    [['--rows', '1000,100000001'], '--rows: at most 100,000,000 rows'],
    [['--runs=-1'], "--runs: expected a positive whole number, got '-1'"],
    [['--runs', 'three'], "--runs: expected a positive whole number, got 'three'"],
    [['--formats', 'csv,json'], "--formats: unknown format 'json'"],
    [['--row', '5'], "Unknown option '--row'"],
    [['5000000'], 'positional argument'],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => parseBenchArguments(args)).toThrow(UsageError);
    expect(() => parseBenchArguments(args)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { formatSection, formatVerdicts } from '../../bench/report.ts';
import { sectionOf, uniform } from './section-fixtures.ts';

describe('formatSection', () => {
  const section = sectionOf('csv', 2_000_000, {
    ...uniform(1, 250),
    generated: [{ seconds: 1.2 }, { seconds: 1.1 }, { seconds: 1.3 }],
  });

  it('shows every run, the median, throughput, peak RSS and the ratio', () => {
    const lines = formatSection(section).split('\n');
    expect(lines[0]).toBe(`csv, 2,000,000 rows, ${((2_000_000 * 64) / 2 ** 20).toFixed(1)} MB`);
    const generated = lines.find((line) => line.startsWith('metrics, generated'));
    expect(generated?.split(/\s{2,}/)).toEqual(['metrics, generated', '1.200 1.100 1.300', '1.200', '1.67M', (122.0703125 / 1.2).toFixed(1), '200']);
    expect(lines).toContain('metrics generated / hand-written: 1.20');
    expect(lines.at(-1)).toMatch(/^checks: /);
  });

  it('puts each problem on a CHECK FAILED line', () => {
    const lines = formatSection({ ...section, problems: ['a', 'b'] }).split('\n');
    expect(lines.slice(-2)).toEqual(['CHECK FAILED: a', 'CHECK FAILED: b']);
  });
});

describe('formatVerdicts', () => {
  it('marks each target PASS, MISS, FAIL or n/a', () => {
    const text = formatVerdicts([
      { target: 't1', measured: '1', outcome: 'PASS' },
      { target: 't2', measured: '2', outcome: 'MISS' },
      { target: 't3', measured: '3', outcome: 'FAIL' },
      { target: 't4', measured: 'not measured', outcome: 'n/a' },
    ]);
    expect(text.split('\n').slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual(['PASS', 'MISS', 'FAIL', 'n/a']);
  });
});

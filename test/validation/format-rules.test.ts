import { describe, expect, it } from 'vitest';
import { column, loadDataset } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

/** Failed rows by rule id, for the rules of `kinds`. */
async function failedCounts(dataset: ReturnType<typeof loadDataset>, rows: readonly (readonly (string | null)[])[], kinds: readonly string[]) {
  const { report } = await validateRows(dataset, rows);
  return Object.fromEntries(report.rules.filter((rule) => kinds.includes(rule.kind)).map((rule) => [rule.id, rule.failedCount]));
}

describe('logicalTypeOptions.format', () => {
  const dataset = loadDataset({
    properties: [
      column('email', { logicalTypeOptions: { format: 'email' } }),
      column('site', { logicalTypeOptions: { format: 'uri' } }),
      column('token', { logicalTypeOptions: { format: 'uuid' } }),
      column('seen', { logicalTypeOptions: { format: 'date-time' } }),
      column('ip', { logicalTypeOptions: { format: 'ipv4' } }),
      column('day', { logicalTypeOptions: { format: 'dd.MM.yyyy' } }),
    ],
  });

  it('checks email, uri, uuid, date-time, ipv4 and date-pattern shapes on string columns, counting failing rows like pattern', async () => {
    const counts = await failedCounts(
      dataset,
      [
        ['a@example.com', 'https://example.com/a', '123e4567-e89b-12d3-a456-426614174000', '2026-11-21T06:00:00Z', '10.0.0.1', '21.11.2026'],
        ['not an email', 'example.com', '123e4567e89b12d3a456426614174000', '21.11.2026 06:00', '256.0.0.1', '2026-11-21'],
        ['b@example.org', 'mailto:b@example.org', '123E4567-E89B-12D3-A456-426614174000', '2026-11-21 06:00:00.5+01:00', '192.168.1.255', '01.01.1999'],
        [null, null, null, null, null, null],
      ],
      ['format'],
    );
    expect(counts).toEqual({ 'email.format': 1, 'site.format': 1, 'token.format': 1, 'seen.format': 1, 'ip.format': 1, 'day.format': 1 });
  });
});

describe('date formats on string columns', () => {
  const dataset = loadDataset({
    properties: [
      column('day', { logicalTypeOptions: { format: 'dd.MM.yyyy' } }),
      column('at', { logicalTypeOptions: { format: 'date-time' } }),
      column('on', { logicalTypeOptions: { format: 'date' } }),
      column('slot', { logicalTypeOptions: { format: 'dd/MM/yy HH:mm' } }),
      column('token', { physicalType: 'uuid' }),
    ],
  });

  it('fails a value of the right shape that is no real date or time, and checks a uuid physical type as format uuid', async () => {
    const { report } = await validateRows(dataset, [
      ['29.02.2024', '2026-01-01T00:00:00Z', '2024-02-29', '29/02/00 23:59', '123e4567-e89b-12d3-a456-426614174000'],
      ['99.99.2026', '2026-13-45T99:99:99Z', '2026-02-30', '31/12/24 25:00', 'not-a-uuid'],
      ['31.02.2026', '2026-04-31 10:00:00', '2026-1-01', '01/01/2024 10:00', null],
      ['29.02.2023', '2026-02-29T10:00:00+01:00', '2026-02-28', '28/02/23 10:00', '123E4567-E89B-12D3-A456-426614174000'],
    ]);
    const failed = Object.fromEntries(
      report.rules.filter((rule) => rule.kind === 'format').map((rule) => [rule.id, (rule.samples ?? []).map((sample) => sample.row)]),
    );
    expect(failed).toEqual({
      'day.format': [2, 3, 4],
      'at.format': [2, 3, 4],
      'on.format': [2, 3],
      'slot.format': [2, 3],
      'token.format': [2],
    });
  });
});

describe('multipleOf and sized physical types', () => {
  const dataset = loadDataset({
    properties: [
      column('price', { logicalType: 'number', logicalTypeOptions: { multipleOf: 0.05 } }),
      column('pack', { logicalType: 'integer', logicalTypeOptions: { multipleOf: 6 } }),
      column('code', { physicalType: 'varchar(3)' }),
      column('name', { physicalType: 'varchar(3)', logicalTypeOptions: { maxLength: 5 } }),
    ],
  });

  it('counts values that are no whole multiple, with doubles read exactly enough (0.3 of 0.05)', async () => {
    const counts = await failedCounts(
      dataset,
      [
        ['0.3', '12', 'abc', 'abcde'],
        ['0.31', '7', 'abcd', 'abcdef'],
        ['-1.15', '-6', 'ab', 'ab'],
        ['100', '0', null, null],
      ],
      ['multipleOf', 'maxLength'],
    );
    expect(counts).toEqual({ 'price.multipleOf': 1, 'pack.multipleOf': 1, 'code.maxLength': 1, 'name.maxLength': 1 });
  });
});

describe('multipleOf on large values', () => {
  const dataset = loadDataset({
    properties: [
      column('cents', { logicalType: 'number', physicalType: 'decimal(20,2)', logicalTypeOptions: { multipleOf: 0.01 } }),
      column('weeks', { logicalType: 'number', physicalType: 'decimal(20,2)', logicalTypeOptions: { multipleOf: 0.07 } }),
      column('even', { logicalType: 'integer', physicalType: 'bigint', logicalTypeOptions: { multipleOf: 2 } }),
      column('ratio', { logicalType: 'number', physicalType: 'double', logicalTypeOptions: { multipleOf: 0.01 } }),
    ],
  });

  it('judges integers and decimals exactly, and doubles with a tolerance relative to their size', async () => {
    const { report } = await validateRows(dataset, [
      // 12345678901234567.91 = 0.07 * 176366841446208113; 9007199254740994 is even; 1234567.89 / 0.01 is 123456788.99999999 in doubles.
      ['1234567.89', '12345678901234567.91', '9007199254740994', '1234567.89'],
      ['123456789012345678.01', '0.07', '-9223372036854775808', '98765432.1'],
      // Not multiples: 12345678901234567.89 leaves 0.05; 2^53 + 1 is odd but a double reads it as 2^53; 0.005 off.
      ['0.01', '12345678901234567.89', '9007199254740993', '1234567.895'],
    ]);
    const failed = Object.fromEntries(
      report.rules.filter((rule) => rule.kind === 'multipleOf').map((rule) => [rule.id, (rule.samples ?? []).map((sample) => sample.row)]),
    );
    expect(failed).toEqual({ 'cents.multipleOf': [], 'weeks.multipleOf': [3], 'even.multipleOf': [3], 'ratio.multipleOf': [3] });
  });
});

describe('integer widths as format', () => {
  const dataset = loadDataset({
    properties: [
      column('count', { logicalType: 'integer', logicalTypeOptions: { format: 'i32' } }),
      column('level', { logicalType: 'integer', logicalTypeOptions: { format: 'u8' } }),
      column('size', { logicalType: 'integer', logicalTypeOptions: { format: 'u64' } }),
      column('total', { logicalType: 'integer', logicalTypeOptions: { format: 'i64' } }),
    ],
  });

  it('checks the range of iN and uN narrower than the column, a u format from 0', async () => {
    const { report } = await validateRows(dataset, [
      ['2147483647', '255', '0', '-9223372036854775808'],
      ['3000000000', '256', '-1', '9223372036854775807'],
      ['-2147483649', '-1', '9223372036854775807', '1'],
      ['-2147483648', '0', '1', '-1'],
    ]);
    const failed = Object.fromEntries(
      report.rules.filter((rule) => rule.kind === 'format').map((rule) => [rule.id, (rule.samples ?? []).map((sample) => sample.row)]),
    );
    // i64 on a 64-bit column asks nothing more than the type: no rule.
    expect(failed).toEqual({ 'count.format': [2, 3], 'level.format': [2, 3], 'size.format': [2] });
    expect(report.rules.filter((rule) => rule.status === 'notEvaluated')).toEqual([]);
  });
});

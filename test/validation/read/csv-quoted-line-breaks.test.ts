import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../lib/contracts/model.ts';
import { openSource } from '../../../lib/validation/read/open-source.ts';
import { datasetFor, ORDER_COLUMNS, rowsOf, useDuckDb, useScratchFolder, writeData } from './helpers.ts';

const folder = useScratchFolder();
const connection = useDuckDb();

/** Without a header, the file's first line break can be one inside a quoted value. */
const headerless = (csv: Partial<CsvOptions> = {}) => datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, csv: { header: false, ...csv } });

async function customersOf(name: string, content: string | Uint8Array): Promise<unknown[]> {
  expect(await openSource(connection(), headerless(), writeData(folder(), name, content))).toEqual({ ok: true, relation: 'source_rows' });
  return (await rowsOf(connection(), 'source_rows')).map((row) => row['customer']);
}

const VALUES = ['x\r\ny', 'p\rq', 'm\nn'];
const fileWith = (lineEnd: string) => VALUES.map((value, index) => `A${index + 1},"${value}",${index}${lineEnd}`).join('');

describe('openSource on CSV: line breaks inside quoted values are data, kept verbatim', () => {
  it('in a LF file whose first line break is a quoted CRLF', async () => {
    expect(await customersOf('lf.csv', fileWith('\n'))).toEqual(VALUES);
  });

  it('in a gzip LF file', async () => {
    expect(await customersOf('lf.csv.gz', gzipSync(fileWith('\n')))).toEqual(VALUES);
  });

  it('in a CR file whose first line break is a quoted CRLF', async () => {
    expect(await customersOf('cr.csv', fileWith('\r'))).toEqual(VALUES);
  });

  it('in a CRLF file whose first line break is a quoted CRLF', async () => {
    expect(await customersOf('crlf.csv', fileWith('\r\n'))).toEqual(VALUES);
  });

  it('in a CRLF file whose first line break is its line end', async () => {
    const text = `A0,Ann,0\r\n${fileWith('\r\n')}`;

    expect(await customersOf('crlf-later.csv', text)).toEqual(['Ann', ...VALUES]);
  });

  it('in a LF file with a quote other than the double quote', async () => {
    const dataset = headerless({ delimiter: '|', quote: "'", escape: "'" });
    const file = writeData(folder(), 'pipe-lf.csv', "A1|'\r'|1\nA2|'b\r\n'|2\n");

    expect(await openSource(connection(), dataset, file)).toEqual({ ok: true, relation: 'source_rows' });
    expect((await rowsOf(connection(), 'source_rows')).map((row) => row['customer'])).toEqual(['\r', 'b\r\n']);
  });
});

describe('openSource on CSV: a CRLF file whose first line break is a LF or CR inside quotes', () => {
  // DuckDB 1.5 takes the line end from that break and its new_line='\r\n' misreads quoted values.
  it('is refused with a reason, not with a DuckDB state-machine error', async () => {
    const result = await openSource(connection(), headerless(), writeData(folder(), 'crlf-cr-first.csv', '"\r",,\r\nA2,x,1\r\n'));

    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'readable',
        message:
          'line 1 has a CR line break inside a quoted value, before the first CRLF line end; the CSV reader takes the line end ' +
          'from the first line break, so it cannot read this file (end lines with LF, or start the file with a record whose ' +
          'quoted values hold no CR)',
        line: 1,
      },
    });
  });

  it('is refused with a reason, not as a quote never closed', async () => {
    const dataset = headerless({ delimiter: '|', quote: "'", escape: "'" });
    const result = await openSource(connection(), dataset, writeData(folder(), 'crlf-lf-first.csv', "a|b|'\n'\r\n"));

    expect(result.ok ? undefined : result.failure.message).toMatch(/^line 1 has a LF line break inside a quoted value, before the first CRLF line end;/);
  });
});

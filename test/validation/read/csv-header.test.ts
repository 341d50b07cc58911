import { describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../lib/contracts/model.ts';
import { parseCsvHeader } from '../../../lib/validation/read/csv-header.ts';

const STANDARD: CsvOptions = { delimiter: ',', quote: '"', escape: '"', header: true };

const whole = (text: string | Buffer) => ({ bytes: Buffer.from(text), complete: true });
const cut = (text: string) => ({ bytes: Buffer.from(text), complete: false });

describe('parseCsvHeader', () => {
  it('splits the first line on the delimiter, ignoring the rest of the file', () => {
    expect(parseCsvHeader(whole('id,name,amount\n1,"a,b",2\n'), STANDARD)).toEqual({ kind: 'names', names: ['id', 'name', 'amount'] });
  });

  it('ends the header at CRLF or CR without keeping the carriage return', () => {
    expect(parseCsvHeader(whole('id,name\r\n1,2\r\n'), STANDARD)).toEqual({ kind: 'names', names: ['id', 'name'] });
    expect(parseCsvHeader(whole('id,name\r1,2\r'), STANDARD)).toEqual({ kind: 'names', names: ['id', 'name'] });
  });

  it('reads a header-only file without a final line end', () => {
    expect(parseCsvHeader(whole('id,name'), STANDARD)).toEqual({ kind: 'names', names: ['id', 'name'] });
  });

  it('unquotes names, including doubled quotes and delimiters or line breaks inside quotes', () => {
    expect(parseCsvHeader(whole('"id","say ""x""","a,b","two\nlines"\n'), STANDARD)).toEqual({
      kind: 'names',
      names: ['id', 'say "x"', 'a,b', 'two\nlines'],
    });
  });

  it('uses the contract delimiter, quote and escape', () => {
    const options: CsvOptions = { delimiter: ';', quote: "'", escape: '\\', header: true };
    expect(parseCsvHeader(whole("id;'it\\'s';'a;b'\n"), options)).toEqual({ kind: 'names', names: ['id', "it's", 'a;b'] });
  });

  it('supports a multi-character delimiter', () => {
    expect(parseCsvHeader(whole('id||name||amount\n'), { ...STANDARD, delimiter: '||' })).toEqual({ kind: 'names', names: ['id', 'name', 'amount'] });
  });

  it('keeps empty names so they can be reported', () => {
    expect(parseCsvHeader(whole('id,,amount\n'), STANDARD)).toEqual({ kind: 'names', names: ['id', '', 'amount'] });
  });

  it('decodes UTF-8 names', () => {
    expect(parseCsvHeader(whole('id,größe\n'), STANDARD)).toEqual({ kind: 'names', names: ['id', 'größe'] });
  });

  it('refuses a header with invalid UTF-8', () => {
    expect(parseCsvHeader(whole(Buffer.from([0x69, 0x64, 0x2c, 0xe9, 0x0a])), STANDARD)).toEqual({ kind: 'not-utf8' });
  });

  it('refuses a header with no line end within the prefix', () => {
    expect(parseCsvHeader(cut('id,name,amount'), STANDARD)).toEqual({ kind: 'too-long' });
    expect(parseCsvHeader(cut('id,"name\n'), STANDARD)).toEqual({ kind: 'too-long' });
  });

  it('reports a quote opened in the header and never closed', () => {
    expect(parseCsvHeader(whole('id,"name\n1,2\n'), STANDARD)).toEqual({ kind: 'unclosed-quote' });
  });
});

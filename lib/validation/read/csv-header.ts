import type { CsvOptions } from '../../contracts/model.ts';
import type { TextPrefix } from './text-prefix.ts';

export type CsvHeader =
  | { readonly kind: 'names'; readonly names: readonly string[] }
  /** No line end within the prefix: the header is longer than we are willing to read. */
  | { readonly kind: 'too-long' }
  | { readonly kind: 'unclosed-quote' }
  | { readonly kind: 'not-utf8' };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Parses the first record of a CSV file with the contract's delimiter, quote and escape.
 * DuckDB with explicit columns skips the header without looking at it, so this is the only
 * place that compares the file's column names (and their order) with the contract.
 */
export function parseCsvHeader(prefix: TextPrefix, options: CsvOptions): CsvHeader {
  const bytes = prefix.bytes;
  const delimiter = Buffer.from(options.delimiter);
  const quote = options.quote === '' ? -1 : options.quote.charCodeAt(0);
  const escape = options.escape === '' ? -1 : options.escape.charCodeAt(0);
  const fields: number[][] = [];
  let field: number[] = [];
  let inQuotes = false;
  let index = 0;
  let ended = false;

  while (index < bytes.length && !ended) {
    const byte = bytes[index]!;
    if (inQuotes) {
      const next = bytes[index + 1];
      if (byte === escape && (next === quote || (next === escape && escape !== quote))) {
        field.push(next);
        index += 2;
      } else if (byte === quote) {
        inQuotes = false;
        index += 1;
      } else {
        field.push(byte);
        index += 1;
      }
    } else if (delimiter.length > 0 && bytes.subarray(index, index + delimiter.length).equals(delimiter)) {
      fields.push(field);
      field = [];
      index += delimiter.length;
    } else if (byte === quote) {
      inQuotes = true;
      index += 1;
    } else if (byte === LF || byte === CR) {
      ended = true;
    } else {
      field.push(byte);
      index += 1;
    }
  }
  if (inQuotes) return prefix.complete ? { kind: 'unclosed-quote' } : { kind: 'too-long' };
  if (!ended && !prefix.complete) return { kind: 'too-long' };
  fields.push(field);

  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return { kind: 'names', names: fields.map((bytesOfName) => decoder.decode(Uint8Array.from(bytesOfName))) };
  } catch {
    return { kind: 'not-utf8' };
  }
}

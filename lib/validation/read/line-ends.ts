export type LineEnd = 'LF' | 'CRLF' | 'CR';

/** The first line whose line end differs from the file's first line end. */
export interface InconsistentLineEnd {
  /** 1-based physical line (as an editor counts) that the odd line end terminates. */
  readonly line: number;
  readonly found: LineEnd;
  readonly expected: LineEnd;
}

/** How values are quoted, so line breaks inside a quoted value are data, not line ends. */
export interface Quoting {
  /** Empty when the format has no quoting. */
  readonly quote: string;
  /** Equal to `quote` when a quote is escaped by doubling it. */
  readonly escape: string;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Scans the text once, in bounded memory, for a line end that differs from the first one.
 * DuckDB fails on mixed line ends with either no line number or a misleading message (an
 * "unterminated quote"), so this names the line instead. Only the first byte of the quote and
 * escape strings is used: DuckDB accepts single-byte quote and escape characters only.
 */
export async function findInconsistentLineEnd(chunks: AsyncIterable<Buffer>, quoting: Quoting): Promise<InconsistentLineEnd | undefined> {
  const quote = quoting.quote === '' ? -1 : quoting.quote.charCodeAt(0);
  const escape = quoting.escape === '' || quoting.escape === quoting.quote ? -1 : quoting.escape.charCodeAt(0);
  let expected: LineEnd | undefined;
  let line = 1;
  let inQuotes = false;
  let escaping = false;
  let afterCarriageReturn = false;

  const endLine = (found: LineEnd): InconsistentLineEnd | undefined => {
    expected ??= found;
    if (found !== expected) return { line, found, expected };
    line += 1;
    return undefined;
  };

  for await (const chunk of chunks) {
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        const odd = endLine(byte === LF ? 'CRLF' : 'CR');
        if (odd !== undefined) return odd;
        if (byte === LF) continue;
      }
      if (inQuotes) {
        if (escaping) escaping = false;
        else if (byte === escape) escaping = true;
        else if (byte === quote) inQuotes = false;
        else if (byte === LF) line += 1;
      } else if (byte === quote) inQuotes = true;
      else if (byte === CR) afterCarriageReturn = true;
      else if (byte === LF) {
        const odd = endLine('LF');
        if (odd !== undefined) return odd;
      }
    }
  }
  return afterCarriageReturn ? endLine('CR') : undefined;
}

/** `line 3 ends with LF but earlier lines end with CRLF; ...` */
export function describeInconsistentLineEnd(odd: InconsistentLineEnd): string {
  return `line ${odd.line} ends with ${odd.found} but earlier lines end with ${odd.expected}; line ends must be consistent`;
}

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

/** `line 3 ends with LF but earlier lines end with CRLF; ...` */
export function describeInconsistentLineEnd(odd: InconsistentLineEnd): string {
  return `line ${odd.line} ends with ${odd.found} but earlier lines end with ${odd.expected}; line ends must be consistent`;
}

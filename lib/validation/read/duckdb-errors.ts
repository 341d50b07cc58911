/** A DuckDB error reduced to what a data engineer needs: the reason and, when DuckDB names one, the line. */
export interface DuckDbErrorDetails {
  readonly reason: string;
  readonly line?: number;
}

/** DuckDB appends advice about its own options, the reader settings and a stack trace: none of it is ours to show. */
const TRAILER_MARKERS = ['\nPossible fixes', '\nPossible Solution', '\n\n  file = ', '\n\nStack Trace', '\n\nLINE 1:'];
const CSV_LINE = /CSV Error on Line: (\d+)/;
const ERROR_TYPE = /^([A-Za-z ]+) Error: /;
const MAX_REASON_LENGTH = 300;

export function describeDuckDbError(error: unknown): DuckDbErrorDetails {
  const message = error instanceof Error ? error.message : String(error);
  const end = Math.min(...TRAILER_MARKERS.map((marker) => message.indexOf(marker)).filter((index) => index >= 0), message.length);
  let text = message.slice(0, end);
  const type = ERROR_TYPE.exec(text)?.[1];
  if (type !== undefined) text = text.slice(type.length + ' Error: '.length);

  const csvLine = CSV_LINE.exec(text);
  // A CSV error quotes the offending line (which may span lines or be megabytes long)
  // before the reason, so the reason is the last line of what is left.
  if (csvLine !== null) text = text.split('\n').filter((part) => part.trim() !== '').at(-1) ?? '';
  let reason = text.replace(/\s+/g, ' ').trim();
  if (reason.length > MAX_REASON_LENGTH) reason = `${reason.slice(0, MAX_REASON_LENGTH)}...`;
  // These leave the DuckDB instance unusable: say so rather than passing them off as a data problem.
  if (type === 'INTERNAL' || type === 'FATAL') reason = `DuckDB internal error: ${reason}`;
  return csvLine === null ? { reason } : { reason, line: Number(csvLine[1]) };
}

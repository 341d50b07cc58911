/**
 * SNS refuses a Publish whose `Subject` is 100 characters or longer, or holds line breaks, control
 * or non-ASCII characters, so an alert naming a long dataset or model would itself fail. Every
 * alert Task of the pipelines and builds words its subject through this.
 */

/** The longest subject SNS accepts. */
export const MAX_ALERT_SUBJECT_LENGTH = 99;
/** Ends a shortened subject, so a reader knows to look at the message, which names everything in full. */
const SHORTENED = '...';

/** `text` as SNS accepts it: whitespace runs as one space, other unprintable or non-ASCII characters as `?`, cut to 99 characters. */
export function alertSubject(text: string): string {
  const printable = text
    .replaceAll(/\s+/g, ' ')
    .replaceAll(/[^\x20-\x7e]/g, '?')
    .trim();
  if (printable.length <= MAX_ALERT_SUBJECT_LENGTH) return printable;
  return `${printable.slice(0, MAX_ALERT_SUBJECT_LENGTH - SHORTENED.length).trimEnd()}${SHORTENED}`;
}

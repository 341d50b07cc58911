/**
 * What a failed deployment step tells CloudFormation. The provider framework sends the error's
 * message (and its stack trace) as the reason, and CloudFormation refuses a response body over
 * 4 KB, so a long reason (a statement, a list of every column) would hide the failure behind a
 * "response too large" error. The reason is the cause on one short line; the handler logs the rest.
 */

/** Room for the cause, leaving the rest of the 4 KB for the stack trace and the response's ids. */
export const MAX_REASON_CHARACTERS = 1000;

const CUT_NOTE = " ... (cut: the whole message is in the function's log)";

/** The error itself when its message already fits on one short line, else an error carrying it cut to size. */
export function failureForCloudFormation(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.replaceAll(/\s*\n\s*/g, ' ');
  if (error instanceof Error && oneLine === message && message.length <= MAX_REASON_CHARACTERS) return error;
  const reason = oneLine.length <= MAX_REASON_CHARACTERS ? oneLine : `${oneLine.slice(0, MAX_REASON_CHARACTERS - CUT_NOTE.length)}${CUT_NOTE}`;
  const failure = new Error(reason, { cause: error });
  if (error instanceof Error) failure.name = error.name;
  return failure;
}

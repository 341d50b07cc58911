/**
 * The runtime values in a statement a Task built with `States.Format`: offline, a query string is
 * matched against its statement's template to recover them, and the statement rendered with them
 * must give the query string back, so a definition that drifted from the code is caught.
 */
import type { FormattedStatement } from '../../ml/training-queries.ts';

/** The values `States.Format` put into `template`'s placeholders to make `text`, or undefined when it does not fit. */
export function formatValues(template: string, text: string): string[] | undefined {
  const pieces = template.split('{}');
  if (!text.startsWith(pieces[0]!)) return undefined;
  const values: string[] = [];
  let rest = text.slice(pieces[0]!.length);
  for (const piece of pieces.slice(1)) {
    const end = piece === '' ? rest.length : rest.indexOf(piece);
    if (end < 0) return undefined;
    values.push(rest.slice(0, end));
    rest = rest.slice(end + piece.length);
  }
  return rest === '' ? values : undefined;
}

/** The statement's values in `queryString`; an error naming `what` when the query is not that statement. */
export function statementValues(statement: FormattedStatement, queryString: string, what: string): string[] {
  const values = formatValues(statement.template, queryString);
  if (values === undefined || statement.render(values) !== queryString) throw new Error(`${what}: the query is not the statement the code renders; synthesize the app again`);
  return values;
}

/** A synthesized template value read as one string, so tests can compare names and ARNs built from tokens. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `Fn::Join` joined; a `Ref` reads `<ref:id>`, an imported value `<import:name>`, any other token `<token>`. */
export function templateText(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || value === null || typeof value !== 'object') return JSON.stringify(value);
  const join = value['Fn::Join'] as [string, Json[]] | undefined;
  if (join !== undefined) return join[1].map(templateText).join(join[0]);
  if (typeof value['Ref'] === 'string') return `<ref:${value['Ref']}>`;
  if (typeof value['Fn::ImportValue'] === 'string') return `<import:${value['Fn::ImportValue']}>`;
  return '<token>';
}

/** A location inside a parsed YAML document: mapping keys and sequence indexes from the root. */
export type FieldPath = readonly (string | number)[];

/** `schema[0].properties[2].logicalType`: how messages name a field. */
export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** `schema[0].name: message`; `document: message` for the whole file. */
export function atField(path: FieldPath, message: string): string {
  return `${path.length === 0 ? 'document' : formatFieldPath(path)}: ${message}`;
}

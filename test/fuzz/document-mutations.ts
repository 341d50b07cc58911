import fc from 'fast-check';

/** Where a value sits in a parsed YAML document: keys and list indexes from the root. */
export type DocumentPath = readonly (string | number)[];

/** Every path in `value`, the root included, parents before their children. */
export function pathsOf(value: unknown, prefix: DocumentPath = []): DocumentPath[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

/** A copy of `document` with the value at `path` replaced, or removed when `replacement` is `remove`. */
export function replaceAt(document: unknown, path: DocumentPath, replacement: unknown | typeof remove): unknown {
  if (path.length === 0) return replacement === remove ? null : replacement;
  const [head, ...rest] = path;
  if (Array.isArray(document)) {
    const copy = [...document];
    if (rest.length === 0 && replacement === remove) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(document as Record<string, unknown>) };
  if (rest.length === 0 && replacement === remove) delete copy[head as string];
  else copy[head as string] = replaceAt(copy[head as string], rest, replacement);
  return copy;
}

export const remove = Symbol('remove');

/** What a value is replaced with: another JSON value of any type, or nothing at all. */
export const replacements: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(remove), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 3 },
  { arbitrary: fc.constantFrom('', ' ', 'x'.repeat(1000), '../../etc/passwd', '{object}', '${x}', '\u0000'), weight: 1 },
);

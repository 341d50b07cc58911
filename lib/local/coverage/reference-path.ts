/**
 * Reads an ASL Reference Path (`$.a.b`, `$['a b'][0]`): the JSONPath subset a Choice rule's
 * `Variable` and `...Path` operands may use, which names one node and no operators. The execution
 * events record a state's input but not the context object, so a `$$` path cannot be read here.
 */
import type { JsonValue } from '../stepfunctions/json.ts';

export type PathValue = { readonly present: true; readonly value: JsonValue } | { readonly present: false };

export class UnreadablePathError extends Error {
  constructor(path: string, reason: string) {
    super(`path ${path}: ${reason}`);
    this.name = 'UnreadablePathError';
  }
}

const SEGMENT = /^(?:\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\])/;

function segments(path: string): (string | number)[] {
  if (path.startsWith('$$')) throw new UnreadablePathError(path, 'reads the context object, which execution events do not record');
  if (!path.startsWith('$')) throw new UnreadablePathError(path, "a reference path starts with '$'");
  const found: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const match = SEGMENT.exec(rest);
    if (match === null) throw new UnreadablePathError(path, `'${rest}' is not a field name or array index (a reference path has no operators)`);
    const [whole, dotted, singleQuoted, doubleQuoted, index] = match;
    found.push(index !== undefined ? Number(index) : (dotted ?? singleQuoted ?? doubleQuoted ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(whole.length);
  }
  return found;
}

export function readReferencePath(path: string, input: JsonValue): PathValue {
  let value: JsonValue = input;
  for (const segment of segments(path)) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return { present: false };
      value = value[segment]!;
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, segment)) return { present: false };
      value = value[segment]!;
    }
  }
  return { present: true, value };
}

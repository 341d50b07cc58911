/**
 * `States.Format` as AWS evaluates it: in the quoted template `\` escapes the next character, so
 * `\{` is a literal brace and only an unescaped `{}` is a placeholder; an unescaped lone brace is
 * an error. The local interpreter is laxer (it accepts unescaped braces and drops every
 * backslash), so tests check the definition with this instead.
 */
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';

type Piece = { readonly text: string } | { readonly placeholder: true };

function parseTemplate(literal: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  for (let index = 0; index < literal.length; index++) {
    const char = literal[index]!;
    if (char === '\\') {
      const next = literal[index + 1];
      if (next === undefined) throw new Error('States.Format: the template ends in a lone backslash');
      text += next;
      index++;
    } else if (char === '{') {
      if (literal[index + 1] !== '}') throw new Error(`States.Format: unescaped '{' at ${index} is not a placeholder`);
      pieces.push({ text }, { placeholder: true });
      text = '';
      index++;
    } else if (char === '}') {
      throw new Error(`States.Format: unescaped '}' at ${index}`);
    } else {
      text += char;
    }
  }
  pieces.push({ text });
  return pieces;
}

/** The end of the quoted template, honouring `\'`. */
function literalEnd(expression: string, start: number): number {
  for (let index = start; index < expression.length; index++) {
    if (expression[index] === '\\') index++;
    else if (expression[index] === "'") return index;
  }
  throw new Error('States.Format: the template is not closed');
}

function readPath(input: JsonValue, path: string): JsonValue {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`unsupported JSONPath ${path}`);
  return path
    .slice(2)
    .split('.')
    .reduce<JsonValue>((value, key) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !(key in value)) {
        throw new Error(`${path} is not in the input`);
      }
      return value[key]!;
    }, input);
}

export function evaluateStatesFormat(expression: string, input: JsonValue): string {
  const prefix = "States.Format('";
  if (!expression.startsWith(prefix) || !expression.endsWith(')')) throw new Error(`not a States.Format call: ${expression.slice(0, 40)}`);
  const end = literalEnd(expression, prefix.length);
  const pieces = parseTemplate(expression.slice(prefix.length, end));
  const rest = expression.slice(end + 1, -1).trim();
  const paths = rest === '' ? [] : rest.replace(/^,\s*/, '').split(/\s*,\s*/);
  const placeholders = pieces.filter((piece) => 'placeholder' in piece).length;
  if (placeholders !== paths.length) throw new Error(`States.Format: ${placeholders} placeholders but ${paths.length} arguments`);
  let argument = 0;
  return pieces.map((piece) => ('text' in piece ? piece.text : String(readPath(input, paths[argument++]!)))).join('');
}

/** How the CDK (`JsonPath.format`) quotes a template into the call: `'` and lone `\` escaped. */
export function statesFormatCall(template: string, paths: readonly string[]): string {
  const quoted = template.replace(/'|\\(?![{}])/g, (match) => `\\${match}`);
  return `States.Format('${quoted}', ${paths.join(', ')})`;
}

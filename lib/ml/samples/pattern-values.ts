/**
 * Values that match a contract's `pattern`, for the simple patterns identifiers and codes use: a
 * sequence of literal characters and character classes, each optionally repeated (`{n}`,
 * `{n,m}`, `{n,}`, `+`, `*`, `?`), anchored by `^` and `$`. Groups and alternatives are not
 * read; such a column needs a `format` the generator knows, or its pattern is refused by name.
 */
import type { SeededRandom } from './seeded-random.ts';

/** One position of the value: the characters it may hold (one, for a literal). */
type Position = readonly string[];

export class UnsupportedPatternError extends Error {
  constructor(pattern: string, reason: string) {
    super(`cannot generate values for pattern '${pattern}': ${reason}`);
    this.name = 'UnsupportedPatternError';
  }
}

const ESCAPED_CLASSES: Readonly<Record<string, string>> = { d: '0123456789', w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' };

function characterClass(pattern: string, body: string): string[] {
  if (body.startsWith('^')) throw new UnsupportedPatternError(pattern, 'a negated character class has no finite alphabet here');
  const characters: string[] = [];
  for (let at = 0; at < body.length; at++) {
    const from = body[at] === '\\' ? body[++at]! : body[at]!;
    if (body[at + 1] === '-' && at + 2 < body.length) {
      const to = body[at + 2] === '\\' ? body[at + 3]! : body[at + 2]!;
      for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) characters.push(String.fromCharCode(code));
      at += body[at + 2] === '\\' ? 3 : 2;
    } else {
      characters.push(from);
    }
  }
  return [...new Set(characters)];
}

/** The repetition after position `at`: how many times, and where the pattern goes on. */
function repetition(pattern: string, at: number): { readonly times: number; readonly next: number } {
  const next = pattern[at];
  if (next === '+') return { times: 1, next: at + 1 };
  if (next === '*' || next === '?') return { times: 0, next: at + 1 };
  if (next !== '{') return { times: 1, next: at };
  const close = pattern.indexOf('}', at);
  const bounds = /^(\d+)(,(\d*))?$/.exec(pattern.slice(at + 1, close));
  if (close < 0 || bounds === null) throw new UnsupportedPatternError(pattern, `unreadable repetition at character ${at + 1}`);
  // The fewest repetitions allowed: the value stays short, and a unique value's capacity is fixed.
  return { times: Number(bounds[1]), next: close + 1 };
}

function positionsOf(pattern: string): Position[] {
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  const positions: Position[] = [];
  for (let at = 0; at < body.length; ) {
    const character = body[at]!;
    let alphabet: string[];
    if (character === '[') {
      const close = body.indexOf(']', at + 2);
      if (close < 0) throw new UnsupportedPatternError(pattern, 'an unclosed character class');
      alphabet = characterClass(pattern, body.slice(at + 1, close));
      at = close + 1;
    } else if (character === '\\') {
      const escaped = body[at + 1]!;
      alphabet = ESCAPED_CLASSES[escaped] === undefined ? [escaped] : [...ESCAPED_CLASSES[escaped]!];
      at += 2;
    } else if ('()|.'.includes(character)) {
      throw new UnsupportedPatternError(pattern, `'${character}' (groups, alternatives and wildcards are not generated)`);
    } else {
      alphabet = [character];
      at += 1;
    }
    const { times, next } = repetition(body, at);
    for (let count = 0; count < times; count++) positions.push(alphabet);
    at = next;
  }
  return positions;
}

/** A value matching `pattern`, its free positions random. */
export function randomPatternValue(pattern: string, random: SeededRandom): string {
  return positionsOf(pattern)
    .map((alphabet) => random.pick(alphabet))
    .join('');
}

/**
 * The `sequence`-th value matching `pattern` (from 0), its free positions counting up from the
 * right like digits, so distinct sequence numbers give distinct values: `^CUS-[0-9]{6}$`, 42 ->
 * `CUS-000042`. Throws when the pattern has fewer values than that.
 */
export function sequencePatternValue(pattern: string, sequence: number): string {
  const positions = positionsOf(pattern);
  const characters: string[] = [];
  let rest = sequence;
  for (const alphabet of [...positions].reverse()) {
    characters.unshift(alphabet[rest % alphabet.length]!);
    rest = Math.floor(rest / alphabet.length);
  }
  if (rest > 0) throw new UnsupportedPatternError(pattern, `it has fewer than ${sequence + 1} distinct values`);
  return characters.join('');
}

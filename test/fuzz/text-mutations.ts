import fc from 'fast-check';

/**
 * Edits a careless hand or a broken tool makes to a YAML or model file, as data so a failing
 * case prints what was done. Line and position numbers are taken modulo the text's size.
 */
export type TextMutation =
  | { readonly kind: 'deleteLine'; readonly line: number }
  | { readonly kind: 'duplicateLine'; readonly line: number }
  | { readonly kind: 'swapLines'; readonly line: number; readonly other: number }
  | { readonly kind: 'replaceValue'; readonly line: number; readonly value: string }
  | { readonly kind: 'indent'; readonly line: number; readonly by: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'truncate'; readonly at: number };

/** Scalars and collections of other types than the field expects, and YAML syntax that means something else. */
const REPLACEMENT_VALUES = [
  '0',
  '-1',
  '1e309',
  '3.5',
  'true',
  'null',
  '~',
  "''",
  '[]',
  '{}',
  '[1, two]',
  '{a: 1}',
  '"\\u0000"',
  '&anchor x',
  '*missing',
  '!!binary aGk=',
  '|',
  '>-',
  '- item',
  '? key',
  '"unterminated',
  "{{ ref('nowhere') }}",
  '{% if %}',
  'x'.repeat(300),
  '\u00e9\u4e2d\ud83d\ude00',
];

/** Inserted anywhere: line breaks, indentation, YAML and template syntax, control and non-ASCII characters. */
const INSERTIONS = ['\n', '\t', '  ', ': ', '- ', '#', '"', "'", '{', '}', '[', ']', '---\n', '{{', '}}', '{%', '%}', '\u0000', '\r', '\ufeff', '\u2028', '\ud83d\ude00'];

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('replaceValue' as const), line: fc.nat(), value: fc.oneof(fc.constantFrom(...REPLACEMENT_VALUES), fc.string({ maxLength: 8, unit: 'grapheme' })) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...INSERTIONS), fc.string({ maxLength: 4, unit: 'binary' })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function onLines(text: string, edit: (lines: string[]) => void): string {
  const lines = text.split('\n');
  edit(lines);
  return lines.join('\n');
}

export function applyMutation(text: string, mutation: TextMutation): string {
  const lineOf = (lines: readonly string[], n: number) => n % lines.length;
  switch (mutation.kind) {
    case 'deleteLine':
      return onLines(text, (lines) => void lines.splice(lineOf(lines, mutation.line), 1));
    case 'duplicateLine':
      return onLines(text, (lines) => void lines.splice(lineOf(lines, mutation.line), 0, lines[lineOf(lines, mutation.line)]!));
    case 'swapLines':
      return onLines(text, (lines) => {
        const [a, b] = [lineOf(lines, mutation.line), lineOf(lines, mutation.other)];
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      });
    case 'replaceValue':
      // The value after the line's first `: ` (or the whole line after a `- `), as an editor would retype it.
      return onLines(text, (lines) => {
        const index = lineOf(lines, mutation.line);
        const line = lines[index]!;
        const separator = /:\s|^\s*-\s/.exec(line);
        lines[index] = separator === null ? mutation.value : line.slice(0, separator.index + separator[0].length) + mutation.value;
      });
    case 'indent':
      return onLines(text, (lines) => {
        const index = lineOf(lines, mutation.line);
        const line = lines[index]!;
        lines[index] = mutation.by >= 0 ? ' '.repeat(mutation.by) + line : line.replace(new RegExp(`^ {0,${-mutation.by}}`), '');
      });
    case 'insert': {
      const at = mutation.at % (text.length + 1);
      return text.slice(0, at) + mutation.text + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, mutation.at % (text.length + 1));
  }
}

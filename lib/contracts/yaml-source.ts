import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourcePosition } from './model.ts';
import type { ContractProblem } from './problems.ts';
import type { FieldPath } from './field-path.ts';

/** Point at a field's value (a wrong value) or at its key (an unknown or misplaced key). */
export type Anchor = 'value' | 'key';

/**
 * A parsed YAML file that still knows where every value came from, so a problem found in the
 * plain data can be reported at the line and column a user must edit.
 */
export class YamlSource {
  readonly file: string;
  readonly data: unknown;
  private readonly document: Document;
  private readonly lines: LineCounter;
  private readonly text: string;

  constructor(file: string, text: string, document: Document, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.document = document;
    this.lines = lines;
    this.data = document.toJS();
  }

  /**
   * Where the field at `path` is written. A missing field points at the deepest mapping or
   * sequence that exists on the way, which is where the missing key belongs.
   */
  positionOf(path: FieldPath, anchor: Anchor = 'value'): SourcePosition {
    let node: unknown = this.document.contents;
    let key: unknown;
    for (const segment of path) {
      const next = childOf(node, segment);
      if (next === undefined) {
        key = undefined;
        break;
      }
      node = next.value;
      key = next.key;
    }
    const anchored = anchor === 'key' && key !== undefined ? key : node;
    return this.positionAtOffset(rangeStart(anchored) ?? 0);
  }

  /** A problem at the field `path`. */
  problem(path: FieldPath, message: string, anchor: Anchor = 'value'): ContractProblem {
    return { ...this.positionOf(path, anchor), message };
  }

  /** The value as written in the file (`1.0`, not the parsed `1`), for messages. */
  writtenText(path: FieldPath): string | undefined {
    let node: unknown = this.document.contents;
    for (const segment of path) {
      node = childOf(node, segment)?.value;
      if (node === undefined) return undefined;
    }
    if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
    return this.text.slice(node.range[0], node.range[1]);
  }

  /**
   * The same file with these fields set aside, every position still where it is written (nodes
   * keep their offsets), so checks of the rest report at the right line.
   */
  without(fields: readonly FieldPath[]): YamlSource {
    const document = this.document.clone();
    // Later list items first, so an earlier deletion never shifts the index of a later one.
    for (const field of [...fields].sort(comparePaths).reverse()) document.deleteIn(field);
    return new YamlSource(this.file, this.text, document, this.lines);
  }

  private positionAtOffset(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }
}

export type ParsedYaml = { readonly source: YamlSource } | { readonly problems: readonly ContractProblem[] };

/** Parse YAML text; syntax errors come back as problems (all of them), never as exceptions. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, line, column: col, message: `YAML syntax error: ${error.message}` };
      }),
    };
  }
  try {
    return { source: new YamlSource(file, text, document, lines) };
  } catch (error) {
    // toJS() refuses documents that expand aliases without bound (a "billion laughs" file).
    return { problems: [{ file, line: 1, column: 1, message: `YAML cannot be read: ${(error as Error).message}` }] };
  }
}

/** Read and parse a YAML file; an unreadable file is a problem at 1:1. */
export function readYamlFile(file: string): ParsedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [{ file, line: 1, column: 1, message: `cannot read file: ${(error as Error).message}` }] };
  }
  return parseYaml(file, text);
}

function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const [x, y] = [a[index]!, b[index]!];
    if (x === y) continue;
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

function childOf(node: unknown, segment: string | number): { key?: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
    return pair === undefined ? undefined : { key: pair.key, value: pair.value ?? pair.key };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}

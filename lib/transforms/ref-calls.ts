import type { SourcePosition } from '../contracts/model.ts';
import type { RefCall } from './model.ts';

const REF_CALL = /\bref\(\s*(['"])([^'"]*)\1\s*\)/g;

/**
 * The `ref('<name>')` calls of a template, each where it is written. Found by scanning rather
 * than rendering, so a bad ref is reported at its line before anything renders.
 */
export function findRefCalls(template: string, at: SourcePosition): RefCall[] {
  const calls: RefCall[] = [];
  for (const match of template.matchAll(REF_CALL)) {
    const before = template.slice(0, match.index);
    const lineBreaks = before.split('\n').length - 1;
    const column = lineBreaks === 0 ? at.column + before.length : before.length - before.lastIndexOf('\n');
    calls.push({ name: match[2]!, position: { file: at.file, line: at.line + lineBreaks, column } });
  }
  return calls;
}

/** A model file split into its YAML front matter and the SQL template after it. */
export interface FrontMatterSplit {
  /**
   * The front matter with every line before it blanked, so a YAML parser's line numbers are the
   * file's line numbers.
   */
  readonly yaml: string;
  readonly template: string;
  /** 1-based line of the file where the template starts. */
  readonly templateLine: number;
}

const FENCE = /^---[ \t]*$/;

/** Front matter is optional; an opening `---` without a closing one is an error at line 1. */
export function splitFrontMatter(text: string): FrontMatterSplit | { readonly error: string } {
  const lines = text.split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? '')) return { yaml: '', template: text, templateLine: 1 };
  const closing = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (closing === -1) return { error: 'front matter opened with --- is never closed by a --- line' };
  return {
    yaml: ['', ...lines.slice(1, closing)].join('\n'),
    template: lines.slice(closing + 1).join('\n'),
    templateLine: closing + 2,
  };
}

import { parseArgs } from 'node:util';
import { requireDirectory } from './path-arguments.ts';
import { UsageError } from './usage-error.ts';

/**
 * `[dir] [--json]`, the arguments both `contracts` commands take; dir defaults to `contracts`.
 * `withMl` also accepts `--ml` (list's choice of ML models instead of datasets).
 */
export function parseContractsRootArgs(
  args: readonly string[],
  { withMl = false }: { readonly withMl?: boolean } = {},
): { readonly root: string; readonly json: boolean; readonly ml: boolean } {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, ...(withMl ? { ml: { type: 'boolean' as const, default: false } } : {}) },
  });
  if (positionals.length > 1) throw new UsageError(`expected at most one directory, got ${positionals.length}`);
  const root = positionals[0] ?? 'contracts';
  requireDirectory(root);
  return { root, json: values.json, ml: (values as { ml?: boolean }).ml ?? false };
}

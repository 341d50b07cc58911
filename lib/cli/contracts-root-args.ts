import { parseArgs } from 'node:util';
import { requireDirectory } from './path-arguments.ts';
import { UsageError } from './usage-error.ts';

/** `[dir] [--json]`, the arguments both `contracts` commands take; dir defaults to `contracts`. */
export function parseContractsRootArgs(args: readonly string[]): { readonly root: string; readonly json: boolean } {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new UsageError(`expected at most one directory, got ${positionals.length}`);
  const root = positionals[0] ?? 'contracts';
  requireDirectory(root);
  return { root, json: values.json };
}

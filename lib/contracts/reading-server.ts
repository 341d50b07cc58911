import type { RawContract, RawServer } from './raw-contract.ts';

/**
 * The server entry that says how a contract's data files are read: the first of type s3 (its
 * format, JSON delimiter and csv options). Other entries (https, postgres, ...) say where else
 * the data lives, which reading a file does not need.
 */
export function readingServer(contract: RawContract): { readonly server: RawServer; readonly index: number } | undefined {
  const servers = contract.servers ?? [];
  const index = servers.findIndex((server) => server.type === 's3');
  return index === -1 ? undefined : { server: servers[index]!, index };
}

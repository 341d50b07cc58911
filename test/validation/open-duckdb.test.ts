import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_LIMIT, openDuckDb } from '../../lib/validation/run-validation.ts';

const root = mkdtempSync(join(tmpdir(), 'open-duckdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function setting(connection: DuckDBConnection, name: string): Promise<string> {
  const [[value] = []] = (await connection.runAndReadAll(`SELECT current_setting('${name}')`)).getRows();
  return String(value);
}

/** How DuckDB shows a memory limit given in MB (10^6 bytes): in MiB, one decimal. */
function shownInMiB(limit: string): string {
  const megabytes = /^([0-9]+)MB$/.exec(limit);
  if (megabytes === null) throw new Error(`expected a limit in MB, got '${limit}'`);
  return `${((Number(megabytes[1]) * 1e6) / 2 ** 20).toFixed(1)} MiB`;
}

describe('openDuckDb', () => {
  it(`limits memory to DEFAULT_MEMORY_LIMIT (${DEFAULT_MEMORY_LIMIT}) unless told otherwise, and works in UTC`, async () => {
    const { instance, connection } = await openDuckDb(mkdtempSync(join(root, 'default-')));
    try {
      expect(await setting(connection, 'memory_limit')).toBe(shownInMiB(DEFAULT_MEMORY_LIMIT));
      expect(await setting(connection, 'TimeZone')).toBe('UTC');
      expect(await setting(connection, 'allocator_background_threads')).toBe('true');
      expect(await setting(connection, 'preserve_insertion_order')).toBe('true');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('takes another memory limit, and keeps home and spill files under the scratch directory', async () => {
    const scratch = mkdtempSync(join(root, 'custom-'));
    const { instance, connection } = await openDuckDb(scratch, '64MB');
    try {
      expect(await setting(connection, 'memory_limit')).toBe(shownInMiB('64MB'));
      expect(await setting(connection, 'home_directory')).toBe(scratch);
      expect(await setting(connection, 'temp_directory')).toBe(join(scratch, 'spill'));
      expect(await setting(connection, 'extension_directory')).toBe(join(scratch, 'extensions'));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('refuses a memory limit DuckDB cannot read', async () => {
    await expect(openDuckDb(mkdtempSync(join(root, 'bad-')), 'lots')).rejects.toThrow(/Failed to set config/);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFileId } from '../../lib/validation/content-file-id.ts';

describe('content file ids', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'content-file-id-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('gives the same bytes the same 32-hex-digit id, whatever the file is called, and other bytes another', async () => {
    const [first, copy, other] = ['orders.csv', 'orders-copy.csv', 'orders-2.csv'].map((name) => join(folder, name));
    await writeFile(first!, 'order_id\n1\n');
    await writeFile(copy!, 'order_id\n1\n');
    await writeFile(other!, 'order_id\n2\n');
    expect(await contentFileId(first!)).toMatch(/^[0-9a-f]{32}$/);
    expect(await contentFileId(copy!)).toBe(await contentFileId(first!));
    expect(await contentFileId(other!)).not.toBe(await contentFileId(first!));
  });
});

/**
 * The addresses lineage events give for this project: its repository and version typed once
 * (package.json), and each custom facet's schema URL naming the file shipped at that path, whose
 * `$id` is that URL.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { TRAINING_FACET_SCHEMA_URL } from '../../lib/ml/training-run-events.ts';
import { CONTRACT_FACET_SCHEMA_URL } from '../../lib/pipeline/lineage/contract-facet.ts';
import { LINEAGE_PRODUCER, publishedFileUrl } from '../../lib/pipeline/lineage/run-event.ts';

const root = new URL('../../', import.meta.url);

describe("lineage events' addresses of this project", () => {
  it("name package.json's repository at its version's tag", () => {
    const repository = packageJson.repository.replace(/^github:/, '');
    expect(LINEAGE_PRODUCER).toBe(`https://github.com/${repository}/tree/v${packageJson.version}`);
    expect(publishedFileUrl('lib/x.json')).toBe(`https://raw.githubusercontent.com/${repository}/v${packageJson.version}/lib/x.json`);
  });

  it("point each custom facet's schema at the file shipped there, whose $id is that URL", async () => {
    for (const url of [CONTRACT_FACET_SCHEMA_URL, TRAINING_FACET_SCHEMA_URL]) {
      const [address, pointer] = url.split('#') as [string, string];
      const path = address.slice(publishedFileUrl('').length);
      const schema = JSON.parse(await readFile(new URL(path, root), 'utf8')) as { $id: string; $defs: Record<string, unknown> };
      expect(schema.$id, path).toBe(address);
      expect(Object.keys(schema.$defs), path).toContain(pointer.replace('/$defs/', ''));
    }
  });

  it('spell the repository in one file of lib/', async () => {
    const lib = new URL('lib/', root);
    const files = (await readdir(lib, { recursive: true })).filter((file) => file.endsWith('.ts'));
    const typedIn = [];
    for (const file of files) if ((await readFile(new URL(file, lib), 'utf8')).includes('github')) typedIn.push(file);
    expect(typedIn).toEqual(['pipeline/lineage/run-event.ts']);
  });
});

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Catalog } from '../../lib/contracts/model.ts';

export const repoContracts = new URL('../../contracts', import.meta.url).pathname;

/** The shipped contracts without their models, plus `models` (`<domain>/<name>` -> file text), in a temp folder. */
export function catalogWith(models: Readonly<Record<string, string>>): Catalog {
  const root = mkdtempSync(join(tmpdir(), 'transforms-'));
  cpSync(repoContracts, root, { recursive: true });
  for (const domain of ['sales', 'marketing']) rmSync(join(root, domain, 'transforms'), { recursive: true, force: true });
  for (const [id, text] of Object.entries(models)) {
    const [domain, name] = id.split('/');
    const file = join(root, domain!, 'transforms', `${name}.sql`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return loadCatalog(root);
}

export function modelFile(frontMatter: string, sql: string): string {
  return `---\n${frontMatter}\n---\n${sql}\n`;
}

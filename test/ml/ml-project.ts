import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ML_FOLDER } from '../../lib/ml/load.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The shipped example spec (churn per customer from orders and web events), as text to vary. */
export const SHIPPED_CHURN_SPEC = readFileSync(join(repoRoot, 'contracts/marketing/ml/churn.yaml'), 'utf8');

/**
 * The shipped example spec with `approval: auto` instead of its `manual`: dev (auto) registers its
 * versions Approved, so a registration promotes at once, which most tests want; the shipped spec
 * asks for the manual approval the demo shows.
 */
export const CHURN_SPEC = SHIPPED_CHURN_SPEC.replace(/^approval: manual$/m, 'approval: auto');
if (CHURN_SPEC === SHIPPED_CHURN_SPEC) throw new Error("contracts/marketing/ml/churn.yaml has no line 'approval: manual'");

/**
 * A project in a temporary folder: a copy of the shipped contracts (the churn feature model among
 * marketing's transforms) and cdk.json, with exactly the given specs under the domain's ml/ folder
 * (file name -> text): the shipped specs are left out, so a project holds only the specs its test names.
 */
export function mlProject(specs: Readonly<Record<string, string>>, domain = 'marketing'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakehouse-ml-'));
  cpSync(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true });
  cpSync(join(repoRoot, 'cdk.json'), join(dir, 'cdk.json'));
  for (const shipped of readdirSync(join(dir, 'contracts'))) rmSync(join(dir, 'contracts', shipped, ML_FOLDER), { recursive: true, force: true });
  mkdirSync(join(dir, 'contracts', domain, ML_FOLDER), { recursive: true });
  for (const [file, text] of Object.entries(specs)) writeFileSync(join(dir, 'contracts', domain, ML_FOLDER, file), text);
  return dir;
}

/** `CHURN_SPEC` with one exact piece of text replaced; fails loudly when the piece is not there. */
export function churnSpecWith(from: string, to: string): string {
  if (!CHURN_SPEC.includes(from)) throw new Error(`the churn spec has no '${from}'`);
  return CHURN_SPEC.replace(from, to);
}

/** 1-based line and column where `text` first appears in `source`. */
export function positionOf(source: string, text: string): { line: number; column: number } {
  const offset = source.indexOf(text);
  if (offset < 0) throw new Error(`'${text}' is not in the source`);
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The example spec (churn per customer from orders and web events), as text to vary. */
export const CHURN_SPEC = readFileSync(join(fixtures, 'churn.yaml'), 'utf8');

/**
 * A project in a temporary folder: a copy of the shipped contracts and cdk.json, plus the churn
 * feature model in marketing's transforms and the given specs under marketing's ml/ folder
 * (file name -> text). The shipped contracts hold no spec, so the fixture brings its own.
 */
export function mlProject(specs: Readonly<Record<string, string>>, domain = 'marketing'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lakehouse-ml-'));
  cpSync(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true });
  cpSync(join(repoRoot, 'cdk.json'), join(dir, 'cdk.json'));
  cpSync(join(fixtures, 'customer_churn_features.sql'), join(dir, 'contracts/marketing/transforms/customer_churn_features.sql'));
  mkdirSync(join(dir, 'contracts', domain, 'ml'), { recursive: true });
  for (const [file, text] of Object.entries(specs)) writeFileSync(join(dir, 'contracts', domain, 'ml', file), text);
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

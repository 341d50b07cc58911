/**
 * Every module a TypeScript file names, whatever the form: `import`, `import type`, `export ... from`,
 * `import('...')`, a type query `import('...').T`, `import x = require('...')` and `require('...')`.
 * TypeScript 7 has no JavaScript compiler API, so the file is parsed by oxc, the parser vitest
 * already ships through vite's rolldown. A computed `import(expression)` cannot be checked and is
 * reported as such, so no import escapes the rules unseen.
 */
import { parseSync } from 'rolldown/experimental';

export interface ModuleImport {
  /** The specifier as written, or null for an `import()` whose argument is computed. */
  readonly specifier: string | null;
  readonly line: number;
  readonly column: number;
}

interface AstNode {
  readonly type: string;
  readonly start: number;
  readonly [key: string]: unknown;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A string literal, or a template literal without substitutions; null for anything computed. */
function literalText(node: unknown): string | null {
  if (!isNode(node)) return null;
  if (node.type === 'Literal' && typeof node['value'] === 'string') return node['value'];
  const quasis = node['quasis'] as { value: { cooked: string } }[] | undefined;
  if (node.type === 'TemplateLiteral' && (node['expressions'] as unknown[]).length === 0 && quasis?.length === 1) return quasis[0]!.value.cooked;
  return null;
}

/** The node holding the module name, for the node kinds that name one. */
function moduleArgument(node: AstNode): { readonly found: boolean; readonly argument?: unknown } {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ImportExpression':
    case 'TSImportType':
      return { found: true, argument: node['source'] };
    case 'ExportNamedDeclaration':
      return node['source'] === null ? { found: false } : { found: true, argument: node['source'] };
    case 'TSExternalModuleReference':
      return { found: true, argument: node['expression'] };
    case 'CallExpression': {
      const callee = node['callee'];
      const isRequire = isNode(callee) && callee.type === 'Identifier' && callee['name'] === 'require';
      return isRequire ? { found: true, argument: (node['arguments'] as unknown[])[0] } : { found: false };
    }
    default:
      return { found: false };
  }
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The imports of `source` (the text of `file`); a syntax error throws, naming the file. */
export function moduleImports(file: string, source: string): ModuleImport[] {
  const parsed = parseSync(file, source);
  if (parsed.errors.length > 0) throw new Error(`${file}: cannot parse: ${parsed.errors.map((error) => error.message).join('; ')}`);
  const imports: ModuleImport[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (isNode(value)) {
      const { found, argument } = moduleArgument(value);
      if (found) imports.push({ specifier: literalText(argument), ...position(source, value.start) });
    }
    Object.values(value).forEach(visit);
  };
  visit(parsed.program);
  return imports;
}

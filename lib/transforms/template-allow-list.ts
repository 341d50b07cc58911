import nunjucks from 'nunjucks';
import type { SourcePosition } from '../contracts/model.ts';
import type { ContractProblem } from '../contracts/problems.ts';

/** Where in a template a problem starts, both 1-based. */
export interface TemplateProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A node of nunjucks' syntax tree, read through its `fields` (nunjucks/src/nodes.js). */
interface TemplateNode {
  readonly typename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly [field: string]: unknown;
}

/** nunjucks exports its parser (nunjucks/src/parser.js), which @types/nunjucks does not declare. */
const { parser } = nunjucks as unknown as { readonly parser: { parse(source: string, extensions: readonly unknown[], options: object): TemplateNode } };

const ALLOWED = "a model template may use only {{ ref('<name>') }}, {{ this }}, is_incremental(), target.type, literals, ==, !=, not, and, or, and {% if %} / {% elif %} / {% else %} / {% endif %}";

/** How users write the constructs nunjucks names otherwise, for messages. */
const WRITTEN_AS: Readonly<Record<string, string>> = {
  Filter: 'a filter (|)',
  FilterAsync: 'a filter (|)',
  Set: '{% set %}',
  Macro: '{% macro %}',
  Caller: '{% call %}',
  Include: '{% include %}',
  Import: '{% import %}',
  FromImport: '{% from ... import %}',
  Extends: '{% extends %}',
  Block: '{% block %}',
  Super: 'super()',
  For: '{% for %}',
  AsyncEach: '{% asyncEach %}',
  AsyncAll: '{% asyncAll %}',
  Switch: '{% switch %}',
  InlineIf: 'an inline if',
  CallExtension: 'an extension tag',
  CallExtensionAsync: 'an extension tag',
};

/** The positions nunjucks gives are 0-based. */
function at(node: TemplateNode, message: string): TemplateProblem {
  return { line: node.lineno + 1, column: node.colno + 1, message };
}

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

function children(node: TemplateNode): TemplateNode[] {
  return ((node['children'] as unknown[] | undefined) ?? []).filter(isNode);
}

/**
 * Why a model template (its SELECT or a custom test's SQL) is not made only of the documented
 * constructs, judged on nunjucks' syntax tree before anything renders it: nunjucks compiles a
 * template to JavaScript, so `{{ range.constructor("...")() }}` would run code at compile, build
 * and synth, where deployment credentials are at hand. Empty when the template is allowed; a
 * template nunjucks cannot parse is one problem, at nunjucks' position.
 */
export function templateProblems(template: string): TemplateProblem[] {
  let root: TemplateNode;
  try {
    root = parser.parse(template, [], {});
  } catch (error) {
    const { lineno, colno, message } = error as Error & { lineno?: number; colno?: number };
    const text = message.replace(/^\(unknown path\)( \[Line \d+, Column \d+\])?\s*/, '').replace(/^Error: /, '').trim();
    // Unlike its nodes' positions, nunjucks' parse errors are 1-based.
    return [{ line: lineno ?? 1, column: colno ?? 1, message: `template error: ${text}` }];
  }
  const problems: TemplateProblem[] = [];
  checkStatements(root, problems);
  return problems;
}

/** `templateProblems` placed in the file: `start` is where the template's first character is written. */
export function templateProblemsAt(start: SourcePosition, template: string): ContractProblem[] {
  return templateProblems(template).map((problem) => ({
    file: start.file,
    line: start.line + problem.line - 1,
    column: problem.line === 1 ? start.column + problem.column - 1 : problem.column,
    message: problem.message,
  }));
}

function checkStatements(node: TemplateNode, problems: TemplateProblem[]): void {
  switch (node.typename) {
    case 'Root':
    case 'NodeList':
    case 'Output':
      for (const child of children(node)) checkStatements(child, problems);
      return;
    case 'TemplateData':
      return;
    case 'If':
      checkExpression(node['cond'] as TemplateNode, problems);
      for (const branch of [node['body'], node['else_']]) if (isNode(branch)) checkStatements(branch, problems);
      return;
    default:
      checkExpression(node, problems);
  }
}

function checkExpression(node: TemplateNode, problems: TemplateProblem[]): void {
  switch (node.typename) {
    case 'Literal':
    case 'TemplateData':
      return;
    case 'Symbol':
      if (node['value'] !== 'this') problems.push(at(node, `unknown name '${String(node['value'])}': ${ALLOWED}`));
      return;
    case 'LookupVal':
      if (!isTargetType(node)) problems.push(at(node, `attribute lookups are not allowed (only target.type): ${ALLOWED}`));
      return;
    case 'FunCall':
      checkCall(node, problems);
      return;
    case 'Group':
      for (const child of children(node)) checkExpression(child, problems);
      return;
    case 'Not':
      checkExpression(node['target'] as TemplateNode, problems);
      return;
    case 'And':
    case 'Or':
      checkExpression(node['left'] as TemplateNode, problems);
      checkExpression(node['right'] as TemplateNode, problems);
      return;
    case 'Compare':
      checkExpression(node['expr'] as TemplateNode, problems);
      for (const operand of node['ops'] as TemplateNode[]) {
        if (operand['type'] !== '==' && operand['type'] !== '!=') problems.push(at(operand, `comparison ${String(operand['type'])} is not allowed: ${ALLOWED}`));
        checkExpression(operand['expr'] as TemplateNode, problems);
      }
      return;
    default:
      problems.push(at(node, `${WRITTEN_AS[node.typename] ?? `'${node.typename}'`} is not allowed: ${ALLOWED}`));
  }
}

function isTargetType(node: TemplateNode): boolean {
  const target = node['target'];
  const value = node['val'];
  return isNode(target) && target.typename === 'Symbol' && target['value'] === 'target' && isNode(value) && value.typename === 'Literal' && value['value'] === 'type';
}

/** `ref` with one literal name (so the DAG can be known before rendering) and `is_incremental()`. */
function checkCall(node: TemplateNode, problems: TemplateProblem[]): void {
  const callee = node['name'];
  const args = isNode(node['args']) ? children(node['args']) : [];
  const name = isNode(callee) && callee.typename === 'Symbol' ? callee['value'] : undefined;
  if (name === 'ref') {
    const [only] = args;
    if (args.length !== 1 || only?.typename !== 'Literal' || typeof only['value'] !== 'string') {
      problems.push(at(node, "ref takes one literal name: {{ ref('<name>') }} or {{ ref('<domain>/<name>') }}"));
    }
    return;
  }
  if (name === 'is_incremental') {
    if (args.length > 0) problems.push(at(node, 'is_incremental() takes no arguments'));
    return;
  }
  problems.push(at(isNode(callee) ? callee : node, `only ref('<name>') and is_incremental() may be called: ${ALLOWED}`));
}

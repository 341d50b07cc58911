/** Finds the Athena statements of synthesized state machines and the names they leave unquoted. */
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { ddlNameWhereNeeded } from '../../lib/sql/ddl-identifier.ts';

/** `OPTIMIZE` and `VACUUM` leave a plain name bare on purpose (lib/pipeline/maintenance-steps.ts). */
const BARE_WHERE_PLAIN = /^(?:OPTIMIZE|VACUUM)\b/;

function mayStayBare(statement: string, name: string): boolean {
  return BARE_WHERE_PLAIN.test(statement) && ddlNameWhereNeeded(name) === name;
}

/** How every statement the app sends to Athena starts; `States.Format('` wraps the parameterized ones. */
const STATEMENT = /^(?:States\.Format\(')?\s*(?:MERGE|INSERT|DELETE|UPDATE|OPTIMIZE|VACUUM|SELECT|WITH|CREATE|ALTER|DROP)\b/;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every Athena statement anywhere in the definitions: Task parameters, and the queries a Pass state lists for a Map. */
export function athenaStatements(machines: readonly SynthesizedStateMachine[]): { machine: string; statement: string }[] {
  return machines.flatMap((machine) =>
    strings(machine.definition)
      .filter((text) => STATEMENT.test(text))
      .map((statement) => ({ machine: machine.name, statement })),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Each place a statement names one of `names` (case-sensitively: the app writes keywords in upper
 * case) without double quotes or backticks around it, as `<machine>: ...<context>...`.
 */
export function unquotedAthenaNames(machines: readonly SynthesizedStateMachine[], names: readonly string[]): string[] {
  const found: string[] = [];
  for (const { machine, statement } of athenaStatements(machines)) {
    for (const name of names) {
      if (mayStayBare(statement, name)) continue;
      const bare = new RegExp(`(?<![\\w"\`])${escapeRegExp(name)}(?![\\w"\`])`, 'g');
      for (const match of statement.matchAll(bare)) {
        found.push(`${machine}: ...${statement.slice(Math.max(0, match.index - 30), match.index + name.length + 30)}...`);
      }
    }
  }
  return found;
}

/** Each place a statement names a table of one of `databases` without quoting both parts of `<database>.<table>`. */
export function unquotedRelations(machines: readonly SynthesizedStateMachine[], databases: readonly string[]): string[] {
  const found: string[] = [];
  for (const { machine, statement } of athenaStatements(machines)) {
    for (const database of databases) {
      if (mayStayBare(statement, database)) continue;
      const relation = new RegExp(`(?<![\\w"\`])${escapeRegExp(database)}(?![\\w"\`])|(["\`])${escapeRegExp(database)}\\1\\.(?!["\`])`, 'g');
      for (const match of statement.matchAll(relation)) {
        found.push(`${machine}: ...${statement.slice(Math.max(0, match.index - 30), match.index + match[0].length + 30)}...`);
      }
    }
  }
  return found;
}

/**
 * The values an ML machine's Task parameters take in one run, for the parameters the definition
 * itself determines: a `States.Format` of the run id (job and model names), or a field a Pass
 * state names from it (`$.files.train` and the like). What comes from the run's input or another
 * service's answer (`$.version.image`) has no value here: the caller derives it elsewhere.
 */
type Graph = Readonly<Record<string, Record<string, unknown>>>;

/** The run id the evaluation gives each ML run; any id is scoped the same way. */
export const SAMPLE_RUN_ID = 'run-20261121T060000Z';

/** What `States.UUID()` and `$$.Execution.StartTime` give in the evaluated run (a lineage run's id and start). */
const SAMPLE_UUID = '0b6a9c1e-3f7d-4e2a-9c5b-1d2e3f4a5b6c';
const SAMPLE_START_TIME = '2026-11-21T06:00:00.000Z';

const FORMAT = /^States\.Format\('((?:[^'\\]|\\[\s\S])*)'\s*((?:,[\s\S]*)?)\)$/;

/** The arguments after an intrinsic's first, split at the commas outside parentheses and quotes. */
function intrinsicArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (!quoted && char === ')') depth -= 1;
    if (!quoted && depth === 0 && char === ',') {
      args.push(current.trim());
      current = '';
    } else current += char;
  }
  args.push(current.trim());
  return args.filter((arg) => arg !== '');
}

/** A `States.StringSplit` (of a value the run determines) as its list, or a Pass parameter holding one. */
function runList(graph: Graph, expression: string): string[] | undefined {
  const split = /^States\.StringSplit\(([\s\S]*)\)$/.exec(expression);
  if (split !== null) {
    const [value, separator] = intrinsicArguments(split[1]!);
    const text = value === undefined ? undefined : runValue(graph, value);
    return text === undefined || separator === undefined ? undefined : text.split(separator.slice(1, -1));
  }
  const passed = passParameter(graph, expression);
  return passed === undefined ? undefined : runList(graph, passed);
}

/** The expression a Pass state gives the field `$.<result>.<name>`. */
function passParameter(graph: Graph, expression: string): string | undefined {
  const field = /^(\$\.\w+)\.(\w+)$/.exec(expression);
  if (field === null) return undefined;
  const [, resultPath, name] = field as unknown as [string, string, string];
  const pass = allStates(graph).find((state) => state['Type'] === 'Pass' && state['ResultPath'] === resultPath);
  const value = (pass?.['Parameters'] as Record<string, unknown> | undefined)?.[`${name}.$`];
  return typeof value === 'string' ? value : undefined;
}

function allStates(graph: Graph): Record<string, unknown>[] {
  return Object.values(graph).flatMap((state) => {
    const branches = ((state['Branches'] as { States: Graph }[] | undefined) ?? []).flatMap((branch) => allStates(branch.States));
    const processor = (state['ItemProcessor'] ?? state['Iterator']) as { States: Graph } | undefined;
    return [state, ...branches, ...(processor === undefined ? [] : allStates(processor.States))];
  });
}

/**
 * A `States.Format` with each argument the definition determines in a run put in; the others are
 * left as their path (`unresolved`), or make the whole undefined when `unresolved` is 'fail'.
 */
export function formatInRun(graph: Graph, expression: string, unresolved: 'keep' | 'fail'): string | undefined {
  const format = FORMAT.exec(expression);
  if (format === null) return undefined;
  const args = intrinsicArguments(format[2]!);
  const values = args.map((arg) => runValue(graph, arg) ?? (unresolved === 'keep' ? arg : undefined));
  if (values.some((value) => value === undefined)) return undefined;
  let index = 0;
  return format[1]!.replace(/\{\}/g, () => values[index++]!);
}

/** The value of `expression` (a `.$` parameter's path or intrinsic) in a run, when the definition determines it. */
export function runValue(graph: Graph, expression: string): string | undefined {
  if (expression === '$.run.id') return SAMPLE_RUN_ID;
  if (expression === 'States.UUID()') return SAMPLE_UUID;
  if (expression === '$$.Execution.StartTime') return SAMPLE_START_TIME;
  if (expression.startsWith('States.Format(')) return formatInRun(graph, expression, 'fail');
  const item = /^States\.ArrayGetItem\(([\s\S]*)\)$/.exec(expression);
  if (item !== null) {
    const [list, index] = intrinsicArguments(item[1]!);
    return list === undefined || index === undefined ? undefined : runList(graph, list)?.[Number(index)];
  }
  const passed = passParameter(graph, expression);
  return passed === undefined ? undefined : runValue(graph, passed);
}

/** A parameter's literal value, or its value in a run; throws when the definition determines neither. */
export function runParameter(graph: Graph, parameters: Readonly<Record<string, unknown>>, name: string, where: string): string {
  const literal = parameters[name];
  if (typeof literal === 'string') return literal;
  const expression = parameters[`${name}.$`];
  const value = typeof expression === 'string' ? runValue(graph, expression) : undefined;
  if (value === undefined) throw new Error(`${where}: ${name} is ${JSON.stringify(expression ?? literal)}, which the definition does not determine`);
  return value;
}

/** `s3://bucket/key` split. */
export function s3Location(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (match === null) throw new Error(`not an s3:// location: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/**
 * The values an ML machine's Task parameters take in one run, for the parameters the definition
 * itself determines: a `States.Format` of the run id (job and model names), or a field a Pass
 * state names from it (`$.files.train` and the like). What comes from the run's input or another
 * service's answer (`$.version.image`) has no value here: the caller derives it elsewhere.
 */
type Graph = Readonly<Record<string, Record<string, unknown>>>;

/** The run id the evaluation gives each ML run; any id is scoped the same way. */
export const SAMPLE_RUN_ID = 'run-20261121T060000Z';

const FORMAT = /^States\.Format\('((?:[^'\\]|\\[\s\S])*)'((?:\s*,\s*[^,)]+)*)\)$/;

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
  const args = format[2]!.split(',').map((arg) => arg.trim()).filter((arg) => arg !== '');
  const values = args.map((arg) => runValue(graph, arg) ?? (unresolved === 'keep' ? arg : undefined));
  if (values.some((value) => value === undefined)) return undefined;
  let index = 0;
  return format[1]!.replace(/\{\}/g, () => values[index++]!);
}

/** The value of `expression` (a `.$` parameter's path or intrinsic) in a run, when the definition determines it. */
export function runValue(graph: Graph, expression: string): string | undefined {
  if (expression === '$.run.id') return SAMPLE_RUN_ID;
  if (expression.startsWith('States.Format(')) return formatInRun(graph, expression, 'fail');
  const field = /^(\$\.\w+)\.(\w+)$/.exec(expression);
  if (field === null) return undefined;
  const [, resultPath, name] = field as unknown as [string, string, string];
  const pass = allStates(graph).find((state) => state['Type'] === 'Pass' && state['ResultPath'] === resultPath);
  const value = (pass?.['Parameters'] as Record<string, unknown> | undefined)?.[`${name}.$`];
  return typeof value === 'string' ? runValue(graph, value) : undefined;
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

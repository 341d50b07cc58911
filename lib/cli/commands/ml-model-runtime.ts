/**
 * What the commands on one ML model's training (`models train`, `models runs`) share: the call
 * `<domain>/<model> [--env <name>] [--json] [--lake <dir>]`, and the offline runtime, on which an
 * ML model the project does not have is a usage error.
 */
import { parseArgs } from 'node:util';
import type { LocalPipelineRuntime } from '../../local/runtime/pipeline-runtime.ts';
import { UnknownModelError } from '../../local/runtime/runtime-errors.ts';
import type { CommandIO } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { RUNTIME_OPTIONS, withRuntime } from './run.ts';

export interface MlModelCall<T> {
  readonly env: string;
  readonly json: boolean;
  /** The model as the user named it, `<domain>/<model>`. */
  readonly model: string;
  readonly result: T;
}

/** Parses `args` and runs `action` on the runtime with the named model. */
export async function onMlModel<T>(
  args: readonly string[],
  io: CommandIO,
  action: (runtime: LocalPipelineRuntime, model: string) => Promise<T>,
): Promise<MlModelCall<T>> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one ML model <domain>/<model>, got ${positionals.length} arguments`);
  const model = positionals[0]!;
  const result = await withRuntime(values, io, async (runtime) => {
    try {
      return await action(runtime, model);
    } catch (error) {
      if (error instanceof UnknownModelError) throw new UsageError(error.message);
      throw error;
    }
  });
  return { env: values.env, json: values.json, model, result };
}

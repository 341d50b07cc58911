/**
 * What the kill test asks of its child process (`kill-child.ts`): pipeline runs and model builds
 * to freeze, each in its own workspace, so that one SIGKILL stops them all, each at its own
 * state. Shared by both sides.
 */

export interface PipelineKillTarget {
  readonly workspace: string;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  readonly file: string;
  /** ISO-8601. */
  readonly ingestTime: string;
  /** The Task state whose work is done when the process freezes: the kill lands before its result is recorded. */
  readonly state: string;
  /** Every load query fails, to take the failure path. */
  readonly failLoad: boolean;
}

export interface BuildKillTarget {
  /** The workspace whose lake `lakehouse build` runs on. */
  readonly workspace: string;
  /** The publish step (a state of the domain's build) of the model whose publication is cut. */
  readonly state: string;
  readonly database: string;
  readonly table: string;
  /** `staged`: the new data files are written and the commit is not made; `committed`: it is made, the build goes no further. */
  readonly phase: 'staged' | 'committed';
}

export interface KillPlan {
  readonly projectRoot: string;
  /** JSON file of the environment's `SynthesizedStateMachine`s, synthesized once by the test. */
  readonly machinesFile: string;
  readonly pipelines: readonly PipelineKillTarget[];
  readonly builds: readonly BuildKillTarget[];
}

/** The child's stdout lines: `frozen <kind> <index>`, `finished <kind> <index> <how>`, and `ready` once every target is frozen. */
export const FROZEN = 'frozen';
export const FINISHED = 'finished';
export const READY = 'ready';

/**
 * How the freshness check function is configured: its domain's datasets as a file bundled with the
 * code (a domain's datasets would outgrow Lambda's 4 KB of environment variables), and one variable.
 */

/** Read by the handler from `LAMBDA_TASK_ROOT`. */
export const FRESHNESS_TARGETS_FILE = 'freshness-targets.json';

const STATE_MACHINE_ARN_PREFIX = 'STATE_MACHINE_ARN_PREFIX';

export interface FreshnessCheckSettings {
  /** `arn:<partition>:states:<region>:<account>:stateMachine:`; a pipeline's ARN is this plus its name. */
  readonly stateMachineArnPrefix: string;
}

export function freshnessCheckEnvironmentVariables(settings: FreshnessCheckSettings): Record<string, string> {
  return { [STATE_MACHINE_ARN_PREFIX]: settings.stateMachineArnPrefix };
}

export function readFreshnessCheckSettings(environment: NodeJS.ProcessEnv): FreshnessCheckSettings {
  const stateMachineArnPrefix = environment[STATE_MACHINE_ARN_PREFIX];
  if (!stateMachineArnPrefix) throw new Error(`the freshness check needs ${STATE_MACHINE_ARN_PREFIX} in its environment`);
  return { stateMachineArnPrefix };
}

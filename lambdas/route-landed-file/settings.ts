/**
 * How the router function is configured: its routing table as a file bundled with the code (a
 * domain's datasets would outgrow Lambda's 4 KB of environment variables), and two variables.
 */
import type { DomainRoutes } from '../../lib/ingest/route.ts';

/** Read by the handler from `LAMBDA_TASK_ROOT`. */
export const ROUTES_FILE = 'routes.json';

const STATE_MACHINE_ARN_PREFIX = 'STATE_MACHINE_ARN_PREFIX';
const ALERT_TOPIC_ARN = 'ALERT_TOPIC_ARN';

export interface RouterSettings {
  /** `arn:<partition>:states:<region>:<account>:stateMachine:`; a pipeline's ARN is this plus its name. */
  readonly stateMachineArnPrefix: string;
  /** The domain's alert topic, told about files no pipeline takes. */
  readonly alertTopicArn: string;
}

export function routerEnvironmentVariables(settings: RouterSettings): Record<string, string> {
  return { [STATE_MACHINE_ARN_PREFIX]: settings.stateMachineArnPrefix, [ALERT_TOPIC_ARN]: settings.alertTopicArn };
}

export function readRouterSettings(environment: NodeJS.ProcessEnv): RouterSettings {
  const stateMachineArnPrefix = environment[STATE_MACHINE_ARN_PREFIX];
  const alertTopicArn = environment[ALERT_TOPIC_ARN];
  if (!stateMachineArnPrefix || !alertTopicArn) {
    throw new Error(`the router needs ${STATE_MACHINE_ARN_PREFIX} and ${ALERT_TOPIC_ARN} in its environment`);
  }
  return { stateMachineArnPrefix, alertTopicArn };
}

/** The routing table as bundled: checked on load, so a broken asset fails the first invocation loudly. */
export function parseRoutes(text: string): DomainRoutes {
  const value = JSON.parse(text) as unknown;
  const isRoutes =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DomainRoutes).domain === 'string' &&
    typeof (value as DomainRoutes).pipelines === 'object' &&
    (value as DomainRoutes).pipelines !== null &&
    Object.values((value as DomainRoutes).pipelines).every((name) => typeof name === 'string');
  if (!isRoutes) throw new Error(`${ROUTES_FILE} is not { domain, pipelines: { <dataset>: <state machine name> } }`);
  return value as DomainRoutes;
}

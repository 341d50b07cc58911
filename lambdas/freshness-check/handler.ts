import { Logger } from '@aws-lambda-powertools/logger';
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeStateMachineCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { type FreshnessCheckConfig, type FreshnessTarget, lastLoadAgeRequests, lastLoadAgeSeconds, type LoadTimes } from '../../lib/pipeline/freshness-check.ts';
import type { FreshnessCheckSettings } from './settings.ts';

export interface FreshnessCheckDependencies extends FreshnessCheckSettings {
  readonly config: FreshnessCheckConfig;
  readonly stepFunctions: Pick<SFNClient, 'send'>;
  readonly cloudWatch: Pick<CloudWatchClient, 'send'>;
  /** @default the clock */
  readonly now?: () => Date;
  /** @default a Powertools logger writing JSON lines to stdout */
  readonly logger?: Logger;
}

export interface FreshnessCheckResult {
  /** Seconds since the last load, per `<domain>/<dataset>` measured. */
  readonly ages: Record<string, number>;
}

export type FreshnessCheckHandler = () => Promise<FreshnessCheckResult>;

/**
 * Measures every target one after the other (a domain's few dozen calls stay far below Step
 * Functions' ListExecutions rate), publishes what it measured, then fails the invocation if any
 * target could not be measured: its alarm then lacks data, which breaches, and the function's
 * errors alarm tells the platform why.
 */
export function createFreshnessCheckHandler(dependencies: FreshnessCheckDependencies): FreshnessCheckHandler {
  const { config, stepFunctions, cloudWatch } = dependencies;
  const logger = dependencies.logger ?? new Logger({ serviceName: 'lakehouse-freshness-check' });
  const loadTimes = async (target: FreshnessTarget): Promise<LoadTimes> => {
    const stateMachineArn = `${dependencies.stateMachineArnPrefix}${target.stateMachineName}`;
    const listed = await stepFunctions.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 1 }));
    const lastLoadedAt = listed.executions?.[0]?.stopDate;
    if (lastLoadedAt !== undefined) return { lastLoadedAt };
    const described = await stepFunctions.send(new DescribeStateMachineCommand({ stateMachineArn }));
    if (described.creationDate === undefined) throw new Error(`DescribeStateMachine of ${stateMachineArn} returned no creationDate`);
    return { pipelineCreatedAt: described.creationDate };
  };

  return async () => {
    const now = dependencies.now?.() ?? new Date();
    const ages: { target: FreshnessTarget; seconds: number }[] = [];
    const failed: string[] = [];
    for (const target of config.targets) {
      const ref = `${target.domain}/${target.dataset}`;
      try {
        ages.push({ target, seconds: lastLoadAgeSeconds(now, await loadTimes(target)) });
      } catch (error) {
        logger.error('could not measure the last load', { dataset: ref, error: error as Error });
        failed.push(ref);
      }
    }
    for (const request of lastLoadAgeRequests(config.environment, ages, now)) await cloudWatch.send(new PutMetricDataCommand(request));
    if (failed.length > 0) throw new Error(`could not measure the last load of ${failed.join(', ')}; the other ${ages.length} were published`);
    return { ages: Object.fromEntries(ages.map(({ target, seconds }) => [`${target.domain}/${target.dataset}`, seconds])) };
  };
}

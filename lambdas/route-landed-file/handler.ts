import { Logger } from '@aws-lambda-powertools/logger';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type DomainRoutes, parseObjectCreated, routeLandedObject, unroutableAlert } from '../../lib/ingest/route.ts';
import type { RouterSettings } from './settings.ts';

export interface RouterDependencies extends RouterSettings {
  /** Starts the dataset pipelines. */
  readonly stepFunctions: Pick<SFNClient, 'send'>;
  /** Publishes alerts about files no pipeline takes. */
  readonly sns: Pick<SNSClient, 'send'>;
  readonly routes: DomainRoutes;
  /** @default a Powertools logger writing JSON lines to stdout */
  readonly logger?: Logger;
}

export type RouteResult =
  | { readonly outcome: 'started'; readonly executionArn: string }
  /** The same delivery already has its execution: a duplicated event. */
  | { readonly outcome: 'duplicate'; readonly executionName: string }
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'alerted'; readonly reason: string };

export type RouterHandler = (event: unknown) => Promise<RouteResult>;

/**
 * Starts the landed file's pipeline. A file no pipeline takes is alerted to the domain and the
 * invocation succeeds, so it is not retried; only failures to start or alert are thrown, which
 * Lambda retries and then sends to the dead-letter queue.
 */
export function createRouterHandler(dependencies: RouterDependencies): RouterHandler {
  const { stepFunctions, sns, routes } = dependencies;
  const logger = dependencies.logger ?? new Logger({ serviceName: 'lakehouse-router', persistentKeys: { domain: routes.domain } });
  return async (event) => {
    const object = parseObjectCreated(event);
    const decision = routeLandedObject(object, routes);
    switch (decision.kind) {
      case 'ignore':
        logger.info('ignoring landed object', { key: object.key, reason: decision.reason });
        return { outcome: 'ignored', reason: decision.reason };
      case 'unroutable': {
        logger.warn('landed file not routed', { bucket: object.bucket, key: object.key, reason: decision.reason });
        const alert = unroutableAlert(object, routes, decision.reason);
        await sns.send(new PublishCommand({ TopicArn: dependencies.alertTopicArn, Subject: alert.subject, Message: alert.message }));
        return { outcome: 'alerted', reason: decision.reason };
      }
      case 'start': {
        const stateMachineArn = `${dependencies.stateMachineArnPrefix}${decision.stateMachineName}`;
        try {
          const started = await stepFunctions.send(
            new StartExecutionCommand({ stateMachineArn, name: decision.executionName, input: JSON.stringify(decision.input) }),
          );
          logger.info('started pipeline', { dataset: decision.dataset, key: object.key, executionArn: started.executionArn });
          return { outcome: 'started', executionArn: started.executionArn ?? `${stateMachineArn}:${decision.executionName}` };
        } catch (error) {
          if (error instanceof ExecutionAlreadyExists) {
            logger.info('pipeline already started for this delivery', { dataset: decision.dataset, executionName: decision.executionName });
            return { outcome: 'duplicate', executionName: decision.executionName };
          }
          throw error;
        }
      }
    }
  };
}

/**
 * Runs any synthesized state machine offline, as Step Functions would: every Task answered by a
 * local stand-in, the execution recorded in the registry while it runs and after (what
 * DescribeExecution and a lock take-over read), its progress told state by state. The services
 * every machine may call (query results, the lock table, notifications, DescribeExecution) are
 * wired here; a caller adds only the integrations its machine needs besides them, so a new kind
 * of machine runs by giving its Tasks handlers, never by a second orchestration.
 */
import { randomUUID } from 'node:crypto';
import { currentProcess } from '../process-identity.ts';
import type { SynthesizedStateMachine } from '../stepfunctions/definitions.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { runStateMachine, type ExecutionResult } from '../stepfunctions/run.ts';
import type { TaskHandler } from '../stepfunctions/task-handlers.ts';
import { ExecutionRegistry } from './execution-registry.ts';
import { ExecutionTrace } from './execution-trace.ts';
import { taskHandlersFor, type LocalIntegrations } from './integrations.ts';
import type { LocalServices } from './local-services.ts';

export interface ExecutionEngineOptions {
  /** Receives progress and notification lines (the CLI passes stderr). @default nothing is said */
  readonly log?: (line: string) => void;
  /** Pause before every retry, instead of the definition's seconds of backoff. @default 10 */
  readonly retryPauseMs?: number;
  /** Milliseconds every Wait state waits, instead of the definition's (a held lock is waited for). @default 1000 */
  readonly waitPauseMs?: number;
  /**
   * Told after every execution that ran to an end, whatever its status, with its machine and
   * every state event: state and transition coverage is measured from them.
   * @default nobody is told
   */
  readonly onExecution?: (machine: SynthesizedStateMachine, result: ExecutionResult) => void;
}

export interface ExecutionOptions {
  /**
   * Wraps each Task's handler, by state name. For tests only: it injects a service error (an Athena
   * throttle, a failed query) into one state of a real run.
   */
  readonly wrapTask?: (state: string, handler: TaskHandler) => TaskHandler;
}

export interface ExecutionRequest {
  readonly machine: SynthesizedStateMachine;
  readonly input: JsonValue;
  /** The services the machine's Tasks call besides the shared ones. */
  readonly integrations: LocalIntegrations;
  /**
   * The delivery's file id once the execution ended, recorded with it so a release finds the
   * execution that ran a delivery. @default none is recorded
   */
  readonly fileId?: () => string | undefined;
}

export interface ExecutionOutcome {
  readonly result: ExecutionResult;
  readonly executionArn: string;
  readonly trace: ExecutionTrace;
}

/** `20261121T060000Z`: execution names sort by their start, and Step Functions refuses a colon in one. */
function compactTime(instant: Date): string {
  return instant.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

type SharedServices = Pick<LocalServices, 'athena' | 'locks' | 'notifications' | 'executions'>;

export class ExecutionEngine {
  private readonly say: (line: string) => void;

  constructor(
    private readonly services: SharedServices,
    private readonly options: ExecutionEngineOptions = {},
  ) {
    this.say = options.log ?? (() => undefined);
  }

  /** One execution, recorded in the registry while it runs and after, its progress told as it goes. */
  async execute(request: ExecutionRequest, options: ExecutionOptions = {}): Promise<ExecutionOutcome> {
    const { machine, input } = request;
    const { definition } = machine;
    const trace = new ExecutionTrace(this.say);
    const integrations = { ...this.sharedIntegrations(trace), ...request.integrations };
    const handlers = taskHandlersFor(definition, integrations, options.wrapTask);
    const name = `${compactTime(new Date())}-${randomUUID().slice(0, 8)}`;
    const executionArn = ExecutionRegistry.executionArn(machine.arn, name);
    const started = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      startDate: new Date().toISOString(),
      pid: process.pid,
      processStart: currentProcess().start,
      input,
    };
    const { executions } = this.services;
    executions.record({ ...started, status: 'RUNNING' });
    this.say(`${machine.name}: execution ${name}`);
    let result: ExecutionResult;
    try {
      result = await runStateMachine({
        definition,
        input,
        handlers,
        onEvent: trace.onEvent,
        retryPauseMs: this.options.retryPauseMs ?? 10,
        waitPauseMs: this.options.waitPauseMs ?? 1000,
        executionName: name,
        stateMachineArn: machine.arn,
      });
    } catch (error) {
      executions.record({ ...started, status: 'FAILED', stopDate: new Date().toISOString() });
      throw error;
    }
    const id = request.fileId?.();
    executions.record({ ...started, status: result.status, stopDate: new Date().toISOString(), ...(id === undefined ? {} : { fileId: id }) });
    this.options.onExecution?.(machine, result);
    return { result, executionArn, trace };
  }

  /** The services every state machine may call: locks, executions, notifications, query results. */
  private sharedIntegrations(trace: ExecutionTrace): LocalIntegrations {
    const { athena, locks, notifications, executions } = this.services;
    return {
      'athena:getQueryResults': () => (request) => athena.getQueryResults(request),
      'dynamodb:putItem': () => (request) => locks.putItem(request),
      'dynamodb:getItem': () => (request) => locks.getItem(request),
      'dynamodb:deleteItem': () => (request) => locks.deleteItem(request),
      'sns:publish': (state) => (request) => notifications.publish(request, trace.noteFor(state.name)),
      'events:putEvents': (state) => (request) => notifications.putEvents(request, trace.noteFor(state.name)),
      'cloudwatch:putMetricData': (state) => (request) => notifications.putMetricData(request, trace.noteFor(state.name)),
      'sfn:describeExecution': () => (request) => executions.describeExecution(request),
    };
  }
}

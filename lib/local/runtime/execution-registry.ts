/**
 * What Step Functions remembers about executions, kept offline as one JSON file per execution
 * under the workspace: the pipeline's lock states ask whether a lock's holder still runs
 * (DescribeExecution), and a quarantine release re-runs a delivery with its original input.
 * A record still RUNNING whose process is gone was cut short (the process crashed or was killed):
 * it reads as ABORTED, so its lock can be taken over as in AWS.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import type { ExecutionStatus } from '../stepfunctions/run.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: 'RUNNING' | ExecutionStatus;
  /** ISO-8601. */
  readonly startDate: string;
  readonly stopDate?: string;
  /** The process running it, to tell a live execution from one whose process died. */
  readonly pid: number;
  readonly input: JsonValue;
  /** The delivery's file id, once the validator named it. */
  readonly fileId?: string;
}

const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:[^:]*:execution:([^:]+):([^:]+)$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stateMachineName(stateMachineArn: string): string {
  return stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
}

export class ExecutionRegistry {
  constructor(private readonly directory: string) {}

  /** `arn:...:execution:<state machine>:<name>`, as `$$.Execution.Id` reads. */
  static executionArn(stateMachineArn: string, name: string): string {
    return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  record(record: ExecutionRecord): void {
    const path = this.path(stateMachineName(record.stateMachineArn), record.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  }

  /** The record of an execution, its status as the process table shows it; undefined when unknown. */
  find(executionArn: string): ExecutionRecord | undefined {
    const match = EXECUTION_ARN.exec(executionArn);
    if (match === null) return undefined;
    const record = this.read(this.path(match[1]!, match[2]!));
    if (record?.status === 'RUNNING' && !processAlive(record.pid)) return { ...record, status: 'ABORTED' };
    return record;
  }

  /** Every recorded execution of a state machine, oldest first. */
  executionsOf(stateMachineArn: string): ExecutionRecord[] {
    const folder = join(this.directory, encodeURIComponent(stateMachineName(stateMachineArn)));
    let names: string[];
    try {
      names = readdirSync(folder).filter((name) => name.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => this.read(join(folder, name)))
      .filter((record): record is ExecutionRecord => record !== undefined)
      .sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  /** The `sfn:describeExecution` response, or `Sfn.ExecutionDoesNotExistException` as AWS answers for an unknown ARN. */
  async describeExecution(request: JsonValue): Promise<JsonObject> {
    const executionArn = new RequestReader('Sfn.InvalidArn', 'DescribeExecution').string(request, 'ExecutionArn');
    const record = this.find(executionArn);
    if (record === undefined) throw new TaskError('Sfn.ExecutionDoesNotExistException', `Execution Does Not Exist: '${executionArn}'`);
    return {
      ExecutionArn: record.executionArn,
      StateMachineArn: record.stateMachineArn,
      Name: record.name,
      Status: record.status,
      StartDate: record.startDate,
      ...(record.stopDate === undefined ? {} : { StopDate: record.stopDate }),
      Input: JSON.stringify(record.input),
    };
  }

  private path(stateMachine: string, name: string): string {
    return join(this.directory, encodeURIComponent(stateMachine), `${encodeURIComponent(name)}.json`);
  }

  private read(path: string): ExecutionRecord | undefined {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as ExecutionRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

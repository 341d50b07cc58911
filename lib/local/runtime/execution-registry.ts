/**
 * What Step Functions remembers about executions, kept offline as one JSON file per execution
 * under the workspace: the pipeline's lock states ask whether a lock's holder still runs
 * (DescribeExecution), and a quarantine release re-runs a delivery with its original input.
 * A record still RUNNING whose process is gone (same process id and start time, see
 * `processRunning`) was cut short, the process crashed or was killed: it reads as ABORTED, so its
 * lock can be taken over as in AWS, and `markAbandoned` writes that status down when a runtime starts.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import type { ExecutionStatus } from '../stepfunctions/run.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { processRunning } from '../process-identity.ts';
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
  /** That process's start time (`ProcessIdentity.start`), so a reused process id is not taken for it; absent in older records. */
  readonly processStart?: string;
  readonly input: JsonValue;
  /** The delivery's file id, once the validator named it. */
  readonly fileId?: string;
}

const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:[^:]*:execution:([^:]+):([^:]+)$/;

function abandoned(record: ExecutionRecord): boolean {
  return record.status === 'RUNNING' && !processRunning({ pid: record.pid, start: record.processStart });
}

function listOrEmpty(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
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
    if (record !== undefined && abandoned(record)) return { ...record, status: 'ABORTED' };
    return record;
  }

  /**
   * Records as ABORTED every execution left RUNNING by a process that is gone (killed, crashed),
   * stopped now as far as anyone can tell; returns their ARNs.
   */
  markAbandoned(now: Date = new Date()): string[] {
    const marked: string[] = [];
    for (const folder of this.folders()) {
      for (const record of this.recordsIn(folder)) {
        if (!abandoned(record)) continue;
        this.record({ ...record, status: 'ABORTED', stopDate: now.toISOString() });
        marked.push(record.executionArn);
      }
    }
    return marked;
  }

  /** Every recorded execution of a state machine, oldest first. */
  executionsOf(stateMachineArn: string): ExecutionRecord[] {
    const folder = join(this.directory, encodeURIComponent(stateMachineName(stateMachineArn)));
    return this.recordsIn(folder).sort((a, b) => a.startDate.localeCompare(b.startDate));
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

  private folders(): string[] {
    return listOrEmpty(this.directory).map((name) => join(this.directory, name));
  }

  private recordsIn(folder: string): ExecutionRecord[] {
    return listOrEmpty(folder)
      .filter((name) => name.endsWith('.json'))
      .map((name) => this.read(join(folder, name)))
      .filter((record): record is ExecutionRecord => record !== undefined);
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

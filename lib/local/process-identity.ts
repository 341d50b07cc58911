/**
 * Which process holds something offline (a lock's execution, a scratch folder): its id plus its
 * start time (DESIGN.md "Locks": offline, a holder is a process id plus its start time). A process
 * id alone is reused by the system, so a dead holder whose id now belongs to another process
 * would look alive forever. On Linux the start time is the boot id and the `starttime` field of
 * `/proc/<pid>/stat` (clock ticks since boot), both exact; where `/proc` is absent, another
 * process's start time cannot be read, and a holder is alive when its process id is.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  /** `<boot id>:<starttime>` on Linux, else `epoch:<ms>` of this process's start. */
  readonly start: string;
}

/**
 * `starttime` is field 22 of `/proc/<pid>/stat`; the fields after the command name (which may
 * hold spaces and ')') start at field 3, the state.
 */
const STARTTIME_AFTER_COMMAND = 22 - 3;

const PROC = '/proc';

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw error;
  }
}

/** The Linux start time of a live process, undefined when no process has this id or it has exited (a zombie, state Z). */
function linuxStart(pid: number): string | undefined {
  const stat = readOrUndefined(`${PROC}/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return undefined;
  const starttime = fields[STARTTIME_AFTER_COMMAND];
  const bootId = readFileSync(`${PROC}/sys/kernel/random/boot_id`, 'utf8').trim();
  return `${bootId}:${starttime}`;
}

function hasProc(): boolean {
  return existsSync(`${PROC}/self/stat`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let current: ProcessIdentity | undefined;

/** This process. */
export function currentProcess(): ProcessIdentity {
  current ??= {
    pid: process.pid,
    start: (hasProc() ? linuxStart(process.pid) : undefined) ?? `epoch:${Math.round(performance.timeOrigin)}`,
  };
  return current;
}

/** The identity of the live process with this id, or undefined when there is none. */
export function processIdentityOf(pid: number): ProcessIdentity | undefined {
  if (pid === process.pid) return currentProcess();
  if (!hasProc()) return pidAlive(pid) ? { pid, start: 'unknown' } : undefined;
  const start = linuxStart(pid);
  return start === undefined ? undefined : { pid, start };
}

/**
 * Whether the process that was `holder` still runs: same id and same start time. A holder
 * recorded without a start time (by an older version) is judged by its id alone.
 */
export function processRunning(holder: { readonly pid: number; readonly start?: string | undefined }): boolean {
  if (holder.pid === process.pid) return holder.start === undefined || holder.start === currentProcess().start;
  if (holder.start === undefined || !hasProc()) return pidAlive(holder.pid);
  return linuxStart(holder.pid) === holder.start;
}

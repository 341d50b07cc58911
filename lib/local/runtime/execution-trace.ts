/**
 * Follows an execution state by state, as the Step Functions console does: a progress line per
 * step for people (`▶ Validate`, `✓ Validate 120 ms`, retries and catches shown) and the list of
 * visited states with their outcome for `--json`.
 */
import type { StateEvent } from '../stepfunctions/run.ts';

export interface StateVisit {
  readonly state: string;
  readonly type: string;
  /** The Map iteration, for states inside a Map. */
  readonly iteration?: number;
  /** `caught`: it failed and a Catch went on to `next`. */
  readonly outcome: 'running' | 'succeeded' | 'failed' | 'caught';
  readonly retries: number;
  readonly durationMs?: number;
  readonly error?: string;
  readonly next?: string;
}

/** Causes can be whole JSON documents (a failed Athena query); a progress line shows their start. */
const CAUSE_SHOWN = 160;

function shortCause(cause: string): string {
  const line = cause.replace(/\s+/g, ' ');
  return line.length <= CAUSE_SHOWN ? line : `${line.slice(0, CAUSE_SHOWN)}…`;
}

export class ExecutionTrace {
  readonly visits: StateVisit[] = [];
  private readonly open = new Map<string, { index: number; enteredAt: number }>();
  /** Lines about what a state's service did; the interpreter reports the state itself a little later. */
  private readonly notes = new Map<string, string[]>();

  constructor(private readonly say: (line: string) => void = () => undefined) {}

  /** Shows `line` under the next progress line of `state`, so it reads in order. */
  noteFor(state: string): (line: string) => void {
    return (line) => {
      const pending = this.notes.get(state) ?? [];
      pending.push(line);
      this.notes.set(state, pending);
    };
  }

  private tell(state: string, line: string): void {
    this.say(line);
    for (const note of this.notes.get(state) ?? []) this.say(`    ${note}`);
    this.notes.delete(state);
  }

  readonly onEvent = (event: StateEvent): void => {
    const key = `${event.state}#${event.iteration ?? ''}`;
    const label = `${event.iteration === undefined ? '' : `[${event.iteration}] `}${event.state}`;
    if (event.kind === 'entered') {
      this.open.set(key, { index: this.visits.length, enteredAt: event.at });
      const iteration = event.iteration === undefined ? {} : { iteration: event.iteration };
      this.visits.push({ state: event.state, type: event.stateType, ...iteration, outcome: 'running', retries: 0 });
      if (event.stateType === 'Task') this.say(`▶ ${label}`);
      return;
    }
    const current = this.open.get(key);
    if (current === undefined) return;
    const visit = this.visits[current.index]!;
    const durationMs = event.at - current.enteredAt;
    switch (event.kind) {
      case 'failed':
        this.visits[current.index] = { ...visit, outcome: 'failed', durationMs, error: event.error };
        this.tell(event.state, `✗ ${label} failed: ${event.error}${event.cause === '' ? '' : `: ${shortCause(event.cause)}`}`);
        break;
      case 'retried':
        this.visits[current.index] = { ...visit, outcome: 'running', retries: event.attempt };
        this.tell(event.state, `↻ ${label} retry ${event.attempt}${visit.error === undefined ? '' : ` after ${visit.error}`}`);
        break;
      case 'caught':
        this.visits[current.index] = { ...visit, outcome: 'caught', durationMs, next: event.next };
        this.tell(event.state, `↪ ${label} caught → ${event.next}`);
        break;
      case 'exited':
        if (visit.outcome === 'caught') break;
        this.visits[current.index] = { ...visit, outcome: 'succeeded', durationMs };
        if (event.stateType === 'Task') this.tell(event.state, `✓ ${label} ${durationMs} ms`);
        else this.say(`${event.stateType === 'Succeed' ? '✓' : '·'} ${label}`);
        break;
    }
  };
}

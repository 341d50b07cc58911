import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { currentProcess, processIdentityOf, processRunning } from '../../lib/local/process-identity.ts';

describe('a process identity: its id plus its start time', () => {
  it('knows this process as running, and not a holder with its id but another start time', () => {
    const me = currentProcess();
    expect(me.pid).toBe(process.pid);
    expect(processRunning(me)).toBe(true);
    expect(processRunning({ pid: me.pid, start: `${me.start}0` })).toBe(false);
  });

  it('tells a live child from the same child once it was killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const identity = processIdentityOf(child.pid!);
      expect(identity).toBeDefined();
      expect(processRunning(identity!)).toBe(true);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(processRunning(identity!)).toBe(false);
      expect(processIdentityOf(child.pid!)).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('judges a holder recorded without a start time by its process id alone', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    expect(processRunning({ pid: process.pid })).toBe(true);
    expect(processRunning({ pid: dead })).toBe(false);
  });
});

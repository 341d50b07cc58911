import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openOfflineEnvironment } from '../../../lib/cli/offline-environment.ts';
import { LocalServices } from '../../../lib/local/runtime/local-services.ts';
import { repoRoot } from './helpers.ts';

const workspace = mkdtempSync(join(tmpdir(), 'local-services-'));

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

/** Listening servers of this process: one left open keeps a CLI process from exiting. */
function listeningServers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
}

describe('LocalServices.start', () => {
  it('gives back the S3 server and the scratch folder when a step after the server fails', async () => {
    // A real failure once the server listens and scratch is claimed: the execution registry is a file, not a folder.
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'executions'), 'not a folder');
    const before = listeningServers();
    // Nothing is synthesized: the state machines are asked for only when one runs.
    const synthesized = openOfflineEnvironment({ projectRoot: repoRoot, environment: 'dev' });

    await expect(LocalServices.start({ projectRoot: repoRoot, workspace, synthesized })).rejects.toThrow(/ENOTDIR/);

    // A closed server's handle goes on the next turns of the event loop; an open one stays.
    await vi.waitFor(() => expect(listeningServers()).toBe(before), { timeout: 2_000 });
    const scratch = join(workspace, 'scratch');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../../lib/local/ml/local-registry.ts';
import type { ModelPackageStateChangeEvent } from '../../../lib/ml/model-package-state-change.ts';
import { describeRegistryContract, registration } from '../../ml/registry-contract.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const workspace = () => mkdtempSync(join(tmpdir(), 'local-registry-'));

describeRegistryContract('the local registry', async () => new LocalModelRegistry({ workspace: workspace() }));

/** Runs `count` processes at once, each registering its own runs and one run they all share. */
function registerConcurrently(root: string, count: number, runsEach: number): Promise<void[]> {
  const script = `
    import { LocalModelRegistry } from './lib/local/ml/local-registry.ts';
    import { registration } from './test/ml/registry-contract.ts';
    const registry = new LocalModelRegistry({ workspace: process.argv[1] });
    const writer = process.argv[2];
    for (let run = 0; run < ${runsEach}; run++) {
      await registry.register(registration('acme-dev-marketing-churn', \`w\${writer}-\${run}\`));
      await registry.register(registration('acme-dev-marketing-churn', 'shared-run'));
    }`;
  return Promise.all(
    Array.from({ length: count }, (_, writer) => new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, root, String(writer)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${writer} exited ${code}: ${stderr}`))));
    })),
  );
}

describe('the local registry', () => {
  it('keeps numbers gapless and each run registered once with processes registering at once', async () => {
    const root = workspace();
    await registerConcurrently(root, 3, 6);
    const versions = await new LocalModelRegistry({ workspace: root }).listVersions('acme-dev-marketing-churn');
    expect(versions.map((version) => version.version)).toEqual(Array.from({ length: 19 }, (_, index) => index + 1));
    const runs = versions.map((version) => version.lineage.runId);
    expect(new Set(runs).size).toBe(19);
    expect(runs.filter((run) => run === 'shared-run')).toHaveLength(1);
  });

  it('emits the Model Package State Change event for a new version and for each approval change, not for a repeat', async () => {
    const events: ModelPackageStateChangeEvent[] = [];
    const registry = new LocalModelRegistry({ workspace: workspace(), region: 'eu-west-1', account: '123456789012', onStateChange: (event) => events.push(event) });
    await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
    await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
    await registry.updateApproval('acme-dev-marketing-churn', 1, 'Approved', 'looks good');
    await registry.updateApproval('acme-dev-marketing-churn', 1, 'Approved', 'still good');
    expect(events.map((event) => event.detail.ModelApprovalStatus)).toEqual(['PendingManualApproval', 'Approved']);
    expect(events[1]).toMatchObject({
      'detail-type': 'SageMaker Model Package State Change',
      source: 'aws.sagemaker',
      account: '123456789012',
      region: 'eu-west-1',
      resources: ['arn:aws:sagemaker:eu-west-1:123456789012:model-package/acme-dev-marketing-churn/1'],
      detail: { ModelPackageGroupName: 'acme-dev-marketing-churn', ModelPackageVersion: 1, ModelPackageStatus: 'Completed' },
    });
  });

  it('keeps versions in files a later process reads, and names a damaged one with its field', async () => {
    const root = workspace();
    await new LocalModelRegistry({ workspace: root }).register(registration('acme-dev-marketing-churn', 'run-1'));
    const file = join(root, 'ml', 'registry', 'acme-dev-marketing-churn', 'versions', '1.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toMatchObject({ formatVersion: 1, version: 1, lineage: { runId: 'run-1' } });
    writeFileSync(file, JSON.stringify({ ...stored, approval: 'Maybe' }));
    await expect(new LocalModelRegistry({ workspace: root }).listVersions('acme-dev-marketing-churn')).rejects.toThrow(`${file}: field 'approval' is missing or wrong for version 1 of 'acme-dev-marketing-churn'`);
  });

  it('refuses a group name that is no SageMaker name, so no name leaves the registry folder', async () => {
    const registry = new LocalModelRegistry({ workspace: workspace() });
    await expect(registry.register(registration('../escape', 'run-1'))).rejects.toThrow(/'..\/escape' is not a Model Package Group name/);
  });
});

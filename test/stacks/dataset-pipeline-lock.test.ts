/** The pipeline of a second major version locks its own table and may ask about every holder of that lock (issue 9 item 13). */
import { beforeAll, describe, expect, it } from 'vitest';
import { pipelineStateMachineName } from '../../lib/config/names.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { listStates, type AslDefinition } from '../../lib/local/stepfunctions/states.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import { atVersion } from '../pipeline/contract-version.ts';
import { IDENTITY, pipelineStage } from '../pipeline/pipeline-stage.ts';
import { dataset } from './fixtures.ts';

interface PolicyStatement {
  readonly Sid?: string;
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const ordersV2 = atVersion(dataset('sales', 'orders'), '2.0.0');

describe('the lock of a pipeline writing orders_v2', () => {
  let definition: AslDefinition;
  let statements: PolicyStatement[];

  beforeAll(() => {
    const { stage, stack } = pipelineStage(ordersV2);
    definition = stageStateMachines(stage)[0]!.definition;
    const template = stage.synth().getStackArtifact(stack.artifactId).template as {
      Resources: Record<string, { Type: string; Properties: { Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[] } }>;
    };
    statements = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Role')
      .flatMap((role) => role.Properties.Policies ?? [])
      .flatMap((policy) => policy.PolicyDocument.Statement);
  });

  /** The lock item key every lock state of the definition reads, writes or deletes. */
  function lockKeys(): Map<string, unknown> {
    const states = definition.States as Record<string, { Parameters?: { Item?: { pk?: { S?: string } }; Key?: { pk?: { S?: string } } } }>;
    return new Map(
      listStates(definition)
        .filter((state) => state.resource?.includes(':dynamodb:') === true)
        .map((state) => {
          const parameters = states[state.name]?.Parameters;
          return [state.name, (parameters?.Item ?? parameters?.Key)?.pk?.S];
        }),
    );
  }

  it('is keyed by the table in every lock state, and the role may hold that item only', () => {
    const keys = lockKeys();
    expect([...keys.keys()].sort()).toEqual([S.acquireLock, S.readLockHolder, S.takeOverLock, S.releaseLock, S.releaseLockAfterFailure].sort());
    expect(new Set(keys.values())).toEqual(new Set(['sales/orders_v2']));
    expect(statements.find((statement) => statement.Sid === 'HoldDatasetLock')?.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['sales/orders_v2'] },
    });
  });

  it('may describe the executions of the state machine writing that table, which are the only holders its lock can have', () => {
    const writer = pipelineStateMachineName(IDENTITY, ordersV2);
    expect(writer).toBe('acme-dev-sales-pipeline-orders_v2');
    const resource = JSON.stringify(statements.find((statement) => statement.Sid === 'CheckLockHolder')?.Resource);
    expect(resource).toContain(`:states:eu-west-1:111111111111:execution:${writer}:*"`);
  });
});

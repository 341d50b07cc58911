/**
 * Least privilege, proven by an IAM evaluator (issue 9 item 2): the dev stage built from the
 * shipped contracts and models is synthesized once, and every role's policies, as synthesized,
 * are evaluated by `@cloud-copilot/iam-simulate` (with the KMS key policy for key calls) against
 * the calls its state machine definition or its Lambda handler makes, derived from the
 * definition's Tasks and from the real handler's SDK commands. Each role must be allowed all of
 * its own calls and denied its peers' calls on other datasets and domains.
 */
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EnvironmentIdentity } from '../../lib/config/names.ts';
import { buildStateMachineName, maintenanceStateMachineName, pipelineStateMachineName } from '../../lib/config/names.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { IAM_POLICY_LIMITS } from '../../lib/constructs/policy-size.ts';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../../lib/pipeline/dataset-loaded-event.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import { settings } from '../stacks/fixtures.ts';
import { type AthenaCatalog, readAthenaCatalog } from './athena-on-behalf.ts';
import { type Call, callKey } from './call.ts';
import { decide, type Decision, type Principal, rolePrincipal } from './evaluate.ts';
import { runHandlers } from './handler-runs.ts';
import { stateMachineCalls } from './state-machine-calls.ts';
import { readSynthesizedApp, type SynthesizedApp, type SynthesizedRole } from './synthesized-app.ts';

interface RoleUnderTest {
  readonly kind: string;
  /** The dataset, domain or target the role serves; peers are roles of the same kind serving another. */
  readonly subject: string;
  readonly role: SynthesizedRole;
  readonly calls: readonly Call[];
}

let app: SynthesizedApp;
let athena: AthenaCatalog;
let subjects: RoleUnderTest[];

function machineSubjects(contracts: Catalog, identity: EnvironmentIdentity): Map<string, { kind: string; subject: string }> {
  return new Map(
    contracts.domains.flatMap((domain): [string, { kind: string; subject: string }][] => [
      [buildStateMachineName(identity, domain.name), { kind: 'build', subject: domain.name }],
      [maintenanceStateMachineName(identity, domain.name), { kind: 'maintenance', subject: domain.name }],
      ...domain.datasets.map((dataset): [string, { kind: string; subject: string }] => [
        pipelineStateMachineName(identity, dataset),
        { kind: 'pipeline', subject: dataset.names.ref },
      ]),
    ]),
  );
}

/** Roles EventBridge assumes to start a rule's target: allowed to start that target only. */
function ruleTargetSubjects(): RoleUnderTest[] {
  return app.resources
    .filter((resource) => resource.type === 'AWS::Events::Rule')
    .flatMap((rule) =>
      ((rule.resolve(rule.raw.Properties?.['Targets']) as { Arn: string; RoleArn?: string }[] | null) ?? [])
        .filter((target) => target.RoleArn !== undefined && target.Arn.includes(':states:'))
        .map((target) => {
          const role = app.roles.find((candidate) => candidate.stackName === rule.stackName && candidate.arn === target.RoleArn)!;
          return { kind: 'rule-target', subject: target.Arn, role, calls: [{ action: 'states:StartExecution', resource: target.Arn, why: `rule ${rule.logicalId}` }] };
        }),
    );
}

beforeAll(async () => {
  const contracts = loadCatalog('contracts');
  const dag = compileTransforms(contracts);
  const appSettings = settings();
  const environment = appSettings.environments[0]!;
  const identity: EnvironmentIdentity = {
    organization: appSettings.organization,
    environment: environment.name,
    account: environment.account,
    region: environment.region,
  };
  const [stage] = buildLakehouseApp(new App(), contracts, appSettings, { dag, columns: await inferModelColumns(dag) });
  app = readSynthesizedApp(stage!);
  athena = readAthenaCatalog(app);
  const kinds = machineSubjects(contracts, identity);
  const machines = stageStateMachines(stage!).map((machine): RoleUnderTest => {
    const resource = app.resources.find((candidate) => candidate.stackName === machine.stackName && candidate.logicalId === machine.logicalId)!;
    const known = kinds.get(machine.name);
    if (known === undefined) throw new Error(`state machine ${machine.name} is of no kind this suite knows`);
    return { ...known, role: app.roleOf(resource), calls: stateMachineCalls(app, athena, machine, resource) };
  });
  // The validator prints its metrics (embedded metric format) to stdout, as Lambda wants.
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const runs = await runHandlers(app, athena, contracts, identity).finally(() => stdout.mockRestore());
  const handlers = runs.map(
    (run): RoleUnderTest => ({ kind: run.kind, subject: run.subject, role: app.roleOf(run.function), calls: run.calls }),
  );
  subjects = [...machines, ...handlers, ...ruleTargetSubjects()];
}, 240_000);

async function decisions(subject: RoleUnderTest, calls: readonly Call[]): Promise<{ call: Call; decision: Decision }[]> {
  return Promise.all(calls.map(async (call) => ({ call, decision: await decide(app, rolePrincipal(subject.role), call) })));
}

function describeCall({ call, decision }: { call: Call; decision: Decision }): string {
  return `${decision}: ${call.action} on ${call.resource}${call.context === undefined ? '' : ` ${JSON.stringify(call.context)}`} (${call.why})`;
}

describe('every role of the dev stage, evaluated by IAM', () => {
  it('covers each kind of role: validator, router, Athena DDL, pipeline, build, maintenance, rule targets', () => {
    expect(new Set(subjects.map((subject) => subject.kind))).toEqual(
      new Set(['validator', 'router', 'athena-ddl', 'pipeline', 'build', 'maintenance', 'rule-target']),
    );
  });

  it('allows each role every call its definition or handler makes', async () => {
    const refused: string[] = [];
    let allowed = 0;
    for (const subject of subjects) {
      for (const result of await decisions(subject, subject.calls)) {
        if (result.decision === 'Allowed') allowed += 1;
        else refused.push(`${subject.kind} ${subject.subject}: ${describeCall(result)}`);
      }
    }
    console.info(`IAM evaluation: ${subjects.length} roles, ${allowed} calls allowed`);
    expect(refused).toEqual([]);
  }, 120_000);

  it("denies each role its peers' calls on other datasets' and domains' prefixes, tables, lock items, executions and workgroups", async () => {
    const granted: string[] = [];
    let denied = 0;
    for (const subject of subjects) {
      const own = new Set(subject.calls.map(callKey));
      const foreign = subjects
        .filter((peer) => peer.kind === subject.kind && peer.subject !== subject.subject)
        .flatMap((peer) => peer.calls)
        // A Glue request is authorized on the catalog, the database and the table alike, each
        // evaluated as its own call: the catalog, which every role needs, decides nothing alone.
        .filter((call) => !own.has(callKey(call)) && !call.resource.endsWith(':catalog'));
      const unique = [...new Map(foreign.map((call) => [callKey(call), call])).values()];
      if (subjects.some((peer) => peer.kind === subject.kind && peer.subject !== subject.subject)) expect(unique.length).toBeGreaterThan(0);
      for (const result of await decisions(subject, unique)) {
        if (result.decision === 'Allowed') granted.push(`${subject.kind} ${subject.subject}: ${describeCall(result)}`);
        else denied += 1;
      }
    }
    console.info(`IAM evaluation: ${denied} calls on other datasets and domains denied`);
    expect(granted).toEqual([]);
  }, 180_000);
});

describe('Athena results (issue 9 item 12)', () => {
  it('gives each pipeline its own results prefix, the one its load query names and its role alone may write', () => {
    const pipelines = subjects.filter((subject) => subject.kind === 'pipeline');
    const results = pipelines.map(
      (pipeline) => new Set(pipeline.calls.filter((call) => call.action === 's3:PutObject' && call.why.endsWith('writes the query results')).map((call) => call.resource)),
    );
    expect(results.every((written) => written.size === 1)).toBe(true);
    const all = results.flatMap((written) => [...written]);
    expect(new Set(all).size).toBe(pipelines.length);
  });
});

describe("every role's policies within IAM's size quotas (issue 9 item 11)", () => {
  it('keeps each role under 10,240 inline bytes, each managed policy under 6,144 bytes and 10 per role', () => {
    const sizes = app.roles.map((role) => {
      const inline = role.policies.filter((policy) => policy.kind !== 'AWS::IAM::ManagedPolicy');
      const managed = role.policies.filter((policy) => policy.kind === 'AWS::IAM::ManagedPolicy');
      return {
        role: `${role.stackName}/${role.logicalId}`,
        inline: inline.reduce((sum, policy) => sum + JSON.stringify(policy.document).length, 0),
        managed: managed.map((policy) => JSON.stringify(policy.document).length),
      };
    });
    expect(sizes.filter((size) => size.inline > IAM_POLICY_LIMITS.inlineBytesPerRole)).toEqual([]);
    expect(sizes.filter((size) => size.managed.length > IAM_POLICY_LIMITS.managedPoliciesPerRole || size.managed.some((bytes) => bytes > IAM_POLICY_LIMITS.managedPolicyBytes))).toEqual([]);
    console.info(`IAM evaluation: largest inline policy ${Math.max(...sizes.map((size) => size.inline))} bytes`);
  });
});

describe('DatasetLoaded announcements (issue 9 item 1)', () => {
  const announcing = (): RoleUnderTest[] => subjects.filter((subject) => subject.calls.some((call) => call.action === 'events:PutEvents'));

  /** The role with its PutEvents statement as it was before the fix: a plain StringEquals. */
  function withPlainStringEquals(subject: RoleUnderTest): Principal {
    const principal = rolePrincipal(subject.role);
    return {
      ...principal,
      policies: principal.policies.map((policy) => ({
        ...policy,
        document: {
          ...policy.document,
          Statement: policy.document.Statement.map((statement) =>
            statement['Action'] === 'events:PutEvents'
              ? { ...statement, Condition: { StringEquals: { 'events:source': LAKEHOUSE_EVENT_SOURCE, 'events:detail-type': DATASET_LOADED_DETAIL_TYPE } } }
              : statement,
          ),
        },
      })),
    };
  }

  it('allows the derived PutEvents, whose source and detail type are multi-valued, which a plain StringEquals denied', async () => {
    const roles = announcing();
    expect(new Set(roles.map((subject) => subject.kind))).toEqual(new Set(['pipeline', 'build']));
    for (const subject of roles) {
      for (const call of subject.calls.filter((candidate) => candidate.action === 'events:PutEvents')) {
        expect(call.context?.['events:source']).toEqual([LAKEHOUSE_EVENT_SOURCE]);
        expect(await decide(app, rolePrincipal(subject.role), call)).toBe('Allowed');
        expect(await decide(app, withPlainStringEquals(subject), call)).not.toBe('Allowed');
      }
    }
  });

  it('denies a PutEvents that carries another source or detail type beside DatasetLoaded, or none', async () => {
    const [subject] = announcing();
    const call = subject!.calls.find((candidate) => candidate.action === 'events:PutEvents')!;
    const principal = rolePrincipal(subject!.role);
    const variants: Record<string, string[]>[] = [
      { 'events:source': [LAKEHOUSE_EVENT_SOURCE, 'aws.s3'], 'events:detail-type': [DATASET_LOADED_DETAIL_TYPE, DATASET_LOADED_DETAIL_TYPE] },
      { 'events:source': [LAKEHOUSE_EVENT_SOURCE], 'events:detail-type': ['Object Created'] },
      {},
    ];
    for (const context of variants) expect(await decide(app, principal, { ...call, context })).not.toBe('Allowed');
  });
});

describe('the platform key policy (issue 9 item 12)', () => {
  it('lets the services that publish to encrypted topics use the key only on behalf of this account', async () => {
    const key = athena.bucketKeys.values().next().value!;
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      const principal: Principal = { arn: service, policies: [] };
      const call = (account: string): Call => ({ action: 'kms:GenerateDataKey', resource: key, context: { 'aws:SourceAccount': account }, why: `${service} publishing` });
      expect(await decide(app, principal, call(app.account))).toBe('Allowed');
      expect(await decide(app, principal, call('222222222222'))).not.toBe('Allowed');
    }
  });
});

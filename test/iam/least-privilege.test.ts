/**
 * Least privilege, proven by an IAM evaluator (issue 9 item 2): the dev stage, built as the CDK CLI
 * builds it (createLakehouseApp: models, builds and the ML models of contracts/<domain>/ml/), is
 * synthesized once, and every role of it, its policies as synthesized, is evaluated by
 * `@cloud-copilot/iam-simulate` (with the KMS key policy for key calls) against the calls it makes:
 * a state machine's derived from its definition's Tasks, a Lambda's from its real handler's SDK
 * commands plus Lambda's logs and traces, SageMaker's job roles' from the job Tasks that pass
 * them, a rule target's and the table provider's from their synthesized targets. A role of the
 * stage that is no subject fails the suite. Each role must be allowed all of its own calls and
 * denied its peers' calls on other datasets, domains and models.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EnvironmentIdentity } from '../../lib/config/names.ts';
import {
  buildStateMachineName,
  goldDomainPrefix,
  maintenanceStateMachineName,
  pipelineStateMachineName,
  promotionStateMachineName,
  registerFunctionName,
  trainingStateMachineName,
} from '../../lib/config/names.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { IAM_POLICY_LIMITS } from '../../lib/constructs/policy-size.ts';
import { loadMlModels } from '../../lib/ml/load.ts';
import type { MlModel } from '../../lib/ml/model.ts';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../../lib/pipeline/dataset-loaded-event.ts';
import { shippedApp } from '../stacks/shipped-app.ts';
import { type AthenaCatalog, readAthenaCatalog } from './athena-on-behalf.ts';
import { type Call, callKey, distinctCalls } from './call.ts';
import { decide, type Decision, type Principal, rolePrincipal } from './evaluate.ts';
import { runHandlers } from './handler-runs.ts';
import { lambdaTelemetryCalls } from './lambda-telemetry.ts';
import { runRegister } from './register-runs.ts';
import { sageMakerJobRuns } from './sagemaker-job-calls.ts';
import { stateMachineCalls } from './state-machine-calls.ts';
import { readSynthesizedApp, type SynthesizedApp, type SynthesizedResource, type SynthesizedRole } from './synthesized-app.ts';

interface RoleUnderTest {
  readonly kind: string;
  /** The dataset, domain, model or target the role serves; peers are roles of the same kind serving another. */
  readonly subject: string;
  /** The domain whose data the role serves (a rule target's is its machine's). */
  readonly domain: string;
  readonly role: SynthesizedRole;
  readonly calls: readonly Call[];
}

let app: SynthesizedApp;
let athena: AthenaCatalog;
let subjects: RoleUnderTest[];

type MachineKind = { kind: string; subject: string; domain: string };

function machineSubjects(contracts: Catalog, models: readonly MlModel[], identity: EnvironmentIdentity): Map<string, MachineKind> {
  return new Map([
    ...contracts.domains.flatMap((domain): [string, MachineKind][] => [
      [buildStateMachineName(identity, domain.name), { kind: 'build', subject: domain.name, domain: domain.name }],
      [maintenanceStateMachineName(identity, domain.name), { kind: 'maintenance', subject: domain.name, domain: domain.name }],
      ...domain.datasets.map((dataset): [string, MachineKind] => [
        pipelineStateMachineName(identity, dataset),
        { kind: 'pipeline', subject: dataset.names.ref, domain: domain.name },
      ]),
    ]),
    ...models.flatMap((model): [string, MachineKind][] => [
      [trainingStateMachineName(identity, model.domain, model.name), { kind: 'training', subject: model.id, domain: model.domain }],
      [promotionStateMachineName(identity, model.domain, model.name), { kind: 'promotion', subject: model.id, domain: model.domain }],
    ]),
  ]);
}

/** Roles EventBridge assumes to start a rule's target: allowed to start that target only. */
function ruleTargetSubjects(kinds: ReadonlyMap<string, MachineKind>): RoleUnderTest[] {
  return app.resources
    .filter((resource) => resource.type === 'AWS::Events::Rule')
    .flatMap((rule) =>
      ((rule.resolve(rule.raw.Properties?.['Targets']) as { Arn: string; RoleArn?: string }[] | null) ?? [])
        .filter((target) => target.RoleArn !== undefined && target.Arn.includes(':states:'))
        .map((target) => {
          const role = app.roles.find((candidate) => candidate.stackName === rule.stackName && candidate.arn === target.RoleArn)!;
          const machine = kinds.get(target.Arn.split(':stateMachine:')[1]!);
          if (machine === undefined) throw new Error(`rule ${rule.logicalId} starts ${target.Arn}, no state machine of this stage`);
          const { domain } = machine;
          return { kind: 'rule-target', subject: target.Arn, domain, role, calls: [{ action: 'states:StartExecution', resource: target.Arn, why: `rule ${rule.logicalId}` }] };
        }),
    );
}

/**
 * Roles of the custom resource Provider framework: its onEvent function invokes the user handler
 * the framework's environment names, and describes it while it is not yet active.
 */
function providerFrameworkSubjects(handlers: readonly { function: SynthesizedResource; subject: string }[]): RoleUnderTest[] {
  return app.resources
    .filter((resource) => resource.type === 'AWS::Lambda::Function')
    .flatMap((fn) => {
      const variables = fn.resolve((fn.raw.Properties?.['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {}) as Record<string, string>;
      const handler = variables['USER_ON_EVENT_FUNCTION_ARN'];
      if (handler === undefined) return [];
      const run = handlers.find((candidate) => candidate.function.resolve({ 'Fn::GetAtt': [candidate.function.logicalId, 'Arn'] }) === handler);
      if (run === undefined) throw new Error(`${fn.logicalId} runs ${handler}, whose handler this suite does not run`);
      const calls = ['lambda:InvokeFunction', 'lambda:GetFunction'].map((action) => ({ action, resource: handler, why: 'the provider framework runs the handler' }));
      return [{ kind: 'provider-framework', subject: handler, domain: run.subject, role: app.roleOf(fn), calls }];
    });
}

beforeAll(async () => {
  // The dev stage as the CDK CLI builds it (bin/app.ts through createLakehouseApp): its ML models included.
  const { settings: appSettings, catalog: contracts, stages } = await shippedApp();
  const environment = appSettings.environments[0]!;
  const stage = stages.find((candidate) => candidate.stageName === environment.name)!;
  const identity: EnvironmentIdentity = {
    organization: appSettings.organization,
    environment: environment.name,
    account: environment.account,
    region: environment.region,
  };
  const models = await loadMlModels(contracts, () => appSettings);
  app = readSynthesizedApp(stage);
  athena = readAthenaCatalog(app);
  const kinds = machineSubjects(contracts, models, identity);
  const synthesized = stageStateMachines(stage);
  const machines = synthesized.map((machine): RoleUnderTest => {
    const resource = app.resources.find((candidate) => candidate.stackName === machine.stackName && candidate.logicalId === machine.logicalId)!;
    const known = kinds.get(machine.name);
    if (known === undefined) throw new Error(`state machine ${machine.name} is of no kind this suite knows`);
    return { ...known, role: app.roleOf(resource), calls: stateMachineCalls(app, athena, machine, resource) };
  });
  // The validator prints its metrics (embedded metric format) to stdout, as Lambda wants.
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const runs = await runHandlers(app, athena, contracts, identity).finally(() => stdout.mockRestore());
  const handlers = runs.map(
    (run): RoleUnderTest => ({
      kind: run.kind,
      subject: run.subject,
      domain: run.subject.split('/')[0]!,
      role: app.roleOf(run.function),
      calls: [...run.calls, ...lambdaTelemetryCalls(athena, run.function)],
    }),
  );

  const roleByArn = (stackName: string, arn: string): SynthesizedRole => {
    const role = app.roles.find((candidate) => candidate.stackName === stackName && candidate.arn === arn);
    if (role === undefined) throw new Error(`no role ${arn} in ${stackName}`);
    return role;
  };
  const machineNamed = (name: string) => synthesized.find((machine) => machine.name === name)!;
  const mlRoles = await Promise.all(
    models.map(async (model): Promise<RoleUnderTest[]> => {
      const training = machineNamed(trainingStateMachineName(identity, model.domain, model.name));
      const promotion = machineNamed(promotionStateMachineName(identity, model.domain, model.name));
      const [trainingJob] = sageMakerJobRuns(athena, training, new Map());
      if (trainingJob?.artifact === undefined) throw new Error(`${training.name} runs no training job`);
      const jobs = [trainingJob, ...sageMakerJobRuns(athena, promotion, new Map([[promotion.name, trainingJob.artifact]]))];
      const registerFunction = app.resources.find(
        (resource) => resource.type === 'AWS::Lambda::Function' && resource.raw.Properties?.['FunctionName'] === registerFunctionName(identity, model.domain, model.name),
      )!;
      const register = await runRegister(athena, registerFunction, model, training, trainingJob.artifact);
      return [
        ...jobs.map((job) => ({ kind: job.kind, subject: model.id, domain: model.domain, role: roleByArn(training.stackName, job.roleArn), calls: job.calls })),
        {
          kind: 'register',
          subject: model.id,
          domain: model.domain,
          role: app.roleOf(register.function),
          calls: [...register.calls, ...lambdaTelemetryCalls(athena, register.function)],
        },
      ];
    }),
  );
  subjects = [...machines, ...handlers, ...mlRoles.flat(), ...ruleTargetSubjects(kinds), ...providerFrameworkSubjects(runs)];
}, 240_000);

async function decisions(subject: RoleUnderTest, calls: readonly Call[]): Promise<{ call: Call; decision: Decision }[]> {
  return Promise.all(calls.map(async (call) => ({ call, decision: await decide(app, rolePrincipal(subject.role), call) })));
}

function describeCall({ call, decision }: { call: Call; decision: Decision }): string {
  return `${decision}: ${call.action} on ${call.resource}${call.context === undefined ? '' : ` ${JSON.stringify(call.context)}`} (${call.why})`;
}

describe('every role of the dev stage, evaluated by IAM', () => {
  it('evaluates every role the stage synthesizes', () => {
    const evaluated = new Set(subjects.map((subject) => `${subject.role.stackName}/${subject.role.logicalId}`));
    expect(app.roles.map((role) => `${role.stackName}/${role.logicalId}`).filter((role) => !evaluated.has(role))).toEqual([]);
  });

  it('covers each kind of role: datasets, domains, ML models, rule targets and the table provider', () => {
    expect(new Set(subjects.map((subject) => subject.kind))).toEqual(
      new Set([
        'validator',
        'router',
        'athena-ddl',
        'freshness-check',
        'provider-framework',
        'pipeline',
        'build',
        'maintenance',
        'training',
        'training-job',
        'register',
        'promotion',
        'transform-job',
        'rule-target',
      ]),
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

  /**
   * A role's peers are the roles of its kind serving another dataset, domain or model; a kind with
   * one role in the stage (one shipped ML model) has the roles of the other domains for peers.
   */
  function peersOf(subject: RoleUnderTest): RoleUnderTest[] {
    const sameKind = subjects.filter((peer) => peer.kind === subject.kind && peer.subject !== subject.subject);
    return sameKind.length > 0 ? sameKind : subjects.filter((peer) => peer.domain !== subject.domain);
  }

  it("denies each role its peers' calls on other datasets' and domains' prefixes, tables, lock items, executions and workgroups", async () => {
    const granted: string[] = [];
    let denied = 0;
    for (const subject of subjects) {
      const own = new Set(subject.calls.map(callKey));
      const foreign = peersOf(subject)
        .flatMap((peer) => peer.calls)
        // A Glue request is authorized on the catalog, the database and the table alike, each
        // evaluated as its own call: the catalog, which every role needs, decides nothing alone.
        .filter((call) => !own.has(callKey(call)) && !call.resource.endsWith(':catalog'));
      const unique = [...new Map(foreign.map((call) => [callKey(call), call])).values()];
      expect(unique.length, `${subject.kind} ${subject.subject} has no peer call to be denied`).toBeGreaterThan(0);
      for (const result of await decisions(subject, unique)) {
        if (result.decision === 'Allowed') granted.push(`${subject.kind} ${subject.subject}: ${describeCall(result)}`);
        else denied += 1;
      }
    }
    console.info(`IAM evaluation: ${denied} calls on other datasets and domains denied`);
    expect(granted).toEqual([]);
  }, 240_000);
});

describe("an ML model's roles (issue 11)", () => {
  it("denies the training machine every S3 call of its model's promotion and transform jobs, listings included", async () => {
    const trainings = subjects.filter((subject) => subject.kind === 'training');
    expect(trainings.length).toBeGreaterThan(0);
    const granted: string[] = [];
    for (const training of trainings) {
      const own = new Set(training.calls.map(callKey));
      const theirs = subjects
        .filter((other) => other.subject === training.subject && (other.kind === 'promotion' || other.kind === 'transform-job'))
        .flatMap((other) => other.calls)
        .filter((call) => call.action.startsWith('s3:') && !own.has(callKey(call)));
      expect(theirs.length).toBeGreaterThan(0);
      for (const result of await decisions(training, theirs)) {
        if (result.decision === 'Allowed') granted.push(`${training.subject}: ${describeCall(result)}`);
      }
    }
    expect(granted).toEqual([]);
  });

  it("lets the promotion machine put only its runs' inputs, and list each bucket at that bucket's own prefixes alone", async () => {
    const promotions = subjects.filter((subject) => subject.kind === 'promotion');
    expect(promotions.length).toBeGreaterThan(0);
    const bucketOf = (call: Call): string => call.resource.split('/')[0]!;
    const listing = (bucket: string, prefix: string, why: string): Call => ({ action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': prefix }, why });
    const granted: string[] = [];
    for (const promotion of promotions) {
      const own = new Set(promotion.calls.map(callKey));
      const unloads = promotion.calls.filter((call) => call.action === 's3:PutObject' && call.why.endsWith('writes the unloaded files'));
      expect(unloads.length).toBeGreaterThan(0);
      for (const unload of unloads) expect(unload.resource).toContain('/input/');
      const auditBucket = bucketOf(unloads[0]!);
      const resultsBucket = bucketOf(promotion.calls.find((call) => call.why.endsWith('writes the query results'))!);
      const listings = promotion.calls.filter((call) => call.action === 's3:ListBucket');
      const goldBucket = listings.map(bucketOf).find((bucket) => bucket !== auditBucket && bucket !== resultsBucket)!;
      // The domain's other gold tables, listed as the domain's other roles list them.
      const otherTables = subjects
        .filter((other) => other.domain === promotion.domain && other !== promotion)
        .flatMap((other) => other.calls)
        .filter((call) => call.action === 's3:ListBucket' && call.resource === goldBucket);
      expect(otherTables.filter((call) => !own.has(callKey(call))).length).toBeGreaterThan(0);
      const domainRoot = goldDomainPrefix(promotion.domain);
      const askedElsewhere = (call: Call, buckets: readonly string[]): Call[] =>
        buckets.map((bucket) => ({ ...call, resource: bucket, why: `${call.context?.['s3:prefix'] as string} (${call.why}) asked of another bucket` }));
      const foreign = [
        // The transform job's output, which the predictions MERGE trusts: SageMaker's to write, never the machine's.
        ...unloads.map((unload) => ({ ...unload, resource: unload.resource.replace('/input/', '/output/'), why: "a put under the transform job's output" })),
        ...otherTables,
        listing(goldBucket, domainRoot, "the gold bucket's domain root"),
        listing(auditBucket, domainRoot, "the audit bucket's domain root"),
        // The results bucket's own prefix is the domain root, under which a gold table's path also
        // falls: the gold listings are asked of the audit bucket only.
        ...listings.filter((call) => call.resource === auditBucket).flatMap((call) => askedElsewhere(call, [goldBucket, resultsBucket])),
        ...listings.filter((call) => call.resource === goldBucket).flatMap((call) => askedElsewhere(call, [auditBucket])),
      ].filter((call) => !own.has(callKey(call)));
      for (const result of await decisions(promotion, distinctCalls(foreign))) {
        if (result.decision === 'Allowed') granted.push(`${promotion.subject}: ${describeCall(result)}`);
      }
    }
    expect(granted).toEqual([]);
  });
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

describe('lineage events (issue 12 item 3)', () => {
  /** The lineage prefixes (`<bucket>/lineage/<domain>/<table>`) a role writes events under, and the event types it writes. */
  const lineageWrites = (subject: RoleUnderTest): { prefixes: Set<string>; types: Set<string> } => {
    const writes = subject.calls.filter((call) => call.action === 's3:PutObject' && /:::[^/]+\/lineage\//.test(call.resource));
    return { prefixes: new Set(writes.map((call) => call.resource.split('/').slice(0, 4).join('/'))), types: new Set(writes.map((call) => call.resource.split('-').at(-1)!)) };
  };

  it("lets each pipeline put START, COMPLETE and FAIL events under its own table's lineage prefix, which no peer may write", () => {
    const pipelines = subjects.filter((subject) => subject.kind === 'pipeline').map(lineageWrites);
    for (const { prefixes, types } of pipelines) {
      expect(prefixes.size).toBe(1);
      expect([...types].sort()).toEqual(['COMPLETE.json', 'FAIL.json', 'START.json']);
    }
    expect(new Set(pipelines.flatMap(({ prefixes }) => [...prefixes])).size).toBe(pipelines.length);
  });

  it("lets each build put its models' events, each under the model's own lineage prefix", () => {
    for (const build of subjects.filter((subject) => subject.kind === 'build')) {
      const { prefixes, types } = lineageWrites(build);
      expect([...types].sort(), build.subject).toEqual(['COMPLETE.json', 'FAIL.json', 'START.json']);
      expect([...prefixes].every((prefix) => prefix.endsWith(`/lineage/${build.subject}/${prefix.split('/').at(-1)}`))).toBe(true);
      expect(prefixes.size, build.subject).toBeGreaterThan(0);
    }
  });

  it("lets each training machine put START, COMPLETE and FAIL events under its own model's lineage prefix alone", () => {
    const trainings = subjects.filter((subject) => subject.kind === 'training');
    expect(trainings.length).toBeGreaterThan(0);
    for (const training of trainings) {
      const { prefixes, types } = lineageWrites(training);
      expect([...types].sort(), training.subject).toEqual(['COMPLETE.json', 'FAIL.json', 'START.json']);
      expect([...prefixes].map((prefix) => prefix.split('/').slice(1).join('/')), training.subject).toEqual([`lineage/${training.subject}`]);
    }
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

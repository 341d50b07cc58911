/** The pipelines of the app built from the shipped `contracts/` and `cdk.json`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentIdentity, glueDatabaseName, pipelineStateMachineName } from '../../lib/config/names.ts';
import { validatorFunctionName } from '../../lib/config/names.ts';
import { readSettings } from '../../lib/config/settings.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { type SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { runStateMachine } from '../../lib/local/stepfunctions/run.ts';
import { loadStep } from '../../lib/pipeline/load-step.ts';
import { PIPELINE_STATES } from '../../lib/pipeline/state-names.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import { useLoadFixture } from '../pipeline/helpers.ts';
import { offlinePipeline } from '../pipeline/offline-handlers.ts';
import { evaluateStatesFormat, statesFormatCall } from '../pipeline/states-format.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cdkContext = (JSON.parse(readFileSync(join(repo, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const FILE = { fileId: '00112233445566778899aabb', sourceId: '89abcdef0123456789abcdef', ingestDate: '2026-05-04', ingestedAt: '2026-05-04 06:00:00.000' };

describe('the pipeline of every shipped dataset', () => {
  const catalog = loadCatalog(join(repo, 'contracts'));
  const settings = readSettings(cdkContext);
  const datasets = catalog.domains.flatMap((domain) => domain.datasets);
  let identity: EnvironmentIdentity;
  let machines: SynthesizedStateMachine[];

  beforeAll(() => {
    const [stage] = buildLakehouseApp(new App(), catalog, settings);
    const environment = settings.environments[0]!;
    identity = { organization: settings.organization, environment: environment.name, account: environment.account, region: environment.region };
    machines = stageStateMachines(stage!);
  });

  function pipelineOf(dataset: (typeof datasets)[number]): SynthesizedStateMachine {
    const name = pipelineStateMachineName(identity, dataset);
    const found = machines.find((machine) => machine.name === name);
    if (found === undefined) throw new Error(`no state machine ${name} among ${machines.map((machine) => machine.name).join(', ')}`);
    return found;
  }

  it('exists, with exactly the states PIPELINE_STATES names', () => {
    expect(datasets.length).toBeGreaterThan(0);
    for (const dataset of datasets) {
      expect(Object.keys(pipelineOf(dataset).definition.States).sort(), dataset.names.ref).toEqual(Object.values(PIPELINE_STATES).sort());
    }
  });

  it("invokes the dataset's own validator", () => {
    for (const dataset of datasets) {
      const validate = pipelineOf(dataset).definition.States[PIPELINE_STATES.validate] as unknown as { Parameters: { FunctionName: string } };
      expect(validate.Parameters.FunctionName, dataset.names.ref).toMatch(new RegExp(`:function:${validatorFunctionName(identity, dataset)}$`));
    }
  });

  it("carries the Athena rendering of the dataset's Load step as its Load query", () => {
    for (const dataset of datasets) {
      const step = loadStep(dataset, { database: glueDatabaseName(identity, dataset.domain) });
      const parameters = pipelineOf(dataset).definition.States[PIPELINE_STATES.load] as unknown as { Parameters: Record<string, string> };
      const query = parameters.Parameters['QueryString.$']!;
      expect(query, dataset.names.ref).toBe(statesFormatCall(step.template, step.argumentPaths));
      expect(evaluateStatesFormat(query, { validation: { ...FILE } }), dataset.names.ref).toBe(step.athena(FILE));
    }
  });

  describe('run offline', () => {
    const fixture = useLoadFixture('acme_dev_marketing');

    it('takes a marketing/campaigns file to Succeed, loading it into the local lake', async () => {
      const campaigns = datasets.find((dataset) => dataset.names.ref === 'marketing/campaigns')!;
      const machine = pipelineOf(campaigns);
      const load = loadStep(campaigns, { database: glueDatabaseName(identity, campaigns.domain) });
      await fixture().prepareTables(campaigns);
      await fixture().writeValidated(campaigns, FILE, [[1, "'CMP-0001'", "'Spring sale'", "'email'", "'2026-03-01'", '1500.0']]);
      const pipeline = offlinePipeline({
        outcome: { passed: true, ...FILE, rowCount: 1, rowsPassed: 1, rowsQuarantined: 0, reportKey: 'reports/r.json', validatedKey: 'v.parquet', failedRules: [] },
        load,
        lake: fixture(),
      });
      const result = await runStateMachine({
        definition: machine.definition,
        input: { bucket: 'acme-dev-landing-111111111111-eu-west-1', key: 'marketing/campaigns/campaigns.csv' },
        handlers: pipeline.handlers,
        stateMachineArn: machine.arn,
      });

      expect(result.status).toBe('SUCCEEDED');
      expect((await fixture().rows(campaigns, 'campaign_id')).map((row) => row['campaign_id'])).toEqual(['CMP-0001']);
    });
  });
});

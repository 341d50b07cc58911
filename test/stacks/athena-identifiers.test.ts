/**
 * Every Athena statement of every state machine the shipped app synthesizes (pipelines,
 * maintenance, builds; the dev environment, as the others differ only in names) quotes the tables it names, database and table alike,
 * so a dataset or model called by a reserved word (`order`) runs. test/local/reserved-names.test.ts
 * runs such names, columns included, through the offline runtime.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { glueDatabaseName } from '../../lib/config/names.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { athenaStatements, unquotedRelations } from './athena-identifiers.ts';
import { shippedApp } from './shipped-app.ts';

let machines: SynthesizedStateMachine[];
let databases: string[];

beforeAll(async () => {
  const { settings, catalog, stages } = await shippedApp();
  machines = synthesizedStateMachines(stages.find((stage) => stage.stageName === 'dev')!);
  const dev = settings.environments.find((environment) => environment.name === 'dev')!;
  const identity = { organization: settings.organization, environment: dev.name, account: dev.account, region: dev.region };
  databases = catalog.domains.map((domain) => glueDatabaseName(identity, domain.name));
}, 180_000);

describe('Athena statements in the synthesized state machines', () => {
  it('are found in the pipelines, the maintenance and the builds, with every kind of statement', () => {
    const kinds = new Set(athenaStatements(machines).map(({ statement }) => /(MERGE|INSERT|DELETE|OPTIMIZE|VACUUM|SELECT|WITH|CREATE)/.exec(statement)?.[1]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['DELETE', 'MERGE', 'OPTIMIZE', 'SELECT', 'VACUUM']));
    expect(new Set(athenaStatements(machines).map(({ machine }) => machine.replace(/^acme-dev-\w+-/, '').replace(/-.*/, '')))).toEqual(
      new Set(['pipeline', 'maintenance', 'build']),
    );
  });

  it('quote the database and the table of every relation they name', () => {
    expect(unquotedRelations(machines, databases)).toEqual([]);
  });
});

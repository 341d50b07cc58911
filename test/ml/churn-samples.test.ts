/**
 * The churn example's seeded sample generator (issue 11 item 1): the same seed gives the same
 * files; every file it writes passes its contract in the real validator; and the churn feature
 * model, run on DuckDB over what the validator passed, finds churners and stayers, and the local
 * trainer learns them well enough that the spec's gate has something real to decide.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Catalog } from '../../lib/contracts/model.ts';
import { trainLocally } from '../../lib/local/ml/local-trainer.ts';
import { churnSamplesFolder, writeChurnSampleFiles } from '../../lib/local/samples/churn-sample-files.ts';
import type { SampleDelivery } from '../../lib/local/samples/write-sample-files.ts';
import { loadMlModels } from '../../lib/ml/load.ts';
import type { MlModel } from '../../lib/ml/model.ts';
import { CHURN_SAMPLE_DEFAULTS } from '../../lib/ml/samples/churn-samples.ts';
import { gateDecisions } from '../../lib/ml/threshold-gates.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { relation, renderModel } from '../../lib/transforms/render.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { CHURN_SPEC, mlProject } from './ml-project.ts';

const DELIVERED_AT = new Date('2026-11-21T06:00:00Z');

let project: string;
let folder: string;
let catalog: Catalog;
let model: MlModel;
let deliveries: SampleDelivery[];

beforeAll(async () => {
  project = mlProject({ 'churn.yaml': CHURN_SPEC });
  folder = mkdtempSync(join(tmpdir(), 'churn-samples-'));
  catalog = loadCatalog(join(project, 'contracts'));
  [model] = (await loadMlModels(catalog, () => ({ organization: 'acme', environments: [{ name: 'dev' }] }))) as [MlModel];
  deliveries = writeChurnSampleFiles({ catalog, model, ...CHURN_SAMPLE_DEFAULTS, deliveredAt: DELIVERED_AT, folder: join(folder, 'default') });
}, 60_000);

afterAll(() => {
  for (const path of [project, folder]) if (path !== undefined) rmSync(path, { recursive: true, force: true });
});

const texts = (files: readonly SampleDelivery[]): string[] => files.map(({ file }) => readFileSync(file, 'utf8'));

describe('churn sample files', () => {
  it('are the same bytes for the same seed, and others for another seed', () => {
    // A few customers are enough to tell files apart.
    const small = (seed: number, name: string) => writeChurnSampleFiles({ catalog, model, seed, customers: 20, deliveredAt: DELIVERED_AT, folder: join(folder, name) });
    const [first, again, other] = [small(7, 'first'), small(7, 'again'), small(8, 'other')];
    expect(texts(again)).toEqual(texts(first));
    for (const [index, text] of texts(other).entries()) expect(text).not.toEqual(texts(first)[index]);
  });

  it('are the same bytes on every run of `npm run samples:churn` without --delivered-at: the documented default delivery time, printed as the ingest time to land them with', () => {
    // A run at the current time wrote other orders and web events under the same names on every run.
    const lake = join(folder, 'script');
    const script = spawnSync(process.execPath, ['--import', 'tsx', 'bin/churn-samples.ts', '--customers', '20', '--lake', lake], { cwd: repoRoot, encoding: 'utf8' });
    expect(script.stderr).toBe('');
    expect(script.stdout).toContain(`--ingest-time ${CHURN_SAMPLE_DEFAULTS.deliveredAt.toISOString()}`);
    const expectedFolder = join(folder, 'expected');
    const expected = writeChurnSampleFiles({ catalog, model, seed: CHURN_SAMPLE_DEFAULTS.seed, customers: 20, deliveredAt: CHURN_SAMPLE_DEFAULTS.deliveredAt, folder: expectedFolder });
    const written = expected.map(({ file }) => readFileSync(join(churnSamplesFolder(lake), relative(expectedFolder, file)), 'utf8'));
    expect(written).toEqual(texts(expected));
  });

  it('refuses a bad option with exit 2, naming the option and the value, and writes nothing', () => {
    const lake = mkdtempSync(join(tmpdir(), 'churn-samples-bad-'));
    const script = spawnSync(process.execPath, ['--import', 'tsx', 'bin/churn-samples.ts', '--customers', '0', '--lake', lake], { cwd: repoRoot, encoding: 'utf8' });
    expect(script.status).toBe(2);
    expect(script.stderr).toContain("--customers: expected a whole number of 1 or more, got '0'");
    expect(readdirSync(lake)).toEqual([]);
    rmSync(lake, { recursive: true, force: true });
  });

  it("hold a few thousand rows for every dataset the feature model reads, each file in its contract's format", () => {
    const featureModel = compileTransforms(catalog).models.find((candidate) => candidate.id === model.featureModel)!;
    const inputs = [...featureModel.resolved.values()].map((target) => target.id).sort();
    expect(deliveries.map(({ dataset }) => dataset.names.ref).sort()).toEqual(inputs);
    expect(deliveries.reduce((sum, { rows }) => sum + rows, 0)).toBeGreaterThan(2000);
    for (const { dataset, file } of deliveries) expect(file.endsWith(dataset.format === 'json' ? '.jsonl' : `.${dataset.format}`)).toBe(true);
  });

  it("are named apart from the contracts' hand-written samples: landing one never replaces a sample's delivery (keyless datasets replace by landing key)", () => {
    for (const { dataset, file } of deliveries) expect(readdirSync(join(catalog.root, dataset.domain, 'samples'))).not.toContain(basename(file));
  });

  describe('through the validator and the feature model', () => {
    let features: Record<string, unknown>[];
    const reports: ValidationReport[] = [];

    beforeAll(async () => {
      const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
      try {
        for (const { dataset, file } of deliveries) {
          const { report, outputs } = await validateFile({ dataset, file, ingestTime: DELIVERED_AT, outDir: join(folder, 'validated', dataset.name) });
          reports.push(report);
          await duckdb.run(`CREATE SCHEMA IF NOT EXISTS ${dataset.domain}`);
          await duckdb.run(`CREATE TABLE ${relation(dataset.domain, dataset.names.table)} AS SELECT * FROM read_parquet('${outputs.validated!}')`);
        }
        const featureModel = compileTransforms(catalog).models.find((candidate) => candidate.id === model.featureModel)!;
        const sql = renderModel(featureModel, { dialect: 'duckdb', placement: { database: (domain) => domain }, incremental: false });
        // As the training set's UNLOAD casts every column: numbers, booleans 0 and 1.
        features = ((await duckdb.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]).map((row) =>
          Object.fromEntries(Object.entries(row).map(([name, value]) => [name, typeof value === 'boolean' || typeof value === 'bigint' ? Number(value) : value])),
        );
      } finally {
        duckdb.closeSync();
      }
    }, 60_000);

    it('pass their contracts in the real validator: every rule, no row quarantined', () => {
      for (const report of reports) {
        expect(report.rules.filter((rule) => !rule.passed), report.dataset).toEqual([]);
        expect([report.passed, report.rowsQuarantined, report.rowsPassed], report.dataset).toEqual([true, 0, report.rowCount]);
      }
      expect(reports.map((report) => report.rowCount)).toEqual(deliveries.map(({ rows }) => rows));
      expect(features.length).toBe(CHURN_SAMPLE_DEFAULTS.customers);
    });

    it('give a churn rate that is neither 0 nor 1', () => {
      const rate = features.filter((row) => row[model.label] === 1).length / features.length;
      expect(rate).toBeGreaterThan(0.1);
      expect(rate).toBeLessThan(0.9);
    });

    it("train a model the spec's gate registers, on the local trainer", () => {
      const result = trainLocally({
        rows: features,
        features: model.features.map(({ name }) => ({ name, kind: 'numeric' as const })),
        label: model.label,
        key: model.key,
        split: model.split,
        hyperparameters: model.algorithm.hyperparameters,
      });
      expect(gateDecisions(model.thresholds, result.metrics).filter((gate) => !gate.passed)).toEqual([]);
    });
  });
});

/**
 * The scenarios of an ML model's training machine, each a whole run: a run before its feature
 * table has data (failed, recorded, alerted); then, on generated churn samples landed through the
 * pipelines and the feature model built, a run that registers a version and, for each threshold in
 * turn, a run whose job did not report its metric and one whose metric fails it (below threshold,
 * recorded). Which way a threshold's Choice goes is set by the job's reported metrics: the local
 * trainer's real job runs, and a wrapper changes what it reports, as a job on other data would.
 * Failures of the services are reached by the coverage run (`reachCatchers`).
 */
import { trainingStateMachineName } from '../../../config/names.ts';
import type { MetricThreshold } from '../../../ml/model.ts';
import { CHURN_SAMPLE_DEFAULTS } from '../../../ml/samples/churn-samples.ts';
import { thresholdStateName, TRAINING_ERRORS, TRAINING_STATES as S, type TrainingOutcome } from '../../../ml/training-states.ts';
import { environmentMlModels } from '../../ml/environment-models.ts';
import type { LocalPipelineRuntime, TrainingRun } from '../../runtime/pipeline-runtime.ts';
import { writeChurnSampleFiles } from '../../samples/churn-sample-files.ts';
import type { JsonObject } from '../../stepfunctions/json.ts';
import { SAMPLES_DELIVERED_AT } from './pipeline-scenarios.ts';
import { type ExpectedRun, runProblems, valueProblems } from './run-expectations.ts';
import type { Scenario, ScenarioOutcome } from './scenario.ts';
import { composeFaults, type TaskWrapper } from './task-faults.ts';

export interface TrainingScenarioContext {
  readonly runtime: LocalPipelineRuntime;
  /** A folder for the generated deliveries. */
  readonly samples: string;
}

/** Customers of the generated samples: a few hundred rows, enough to train on both labels in well under a second. */
const SAMPLE_CUSTOMERS = 60;
/** How far a metric is put past a threshold it must pass or fail by more than its operator's edge. */
const MARGIN = 0.01;

/** A value of the threshold's metric that passes it (`pass`) or fails it. */
function metricValue(threshold: Pick<MetricThreshold, 'operator' | 'value'>, pass: boolean): number {
  // The direction that passes, and whether the value itself passes (>=, <=) or fails (>, <).
  const passingWay = threshold.operator === '>=' || threshold.operator === '>' ? MARGIN : -MARGIN;
  const strict = threshold.operator === '>' || threshold.operator === '<';
  if (pass) return strict ? threshold.value + passingWay : threshold.value;
  return strict ? threshold.value : threshold.value - passingWay;
}

/**
 * The training job reports `metrics` instead of what it measured for those metric names; a name
 * mapped to undefined is not reported at all. Every other metric stays as the job measured it.
 */
function reportingMetrics(metrics: ReadonlyMap<string, number | undefined>): TaskWrapper {
  return (state, handler) =>
    state !== S.train
      ? handler
      : async (input) => {
          const job = (await handler(input)) as JsonObject & { FinalMetricDataList: (JsonObject & { MetricName: string })[] };
          const reported = job.FinalMetricDataList.filter((metric) => !metrics.has(metric.MetricName));
          for (const [MetricName, Value] of metrics) if (Value !== undefined) reported.push({ MetricName, Value, Timestamp: new Date().toISOString() });
          return { ...job, FinalMetricDataList: reported };
        };
}

function scenarioRun(run: TrainingRun): ScenarioOutcome['run'] {
  return { status: run.status, ...(run.error === undefined ? {} : { error: run.error }), visitedStates: run.states.map((visit) => visit.state) };
}

function outcomeOf(run: TrainingRun, expected: ExpectedRun, outcome: TrainingOutcome): ScenarioOutcome {
  const scenario = scenarioRun(run);
  return { run: scenario, problems: [...runProblems(scenario, expected), ...valueProblems('the run record says', run.record?.outcome['status'], outcome)] };
}

/** Scenarios that must run before any feature model was built. */
export async function untrainedScenarios({ runtime }: TrainingScenarioContext): Promise<Scenario[]> {
  const { identity } = runtime.environment;
  return (await environmentMlModels(runtime.environment)).map((model) => ({
    name: `${model.id} training: fails, recorded and alerted, while its feature table has no data`,
    machine: trainingStateMachineName(identity, model.domain, model.name),
    execute: async (faults) =>
      outcomeOf(
        await runtime.train(model.id, { wrapTask: faults }),
        { status: 'FAILED', error: TRAINING_ERRORS.failed, includes: [S.writeLineageStart, S.noFeatureData, S.runFailed, S.writeLineageFailed, S.recordFailedRun, S.alertFailed, S.trainingFailed] },
        'failed',
      ),
  }));
}

export async function trainingScenarios({ runtime, samples }: TrainingScenarioContext): Promise<Scenario[]> {
  const { identity } = runtime.environment;
  return (await environmentMlModels(runtime.environment)).flatMap((model) => {
    // Generated samples landed and the feature model built once, by whichever scenario runs first.
    let featureData: Promise<string[]> | undefined;
    const withFeatureData = async (): Promise<string[]> => {
      featureData ??= (async () => {
        const problems: string[] = [];
        const catalog = runtime.environment.catalog;
        for (const { dataset, file } of writeChurnSampleFiles({ catalog, model, ...CHURN_SAMPLE_DEFAULTS, customers: SAMPLE_CUSTOMERS, deliveredAt: SAMPLES_DELIVERED_AT, folder: samples })) {
          const delivered = await runtime.run(dataset.names.ref, file, { ingestTime: SAMPLES_DELIVERED_AT });
          problems.push(...valueProblems(`delivering generated ${dataset.names.ref}: status, rows quarantined`, [delivered.status, delivered.rowsQuarantined], ['SUCCEEDED', 0]));
        }
        const built = (await runtime.build(model.featureModel)).flatMap((run) => run.models).find((outcome) => outcome.model === model.featureModel);
        problems.push(...valueProblems(`building ${model.featureModel} on them`, built?.status, 'published'));
        return problems;
      })();
      return featureData;
    };
    const scenario = (what: string, metrics: ReadonlyMap<string, number | undefined>, expected: ExpectedRun, outcome: TrainingOutcome): Scenario => ({
      name: `${model.id} training: ${what}`,
      machine: trainingStateMachineName(identity, model.domain, model.name),
      execute: async (faults) => {
        const setUp = await withFeatureData();
        const result = outcomeOf(await runtime.train(model.id, { wrapTask: composeFaults(faults, reportingMetrics(metrics)) }), expected, outcome);
        return { run: result.run, problems: [...setUp, ...result.problems] };
      },
    });
    const passing = (count: number) => model.thresholds.slice(0, count).map((threshold): [string, number] => [threshold.metric, metricValue(threshold, true)]);
    const describe = ({ metric, operator, value }: MetricThreshold): string => `${metric} ${operator} ${value}`;
    return [
      scenario(
        'registers a version when every threshold passes',
        new Map(passing(model.thresholds.length)),
        { status: 'SUCCEEDED', includes: [S.writeLineageStart, S.writeMetrics, S.register, S.registered, S.recordRun, S.writeLineageComplete, S.runRecorded] },
        'registered',
      ),
      ...model.thresholds.flatMap((threshold, index) => {
        const gate = thresholdStateName(threshold, index);
        const below = { status: 'SUCCEEDED', consecutive: [gate, S.belowThreshold], includes: [S.recordRun, S.writeLineageComplete, S.runRecorded] } as const;
        return [
          scenario(`records a run below threshold when the job does not report ${threshold.metric}`, new Map([...passing(index), [threshold.metric, undefined]]), below, 'below-threshold'),
          scenario(`records a run below threshold when ${threshold.metric} fails ${describe(threshold)}`, new Map([...passing(index), [threshold.metric, metricValue(threshold, false)]]), below, 'below-threshold'),
        ];
      }),
    ];
  });
}

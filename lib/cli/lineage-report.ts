/**
 * A prediction's lineage for people, as `models lineage` prints it (and the demo): the prediction,
 * the version that scored it, its run, the training set and snapshots, the contract versions.
 */
import type { PredictionLineage } from '../local/runtime/pipeline-runtime.ts';
import { LABEL_WIDTH } from './commands/run.ts';

/** A key as `--prediction` takes it: `col=value,col=value`. */
export function predictionKeyText(key: Readonly<Record<string, string>>): string {
  return Object.entries(key)
    .map(([column, value]) => `${column}=${value}`)
    .join(',');
}

export function lineageLines(lineage: PredictionLineage): string[] {
  const line = (label: string, text: string) => `  ${label.padEnd(LABEL_WIDTH)}${text}`;
  const { prediction, version, run, trainingSet } = lineage;
  const duration = run === null || run.durationMs === null ? '' : `, ${(run.durationMs / 1000).toFixed(1)} s`;
  return [
    `${lineage.model} ${predictionKeyText(prediction.key)}`,
    line('prediction', `score ${prediction.score} at ${prediction.predictedAt} (batch ${prediction.batch})`),
    line('scored by', `${prediction.modelPackageArn} on feature snapshot ${prediction.featureSnapshotId}`),
    line('version', `${version.version} (${version.approval}) ${version.arn}`),
    line('metrics', Object.entries(version.metrics).map(([name, value]) => `${name}=${value}`).join(' ') || '-'),
    line('run', run === null ? 'no record' : `${run.runId} started ${run.startedAt}${duration}`),
    line('training set', trainingSet.location),
    ...Object.entries(trainingSet.snapshots).map(([table, snapshot]) => line('feature snapshot', `${table} @ ${snapshot}`)),
    ...Object.entries(lineage.contracts).map(([dataset, contract]) => line('contract', `${dataset} ${contract}`)),
    line('git revision', version.gitRevision),
  ];
}

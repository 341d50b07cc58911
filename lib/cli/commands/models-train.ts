import type { TrainingRun } from '../../local/runtime/pipeline-runtime.ts';
import { gateDecisions, type GateDecision } from '../../ml/threshold-gates.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson, type CommandIO } from '../io.ts';
import { onMlModel } from './ml-model-runtime.ts';
import { LABEL_WIDTH } from './run.ts';
import { recordMetrics } from './training-record.ts';

/** `models train --json` (README, "lakehouse models"). */
function trainingDocument(env: string, run: TrainingRun, gates: readonly GateDecision[]): Record<string, unknown> {
  const record = run.record;
  return {
    env,
    model: run.model.id,
    stateMachine: run.stateMachine,
    executionArn: run.executionArn,
    status: run.status,
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.cause === undefined ? {} : { cause: run.cause }),
    runId: record?.runId ?? null,
    featureSnapshotId: record?.['featureSnapshotId'] ?? null,
    metrics: record === undefined ? {} : recordMetrics(record),
    gates,
    outcome: record?.outcome ?? null,
    failure: record?.['failure'] ?? null,
    states: run.states,
  };
}

function printRun(io: CommandIO, run: TrainingRun, gates: readonly GateDecision[]): void {
  const record = run.record;
  const line = (label: string, text: string) => `  ${label.padEnd(LABEL_WIDTH)}${text}`;
  const lines = [`${run.model.id}: ${run.status}`, line('execution', run.executionArn)];
  if (record !== undefined) {
    lines.push(line('run', record.runId));
    if (typeof record['featureSnapshotId'] === 'string') lines.push(line('feature snapshot', record['featureSnapshotId']));
    const metrics = recordMetrics(record);
    if (Object.keys(metrics).length > 0) lines.push(line('metrics', Object.entries(metrics).map(([name, value]) => `${name}=${value}`).join(' ')));
    if (record.outcome['status'] !== 'failed') {
      for (const gate of gates) lines.push(line('threshold', `${gate.threshold}: ${gate.observed ?? 'not reported'} ${gate.passed ? 'passed' : 'FAILED'}`));
    }
    const { status, version, approval } = record.outcome as { status: string; version?: number; approval?: string };
    lines.push(line('outcome', status === 'registered' ? `registered as version ${version} (${approval})` : status));
    const failure = record['failure'] as { Error?: string; Cause?: string } | undefined;
    if (failure !== undefined) lines.push(line('error', `${failure.Error ?? ''}: ${failure.Cause ?? ''}`));
  } else if (run.error !== undefined) {
    lines.push(line('error', `${run.error}: ${run.cause ?? ''}`));
  }
  io.out(lines.join('\n'));
}

/** Exit 0 when a version was registered; 1 when the run was below a threshold or failed; 2 on a usage error. */
export const modelsTrain: Command = {
  words: ['models', 'train'],
  usage: 'models train <domain>/<model> [--env <name>] [--json] [--lake <dir>]',
  summary: "run an ML model's training state machine offline: pin the feature table, train, gate, register",
  async run(args, io) {
    const { env, json, result: run } = await onMlModel(args, io, (runtime, model) => runtime.train(model));
    const gates = run.record === undefined ? [] : gateDecisions(run.model.thresholds, recordMetrics(run.record));
    if (json) printJson(io, trainingDocument(env, run, gates));
    else printRun(io, run, gates);
    return run.status === 'SUCCEEDED' && run.record?.outcome['status'] === 'registered' ? ExitCode.success : ExitCode.checksFailed;
  },
};

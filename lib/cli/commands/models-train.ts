import type { LocalPipelineRuntime, PromotionRun, TrainingRun } from '../../local/runtime/pipeline-runtime.ts';
import { gateDecisions, type GateDecision } from '../../ml/threshold-gates.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson, type CommandIO } from '../io.ts';
import { promotionDocument, promotionLines } from '../promotion-report.ts';
import { onMlModel } from './ml-model-runtime.ts';
import { LABEL_WIDTH } from './run.ts';
import { recordMetrics } from './training-record.ts';

/** `models train --json` (README, "lakehouse models"). */
function trainingDocument(env: string, run: TrainingRun, gates: readonly GateDecision[], promotion: PromotionRun | undefined): Record<string, unknown> {
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
    promotion: promotion === undefined ? null : promotionDocument(promotion),
  };
}

function printRun(io: CommandIO, run: TrainingRun, gates: readonly GateDecision[], promotion: PromotionRun | undefined): void {
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
  if (promotion !== undefined) lines.push(...promotionLines(promotion));
  io.out(lines.join('\n'));
}

/**
 * Trains, and when the new version is registered Approved (auto approval) delivers the event
 * SageMaker emits on its creation, as EventBridge does: the model's promotion machine runs.
 */
async function trainAndPromote(runtime: LocalPipelineRuntime, model: string): Promise<{ run: TrainingRun; promotion?: PromotionRun }> {
  const run = await runtime.train(model);
  const outcome = run.record?.outcome as { status?: string; version?: number; approval?: string } | undefined;
  if (outcome?.status !== 'registered' || outcome.approval !== 'Approved' || outcome.version === undefined) return { run };
  const [promotion] = await runtime.modelVersionChanged(model, outcome.version);
  return promotion === undefined ? { run } : { run, promotion };
}

/**
 * Exit 0 when a version was registered (and, approved, promoted); 1 when the run was below a
 * threshold or failed, or the promotion of its approved version failed; 2 on a usage error.
 */
export const modelsTrain: Command = {
  words: ['models', 'train'],
  usage: 'models train <domain>/<model> [--env <name>] [--json] [--lake <dir>]',
  summary: "run an ML model's training state machine offline: pin the feature table, train, gate, register",
  async run(args, io) {
    const { env, json, result } = await onMlModel(args, io, trainAndPromote);
    const { run, promotion } = result;
    const gates = run.record === undefined ? [] : gateDecisions(run.model.thresholds, recordMetrics(run.record));
    if (json) printJson(io, trainingDocument(env, run, gates, promotion));
    else printRun(io, run, gates, promotion);
    const registered = run.status === 'SUCCEEDED' && run.record?.outcome['status'] === 'registered';
    return registered && (promotion === undefined || promotion.status === 'SUCCEEDED') ? ExitCode.success : ExitCode.checksFailed;
  },
};

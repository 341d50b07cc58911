import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_APPROVAL_DESCRIPTION_LENGTH, manualApprovalDescription } from '../../ml/manual-approval.ts';
import { MODEL_PACKAGE_STATE_CHANGE } from '../../ml/model-package-state-change.ts';
import { ModelVersionNotFoundError, type ModelVersion } from '../../ml/model-registry.ts';
import type { Command } from '../command.ts';
import { currentUser } from '../current-user.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { findModel, withModelRegistry } from '../model-registry-context.ts';
import { UsageError } from '../usage-error.ts';
import type { PromotionRun } from '../../local/runtime/pipeline-runtime.ts';
import { promotionDocument, promotionLines } from '../promotion-report.ts';
import { LABEL_WIDTH, RUNTIME_OPTIONS, withRuntime } from './run.ts';

/** A version number as SageMaker numbers them: 1, 2, 3, ... */
const VERSION_NUMBER = /^[1-9][0-9]*$/;

/** `models approve --json` (README, "lakehouse models"). */
function approvalDocument(model: string, previous: ModelVersion, current: ModelVersion, promotion: PromotionRun | undefined): Record<string, unknown> {
  return {
    model,
    version: current.version,
    arn: current.arn,
    previousApproval: previous.approval,
    approval: current.approval,
    approvalDescription: current.approvalDescription ?? null,
    changed: previous.approval !== current.approval,
    promotion: promotion === undefined ? null : promotionDocument(promotion),
  };
}

/**
 * Exit 0 when the version is approved (already or now), 1 when the model has no such version or
 * the promotion its approval started failed, 2 on a usage error. As in SageMaker, any version can
 * be approved, a rejected one included, and the spec's approval mode does not apply: it decides
 * how new versions start, not what people decide. A version that becomes Approved has its state
 * change event delivered offline as EventBridge delivers it: the model's promotion machine runs.
 */
export const modelsApprove: Command = {
  words: ['models', 'approve'],
  usage: 'models approve <domain>/<model> <version> [--reason <text>] [--env <name>] [--json] [--lake <dir>]',
  summary: 'approve a version of an ML model in the local model registry, recording who and why',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false }, reason: { type: 'string' } },
    });
    if (positionals.length !== 2) throw new UsageError(`expected a model and a version, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
    const [ref, versionText] = positionals as [string, string];
    if (!/^[^/]+\/[^/]+$/.test(ref)) throw new UsageError(`'${ref}' is not <domain>/<model>`);
    if (!VERSION_NUMBER.test(versionText)) throw new UsageError(`'${versionText}' is not a version number (1, 2, 3, ...)`);
    const version = Number(versionText);
    const description = manualApprovalDescription(currentUser(), values.reason);
    if (description.length > MAX_APPROVAL_DESCRIPTION_LENGTH) {
      throw new UsageError(`--reason is too long: the approval description '${description.slice(0, 40)}...' would be ${description.length} characters, over SageMaker's ${MAX_APPROVAL_DESCRIPTION_LENGTH}`);
    }

    return withModelRegistry(values, io, 'models approve', async (context) => {
      const model = findModel(context, ref);
      let previous: ModelVersion;
      try {
        previous = await context.registry.describeVersion(model.group, version);
      } catch (error) {
        if (!(error instanceof ModelVersionNotFoundError)) throw error;
        const existing = (await context.registry.listVersions(model.group)).map((candidate) => candidate.version);
        io.err(
          `${ref} has no version ${version} in environment ${context.environment} (${existing.length === 0 ? 'no version is registered yet' : `versions: ${existing.join(', ')}`}); nothing was approved`,
        );
        return ExitCode.checksFailed;
      }
      // Approving again would rewrite who approved it and why, and change nothing SageMaker acts on.
      const current = previous.approval === 'Approved' ? previous : await context.registry.updateApproval(model.group, version, 'Approved', description);
      // SageMaker emits no event for an approval that changes nothing.
      const promotion = current === previous ? undefined : (await withRuntime(values, io, (runtime) => runtime.modelVersionChanged(ref, version)))[0];
      if (values.json) {
        printJson(io, approvalDocument(ref, previous, current, promotion));
      } else if (previous.approval === 'Approved') {
        io.out(`${ref} version ${version}: already Approved${previous.approvalDescription === undefined ? '' : ` (${previous.approvalDescription})`}; nothing changed`);
      } else {
        // Inside the working directory the log reads best relative to it; elsewhere (--lake), absolute.
        const inside = relative(process.cwd(), context.eventsLog);
        const eventsLog = inside.startsWith('..') || isAbsolute(inside) ? context.eventsLog : inside;
        io.out(
          [
            `${ref} version ${version}: Approved (was ${previous.approval})`,
            `  ${'description'.padEnd(LABEL_WIDTH)}${description}`,
            `  ${'model package'.padEnd(LABEL_WIDTH)}${current.arn}`,
            `  ${'event'.padEnd(LABEL_WIDTH)}${MODEL_PACKAGE_STATE_CHANGE}, in ${eventsLog}`,
            ...(promotion === undefined ? [] : promotionLines(promotion)),
          ].join('\n'),
        );
      }
      return promotion === undefined || promotion.status === 'SUCCEEDED' ? ExitCode.success : ExitCode.checksFailed;
    });
  },
};

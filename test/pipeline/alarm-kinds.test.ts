/**
 * The alarm-kind catalog that alarm descriptions and the docs site's runbook pages are rendered
 * from: every kind renders for a placeholder subject (as the docs site does) and for a real one.
 */
import { describe, expect, it } from 'vitest';
import { ALARM_KINDS, type AlarmKind, alarmDescription, alarmNamePattern, renderAlarmText } from '../../lib/pipeline/alarm-kinds.ts';

const kinds: [string, AlarmKind][] = Object.entries(ALARM_KINDS);

describe('alarm kinds', () => {
  it('gives every kind its own suffix', () => {
    const suffixes = kinds.map(([, kind]) => kind.suffix);
    expect(new Set(suffixes).size).toBe(suffixes.length);
  });

  it('renders every kind for a placeholder subject without leaving a hole', () => {
    for (const [key, kind] of kinds) {
      const placeholder = { name: '<domain>/<dataset>' };
      const text = `${renderAlarmText(kind.whatBroke, placeholder)} ${renderAlarmText(kind.whatToDoFirst, placeholder)}`;
      expect(text, key).not.toMatch(/undefined|\$\{/);
      expect(kind.title.length, key).toBeGreaterThan(0);
    }
  });

  it('describes an alarm with its priority first and its runbook paragraph last', () => {
    expect(alarmDescription(ALARM_KINDS.warningRule, { name: 'sales/orders', rule: 'amount_positive' }, 'warning-amount_positive')).toBe(
      "[warning, low priority] Warning rule 'amount_positive' of sales/orders had failing rows or failed; files still loaded. " +
        'First: check the trend in the validation reports, then agree with the producer or the contract owner. Runbook: README.md#alarms (warning-amount_positive).',
    );
    expect(alarmDescription(ALARM_KINDS.health, { name: 'sales', environment: 'dev', dashboard: 'acme-dev-sales' })).toBe(
      "[error] A dataset of sales failed or timed out, was rejected, had rows quarantined, went stale or its validator crashed, or a model's tests failed. First: open the dashboard " +
        'acme-dev-sales, find which alarm named dev-sales-, then a dataset or model and what broke, is in ALARM, then follow its description. Runbook: README.md#alarms (health).',
    );
  });

  it('names the alarms of each kind after what they watch', () => {
    expect(kinds.map(([, kind]) => alarmNamePattern(kind))).toEqual([
      '<env>-<domain>-<dataset>-pipeline-failed',
      '<env>-<domain>-<dataset>-pipeline-timed-out',
      '<env>-<domain>-<dataset>-validator-errors',
      '<env>-<domain>-<dataset>-files-rejected',
      '<env>-<domain>-<dataset>-rows-quarantined',
      '<env>-<domain>-<dataset>-warning-<rule id>',
      '<env>-<domain>-<dataset>-freshness',
      '<env>-<domain>-<model>-tests-failed',
      '<env>-<domain>-<workgroup kind>-bytes-scanned',
      '<env>-platform-<domain>-freshness-check-errors',
      '<env>-<domain>-health',
    ]);
  });
});

describe('the metric names the alarms and dashboards watch', () => {
  it('are typed once in lib/: the alarm kinds hold namespace and metric, the Athena scan metrics its dimensions', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const lib = new URL('../../lib/', import.meta.url);
    // The offline runtime's Athena reads the API's own request field `WorkGroup`, not a metric dimension.
    const files = (await readdir(lib, { recursive: true })).filter((file) => file.endsWith('.ts') && !file.startsWith('local/'));
    const sources = await Promise.all(files.map(async (file) => [file, await readFile(new URL(file, lib), 'utf8')] as const));
    for (const literal of ["'AWS/States'", "'ExecutionsFailed'", "'AWS/Athena'", "'ProcessedBytes'", "'WorkGroup'", "'QueryState'", "'QueryType'"]) {
      const typedIn = sources.filter(([, text]) => text.includes(literal)).map(([file]) => file);
      expect(typedIn, literal).toHaveLength(1);
    }
  });
});

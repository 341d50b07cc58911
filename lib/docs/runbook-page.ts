/**
 * One runbook page per alarm kind, rendered from the alarm catalog (`ALARM_KINDS`), the text the
 * alarms' descriptions are made of, so the page and the notification say the same thing.
 */
import { ALARM_KINDS, ALARM_PRIORITY_LABEL, alarmDescription, renderAlarmText, type AlarmKind, type AlarmSubject } from '../pipeline/alarm-kinds.ts';
import { runbookPage as runbookPagePath } from './page-paths.ts';
import { renderPage, type SitePage } from './site-templates.ts';

/** What a runbook names instead of one alarm's subject: the kind's text is the same for every subject. */
const PLACEHOLDER_SUBJECT: AlarmSubject = { name: '<name>', environment: '<env>', rule: '<rule id>' };

export interface RunbookEntry {
  readonly suffix: string;
  readonly title: string;
  readonly priority: string;
  readonly page: string;
}

export function alarmKinds(): readonly AlarmKind[] {
  return Object.values(ALARM_KINDS);
}

export function runbookEntries(): RunbookEntry[] {
  return alarmKinds().map((kind) => ({ suffix: kind.suffix, title: kind.title, priority: kind.priority, page: runbookPagePath(kind.suffix) }));
}

export function runbookPage(kind: AlarmKind, environment: string): SitePage {
  return renderPage('runbook.njk', runbookPagePath(kind.suffix), {
    pageKind: 'runbook',
    title: `Runbook: ${kind.title}`,
    environment,
    kind,
    priorityLabel: ALARM_PRIORITY_LABEL[kind.priority],
    whatBroke: renderAlarmText(kind.whatBroke, PLACEHOLDER_SUBJECT),
    whatToDoFirst: renderAlarmText(kind.whatToDoFirst, PLACEHOLDER_SUBJECT),
    description: alarmDescription(kind, PLACEHOLDER_SUBJECT),
  });
}

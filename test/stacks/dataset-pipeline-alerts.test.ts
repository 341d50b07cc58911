/** Every alert of a pipeline reaches SNS, however long its domain and dataset names (issue 9 item 11). */
import { beforeAll, describe, expect, it } from 'vitest';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import type { AslDefinition } from '../../lib/local/stepfunctions/states.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import { pipelineStage } from '../pipeline/pipeline-stage.ts';
import { isSnsSubject } from '../pipeline/sns-subject.ts';
import { dataset } from './fixtures.ts';

const longNamed = dataset('customer_relationship_management_emea', 'order_line_items_with_discounts_and_tax_adjustments');

describe('the alerts of a pipeline whose dataset has a long name', () => {
  let subjects: Map<string, string>;

  beforeAll(() => {
    const { stage } = pipelineStage(longNamed);
    const [machine] = stageStateMachines(stage);
    const states = Object.entries((machine!.definition as AslDefinition).States) as [string, { Resource?: string; Parameters?: { Subject?: string } }][];
    subjects = new Map(
      states.filter(([, state]) => state.Resource?.endsWith(':states:::sns:publish')).map(([name, state]) => [name, state.Parameters?.Subject ?? '']),
    );
  });

  it('have a subject SNS accepts in every alert state: ASCII, one line, under 100 characters', () => {
    expect([...subjects.keys()].sort()).toEqual([S.alertFailed, S.alertQuarantined, S.alertRejected].sort());
    expect(`Rows quarantined: ${longNamed.names.ref}`.length).toBeGreaterThanOrEqual(100);
    for (const [state, subject] of subjects) expect(isSnsSubject(subject), `${state}: '${subject}'`).toBe(true);
  });

  it('keep the start of the subject, which says what happened, and mark where it was cut', () => {
    expect(subjects.get(S.alertQuarantined)).toMatch(/^Rows quarantined: customer_relationship_management_emea\/order_line_items.*\.\.\.$/);
    expect(subjects.get(S.alertFailed)).toMatch(/^Pipeline failed: customer_relationship_management_emea\//);
  });
});

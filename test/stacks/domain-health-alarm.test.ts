import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { domainAlertTopicName, domainDashboardName, domainHealthAlarmName, type EnvironmentIdentity } from '../../lib/config/names.ts';
import { DomainHealthAlarm, MAX_ALARMS_PER_RULE, MAX_RULE_LENGTH } from '../../lib/constructs/domain-health-alarm.ts';
import { compositeAlarmsOf, errorLevelAlarmNames, type SynthesizedCompositeAlarm, watchedThroughout } from './composite-alarms.ts';
import { dataset } from './fixtures.ts';

const identity: EnvironmentIdentity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
// Half of them quarantine rows, so the domain has both four and five error-level alarms per dataset.
const many = Array.from({ length: 150 }, (_, index) => dataset('big', `dataset_${index}`, index % 2 === 0 ? { onViolation: 'quarantine-rows' } : {}));

let template: Template;
let composites: SynthesizedCompositeAlarm[];

// The health alarm alone: it names the dataset stacks' alarms, so it needs none of them synthesized, and
// the 150-dataset dashboard beside it in the monitoring stack (one resource) takes some 13 s to draw.
beforeAll(() => {
  const stack = new Stack(new App(), 'BigMonitoring', { env: { account: identity.account, region: identity.region } });
  new DomainHealthAlarm(stack, 'Health', { identity, domain: 'big', datasets: many });
  template = Template.fromStack(stack);
  composites = compositeAlarmsOf(template);
});

describe('the health alarm of a 150-dataset domain', () => {
  it("watches every error-level alarm of every dataset through sub-composites <env>-<domain>-health-<n>, each within CloudWatch's rule limits", () => {
    const expected = many.flatMap((each) => errorLevelAlarmNames(identity, each));
    expect(expected.length).toBeGreaterThan(MAX_ALARMS_PER_RULE);
    expect(watchedThroughout(composites).sort()).toEqual(expected.sort());
    const parts = composites.filter((composite) => composite.name !== domainHealthAlarmName(identity, 'big'));
    expect(parts.map((part) => part.name)).toEqual(parts.map((_, index) => domainHealthAlarmName(identity, 'big', index + 1)));
    expect(parts.length).toBeGreaterThan(1);
    for (const composite of composites) {
      expect(composite.watched.length).toBeLessThanOrEqual(MAX_ALARMS_PER_RULE);
      expect(composite.rule.length).toBeLessThanOrEqual(MAX_RULE_LENGTH);
    }
  });

  it("has the top composite watch the parts, created after them, and alone notify the domain's topic", () => {
    const [top] = composites.filter((composite) => composite.name === domainHealthAlarmName(identity, 'big'));
    const parts = composites.filter((composite) => composite !== top);
    expect(top!.watched).toEqual(parts.map((part) => part.name));
    expect(top!.dependsOn.sort()).toEqual(parts.map((part) => part.logicalId).sort());
    expect(JSON.stringify(top!.actions)).toContain(`:sns:eu-west-1:111111111111:${domainAlertTopicName(identity, 'big')}"`);
    for (const part of parts) expect(part.actions).toEqual([]);
  });

  it('says what broke, to open the domain dashboard first, and the runbook', () => {
    for (const composite of composites) {
      expect(composite.description).toContain(domainDashboardName(identity, 'big'));
      expect(composite.description).toMatch(/is in ALARM/);
      expect(composite.description).toContain('README.md#alarms');
    }
  });

  it("keeps the monitoring stack, these and the domain's one dashboard, under CloudFormation's 500 resources", () => {
    expect(Object.keys(template.toJSON().Resources).length + 1).toBeLessThan(500);
  });
});

describe('the health alarm of a domain with tested models', () => {
  it("watches each model's tests-failed alarm beside its datasets' error-level alarms, and exists for a domain of models alone", () => {
    const model = { id: 'shop/revenue', domain: 'shop', name: 'revenue' };
    const orders = dataset('shop', 'orders');
    const watched = (datasets: readonly ReturnType<typeof dataset>[]) => {
      const stack = new Stack(new App(), 'ShopMonitoring', { env: { account: identity.account, region: identity.region } });
      new DomainHealthAlarm(stack, 'Health', { identity, domain: 'shop', datasets, testedModels: [model] });
      return watchedThroughout(compositeAlarmsOf(Template.fromStack(stack)));
    };
    expect(watched([orders]).sort()).toEqual([...errorLevelAlarmNames(identity, orders), 'dev-shop-revenue-tests-failed'].sort());
    expect(watched([])).toEqual(['dev-shop-revenue-tests-failed']);
  });
});

